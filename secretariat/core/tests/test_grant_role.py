"""Administrators grant roles within the scope they themselves manage; every grant is audited."""

import pytest

from secretariat.core import services
from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import AuditEvent, Role, RoleAssignment
from secretariat.core.scopes import Scope
from secretariat.core.tests.factories import UserFactory, grant


@pytest.fixture
def geneva_access_admin(offices):
    admin = UserFactory(username="access.geneva")
    grant(admin, "access_administrator", offices.geneva)
    grant(admin, "hr_officer", offices.geneva)  # one passes on only what one holds
    return admin


def test_grant_within_own_scope_takes_effect_and_is_audited(offices, geneva_access_admin):
    # given
    officer = UserFactory(username="new.hr")
    # when
    assignment = services.grant_role(actor=geneva_access_admin, user=officer, role=Role.objects.get(code="hr_officer"),
                                     scope=Scope.of(offices.geneva_hr))
    # then
    assert has_permission(actor=officer, permission="core.change_person", target=offices.geneva_section_person)
    event = AuditEvent.objects.get(action="access.role_granted")
    assert (event.actor_label, event.target_id) == ("access.geneva", str(assignment.pk))
    assert event.changes["scope"] == "Org unit and its subtree: Unit UNOG-HR"


@pytest.mark.parametrize("scope_name", ["nairobi", None])
def test_grant_beyond_own_scope_is_refused_and_writes_nothing(offices, geneva_access_admin, scope_name):
    officer = UserFactory(username="new.hr")
    scope = Scope.of(getattr(offices, scope_name)) if scope_name else Scope("global")
    with pytest.raises(AccessDenied):
        services.grant_role(actor=geneva_access_admin, user=officer, role=Role.objects.get(code="hr_officer"),
                            scope=scope)
    assert not RoleAssignment.objects.filter(user=officer).exists()
    assert not AuditEvent.objects.filter(action="access.role_granted").exists()


def test_unknown_scope_and_reversed_dates_are_refused(offices, superuser):
    officer = UserFactory(username="new.hr")
    role = Role.objects.get(code="hr_officer")
    with pytest.raises(InvalidInput) as unknown:
        services.grant_role(actor=superuser, user=officer, role=role, scope=Scope("galaxy", 1))
    assert unknown.value.errors == {"scope_kind": ["Unknown scope kind."]}
    import datetime

    with pytest.raises(InvalidInput) as reversed_dates:
        services.grant_role(actor=superuser, user=officer, role=role, scope=Scope.of(offices.geneva),
                            valid_from=datetime.date(2026, 5, 1), valid_until=datetime.date(2026, 4, 30))
    assert reversed_dates.value.errors == {"valid_until": ["The end date must not be before the start date."]}
    assert not RoleAssignment.objects.exists()


def test_revoke_ends_the_access_and_cannot_repeat(offices, superuser):
    officer = UserFactory(username="new.hr")
    assignment = services.grant_role(actor=superuser, user=officer, role=Role.objects.get(code="hr_officer"),
                                     scope=Scope.of(offices.geneva))
    services.revoke_role(actor=superuser, assignment_id=assignment.pk)
    assert not has_permission(actor=officer, permission="core.view_person", target=offices.geneva_person)
    with pytest.raises(services.AlreadyRevoked):
        services.revoke_role(actor=superuser, assignment_id=assignment.pk)


def test_grant_through_the_web_form(offices, geneva_access_admin, client):
    UserFactory(username="new.hr")
    client.force_login(geneva_access_admin)
    role = Role.objects.get(code="hr_officer")
    # when: within scope
    ok = client.post("/access/roles/", {"username": "new.hr", "role": role.pk, "scope_kind": "entity",
                                        "scope_code": "UNOG"})
    # and: outside it
    refused = client.post("/access/roles/", {"username": "new.hr", "role": role.pk, "scope_kind": "entity",
                                             "scope_code": "UNON"})
    # then
    assert ok.status_code == 302
    assert refused.status_code == 400
    assert "You do not have permission to grant roles here." in refused.content.decode()
    assert RoleAssignment.objects.filter(user__username="new.hr").count() == 1
