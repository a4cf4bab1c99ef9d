"""The failover drill on loopback clusters: synchronous RPO 0, measured RTO, recorded as an exercise."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secretariat.continuity.drill import exclusive_drill_lock, run_failover_drill
from secretariat.continuity.exceptions import DrillAlreadyRunning
from secretariat.continuity.models import Exercise
from secretariat.continuity.services import PLATFORM_APPLICATION_NAME
from secretariat.continuity.tests.factories import ApplicationFactory, RecoveryPlanFactory



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
    assert figures["async_lost_acknowledged"] >= 0 and figures["async_loss_window_s"] >= 0
    exercise = Exercise.objects.get(pk=figures["recorded_exercise"])
    assert (exercise.plan, exercise.status, exercise.lost_transactions) == (plan, "completed", 0)
    assert exercise.measured_rpo_seconds == 0 and exercise.met_targets is True
