"""The demo organisation loads once, with the shape and the users the README promises."""

import pytest
from django.contrib.auth import get_user_model

from secretariat.core.access import has_permission
from secretariat.core.audit import verify_audit_chain
from secretariat.core.authority import may_exercise_authority
from secretariat.core.demo import DEMO_PASSWORD, load_demo
from secretariat.core.models import AuditEvent, DutyStation, Entity, EntityKind, Person


@pytest.mark.django_db
def test_demo_loads_the_organisation_and_its_users_once():
    # when
    assert load_demo(staff_count=150) is True
    assert load_demo(staff_count=150) is False
    # then
    kinds = set(Entity.objects.values_list("kind", flat=True))
    assert kinds == set(EntityKind.values)
    assert {"UNHQ", "UNOG", "UNOV", "UNON", "ECA", "ECE", "ECLAC", "ESCAP", "ESCWA", "UNLB", "UNSB"} <= set(
        Entity.objects.values_list("code", flat=True))
    assert DutyStation.objects.get(code="KBL").weekend_days == [5, 6]
    assert DutyStation.objects.get(code="NBO").public_holidays.exists()
    assert Person.objects.filter(user__isnull=True).count() == 150
    assert set(Person.objects.values_list("gender", flat=True)) >= {"female", "male"}
    assert Person.objects.values("nationality").distinct().count() > 10
    users = get_user_model().objects
    assert users.get(username="admin").check_password(DEMO_PASSWORD)
    hr_geneva = users.get(username="hr.geneva")
    geneva_staff = Person.objects.filter(org_unit__entity__code="UNOG").first()
    nairobi_staff = Person.objects.filter(org_unit__entity__code="UNON").first()
    assert has_permission(actor=hr_geneva, permission="core.view_person", target=geneva_staff)
    assert not has_permission(actor=hr_geneva, permission="core.view_person", target=nairobi_staff)
    assert may_exercise_authority(user=users.get(username="certifier"), authority="certifying_officer",
                                  amount=500000, target=Entity.objects.get(code="UNHQ"))
    # privileged roles are in force, each approved by the second superuser (four eyes)
    assert has_permission(actor=users.get(username="access.admin"), permission="core.add_roleassignment")
    assert AuditEvent.objects.filter(action="access.role_grant_approved", actor_label="admin2").count() == 2
    assert verify_audit_chain().is_intact
