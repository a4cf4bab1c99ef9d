"""The continuity demo loads once, through the services, on the demo organisation's units."""

from io import StringIO

import pytest
from django.core.management import call_command

from secretariat.continuity.demo import load_continuity_demo
from secretariat.continuity.management.commands.failover_drill import recording_plan
from secretariat.continuity.models import BiaConflict, BusinessProcess, DataCentre, Exercise
from secretariat.continuity.selectors import application_continuity, exercise_coverage
from secretariat.continuity.services import PLATFORM_APPLICATION_NAME
from secretariat.core.tests.factories import DutyStationFactory, OrgUnitFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    """The demo organisation's pieces the continuity demo uses, and its superuser."""
    for code in ("BDS", "VLC"):
        DutyStationFactory(code=code)
    for code in ("OICT-OPS-DC", "OICT-OPS-SD", "OICT-SSD-ERP-FIN"):
        PersonFactory(org_unit=OrgUnitFactory(code=code))
    user = UserFactory(username="admin")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_the_demo_has_the_platform_s_applications_plans_and_a_recorded_drill(admin):
    # when
    output = StringIO()
    call_command("load_continuity_demo", stdout=output)
    # then
    assert "Loaded the continuity demo: 2 data centres" in output.getvalue()
    brindisi, valencia = DataCentre.objects.order_by("code")
    assert (brindisi.code, brindisi.recovery_site, valencia.recovery_site) == ("EDC-BDS", valencia, brindisi)
    rows = {row.application.name: row for row in application_continuity(actor=admin)}
    platform = rows[PLATFORM_APPLICATION_NAME]
    assert (platform.required_band, platform.required_rpo_hours, platform.flags) == ("0-4h", 0, [])
    drill = Exercise.objects.get(plan__application__name=PLATFORM_APPLICATION_NAME)
    assert (drill.status, drill.lost_transactions, drill.met_targets) == ("completed", 0, True)
    assert recording_plan(plan_id=None, no_record=False)[0] == drill.plan
    assert drill.plan.versions.count() == 1
    assert BusinessProcess.objects.get(name="Service requests").rto_band == "0-4h"  # tightened by its BIA
    assert list(BiaConflict.objects.values_list("process__name", "field")) == [("Platform operations", "rto_band")]
    assert exercise_coverage(actor=admin).tested >= 1
    # and once only
    assert load_continuity_demo() is None
