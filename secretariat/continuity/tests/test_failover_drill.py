"""The failover drill on loopback clusters: synchronous RPO 0, measured RTO, recorded as an exercise."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hypothesis import given
from hypothesis import strategies as st

from secretariat.continuity.drill import (
    exclusive_drill_lock,
    failover_timings,
    first_write_after_failover,
    run_failover_drill,
)
from secretariat.continuity.exceptions import DrillAlreadyRunning
from secretariat.continuity.models import Exercise
from secretariat.continuity.services import PLATFORM_APPLICATION_NAME
from secretariat.continuity.tests.factories import ApplicationFactory, RecoveryPlanFactory

FIGURES = {
    "synchronous": {"sync_acknowledged": 120, "sync_lost_acknowledged": 0, "sync_loss_window_s": 0.0,
                    "sync_rto_s": 0.21, "sync_promote_s": 0.15, "sync_replication_lag_before_kill_s": 0.0},
    "asynchronous": {"async_acknowledged": 130, "async_lost_acknowledged": 3, "async_loss_window_s": 0.012,
                     "async_rto_s": 0.19, "async_promote_s": 0.14, "async_replication_lag_before_kill_s": 0.001},
}


@pytest.fixture
def recorded_drill(monkeypatch):
    """The command with the cluster work replaced by fixed figures: what it records, not the clusters."""
    def fake_drill(*, modes, load_seconds):
        figures = {key: value for mode in modes for key, value in FIGURES[mode].items()}
        prefix = {"synchronous": "sync", "asynchronous": "async"}
        figures["modes"] = {mode: {"acknowledged": figures[f"{prefix[mode]}_acknowledged"],
                                   "lost_acknowledged": figures[f"{prefix[mode]}_lost_acknowledged"],
                                   "promote_s": figures[f"{prefix[mode]}_promote_s"],
                                   "rto_s": figures[f"{prefix[mode]}_rto_s"],
                                   "loss_window_s": figures[f"{prefix[mode]}_loss_window_s"]} for mode in modes}
        return {**figures, "duration_s": 1.0}

    monkeypatch.setattr("secretariat.continuity.management.commands.failover_drill.run_failover_drill", fake_drill)

    def run(*arguments):
        output, errors = StringIO(), StringIO()
        call_command("failover_drill", *arguments, stdout=output, stderr=errors)
        return json.loads(output.getvalue().splitlines()[-1]), errors.getvalue()
    return run


def test_an_asynchronous_only_drill_with_a_plan_is_recorded(db, recorded_drill):
    plan = RecoveryPlanFactory(title="Platform failover")
    # when
    figures, _warnings = recorded_drill("--mode", "asynchronous", "--plan", str(plan.pk))
    # then: recorded with the asynchronous figures; its lost work misses the RPO target
    exercise = Exercise.objects.get(pk=figures["recorded_exercise"])
    assert (exercise.plan, exercise.status, exercise.lost_transactions) == (plan, "completed", 3)
    assert (exercise.measured_rto_seconds, exercise.measured_rpo_seconds) == (Decimal("0.190"), Decimal("0.012"))
    assert exercise.met_targets is False
    assert "3 acknowledged transactions lost in asynchronous mode" in exercise.issues


def test_a_drill_with_no_platform_application_says_why_it_is_not_recorded(db, recorded_drill):
    # when: the first drill, before anyone registered the platform application
    figures, warnings = recorded_drill()
    # then
    assert figures["drill"] == "completed" and figures["recorded_exercise"] is None
    assert figures["not_recorded"].startswith('no DR plan covers the application named "Secretariat platform"')
    assert "This drill will not be recorded: no DR plan covers" in warnings
    assert not Exercise.objects.exists()


def test_a_plan_that_does_not_exist_is_refused_before_the_drill_runs(db, recorded_drill):
    with pytest.raises(CommandError, match="There is no DR plan 999; nothing was run."):
        recorded_drill("--plan", "999")


@given(kill=st.floats(0, 1e6), promote=st.floats(0.001, 5), first_write=st.floats(0.001, 5), seen=st.floats(0, 1))
def test_measured_rto_is_never_below_the_promotion_time(kill, promote, first_write, seen):
    # the load's first write may land before the drill's poll sees the standby writable, or after it
    timings = failover_timings(killed_at=kill, writable_seen_at=kill + promote + seen,
                               recovered_at=kill + promote + first_write)
    assert 0 < timings.promote_s <= timings.rto_s


def test_recovery_is_the_first_acknowledgement_after_a_write_failed_after_the_kill():
    acks = [(1, 9.9), (2, 10.001), (5, 10.4), (6, 10.5)]  # #2 committed as the kill landed
    errors = [(10.002, "OperationalError"), (10.2, "OperationalError")]
    assert first_write_after_failover(killed_at=10.0, acks=acks, errors=errors) == 10.4
    assert first_write_after_failover(killed_at=10.0, acks=acks[:2], errors=errors) is None


@pytest.fixture(autouse=True)
def private_lock(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRETARIAT_DRILL_LOCK", str(tmp_path / "drill.lock"))


def test_a_second_drill_while_one_runs_is_refused(tmp_path):
    # given: a drill holds the machine's lock
    with exclusive_drill_lock():
        # when / then
        with pytest.raises(DrillAlreadyRunning) as refusal:
            run_failover_drill(load_seconds=0.1)
    assert str(refusal.value) == (f"A failover drill is already running on this machine (lock {tmp_path}/drill.lock); "
                                  "wait for it to finish.")


def test_the_command_refuses_a_second_drill_with_a_json_line(tmp_path, db):
    output = StringIO()
    with exclusive_drill_lock(), pytest.raises(CommandError):
        call_command("failover_drill", stdout=output)
    assert json.loads(output.getvalue().splitlines()[-1])["drill"] == "failed"


@pytest.mark.postgres
@pytest.mark.django_db
def test_synchronous_failover_loses_no_acknowledged_transaction_and_is_recorded():
    plan = RecoveryPlanFactory(application=ApplicationFactory(name=PLATFORM_APPLICATION_NAME), title="Platform failover")
    output = StringIO()
    # when
    call_command("failover_drill", load_seconds=0.5, stdout=output)
    # then
    figures = json.loads(output.getvalue().splitlines()[-1])
    assert figures["drill"] == "completed"
    assert figures["sync_acknowledged"] > 0 and figures["async_acknowledged"] > 0
    assert figures["sync_lost_acknowledged"] == 0
    assert 0 < figures["sync_rto_s"] < 30
    assert 0 < figures["sync_promote_s"] <= figures["sync_rto_s"]
    assert 0 < figures["async_promote_s"] <= figures["async_rto_s"]
    assert figures["async_lost_acknowledged"] >= 0 and figures["async_loss_window_s"] >= 0
    exercise = Exercise.objects.get(pk=figures["recorded_exercise"])
    assert (exercise.plan, exercise.status, exercise.lost_transactions) == (plan, "completed", 0)
    assert exercise.measured_rpo_seconds == 0 and exercise.met_targets is True
