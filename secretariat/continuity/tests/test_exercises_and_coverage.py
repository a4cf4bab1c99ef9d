"""DR plans, exercises with measured RTO/RPO against targets, and the coverage dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from secretariat.continuity.exceptions import ExerciseNotPlanned
from secretariat.continuity.selectors import exercise_coverage
from secretariat.continuity.services import (
    add_dependency,
    create_recovery_plan,
    plan_exercise,
    record_exercise_results,
)
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory
from secretariat.core.exceptions import InvalidInput

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def critical_erp(registry):
    payroll = BusinessProcessFactory(org_unit=registry.department, rto_band="4-24h", maximum_tolerable_downtime_hours=24,
                                     rpo_hours=Decimal("0"))
    erp = ApplicationFactory(name="ERP", owner_unit=registry.department, data_centre=registry.primary_site,
                             replication_method="synchronous")
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=payroll.pk,
                   required_kind="application", required_id=erp.pk)
    return erp


def run_exercise(registry, plan, run_on, rto="1200", rpo="0"):
    exercise = plan_exercise(actor=registry.officer, plan=plan, planned_on=run_on)
    run_at = timezone.make_aware(datetime.datetime.combine(run_on, datetime.time(10)))
    return record_exercise_results(actor=registry.officer, exercise_id=exercise.pk, run_at=run_at,
                                   measured_rto_seconds=Decimal(rto), measured_rpo_seconds=Decimal(rpo),
                                   issues="Call tree out of date", follow_up_actions="Update call tree")


def test_an_exercise_measures_against_the_targets_of_the_required_band(registry, critical_erp):
    plan = create_recovery_plan(actor=registry.officer, title="ERP recovery", owner_unit=registry.department,
                                application=critical_erp, steps="Promote the standby", call_tree="CIO → DBA")
    # when
    exercise = run_exercise(registry, plan, TODAY, rto="90000")
    # then: 4–24 h band → 24 h target; RPO 0 h target
    assert (exercise.target_rto_seconds, exercise.target_rpo_seconds) == (Decimal("86400"), Decimal("0"))
    assert (exercise.status, exercise.met_targets) == ("completed", False)
    assert exercise.issues == "Call tree out of date"


def test_a_recorded_exercise_cannot_be_recorded_again(registry, critical_erp):
    plan = create_recovery_plan(actor=registry.officer, title="ERP recovery", owner_unit=registry.department,
                                application=critical_erp, steps="Promote the standby")
    exercise = run_exercise(registry, plan, TODAY)
    with pytest.raises(ExerciseNotPlanned) as refusal:
        record_exercise_results(actor=registry.officer, exercise_id=exercise.pk, run_at=timezone.now(),
                                measured_rto_seconds=Decimal("1"), measured_rpo_seconds=Decimal("0"))
    assert str(refusal.value) == "Only a planned exercise can be recorded; this one is Completed."


def test_a_plan_covers_one_application_or_one_data_centre(registry, critical_erp):
    with pytest.raises(InvalidInput) as refusal:
        create_recovery_plan(actor=registry.officer, title="Both", owner_unit=registry.department,
                             application=critical_erp, data_centre=registry.primary_site, steps="…")
    assert [str(m) for m in refusal.value.errors["application"]] == [
        "A plan covers either one application or one data centre."]


def test_coverage_counts_critical_applications_tested_in_the_last_twelve_months(registry, critical_erp):
    plan = create_recovery_plan(actor=registry.officer, title="ERP recovery", owner_unit=registry.department,
                                application=critical_erp, steps="Promote the standby")
    run_exercise(registry, plan, TODAY - datetime.timedelta(days=400))
    assert exercise_coverage(actor=registry.ict_officer, on=TODAY).tested == 0
    # when
    run_exercise(registry, plan, TODAY - datetime.timedelta(days=30))
    # then
    coverage = exercise_coverage(actor=registry.ict_officer, on=TODAY)
    assert (coverage.critical, coverage.tested, coverage.percentage) == (1, 1, Decimal("100.0"))
    assert coverage.rows[0].last_tested_on == TODAY - datetime.timedelta(days=30)
