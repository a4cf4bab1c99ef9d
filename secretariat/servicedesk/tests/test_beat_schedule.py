"""The periodic service-desk jobs: beat's schedule names tasks a worker really has, and the
database scheduler that beat runs stores each job at its interval."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from secretariat.celery_app import app

pytestmark = pytest.mark.django_db

# name: (task, every seconds, expire seconds)
SERVICEDESK_JOBS = {
    "servicedesk: escalate tickets": ("secretariat.servicedesk.tasks.escalate_tickets", 60, 55),
    "servicedesk: fetch mail": ("secretariat.servicedesk.tasks.fetch_servicedesk_mail", 60, 55),
    "servicedesk: hand over shifts": ("secretariat.servicedesk.tasks.hand_over_shifts", 300, 290),
    "servicedesk: close resolved tickets": ("secretariat.servicedesk.tasks.close_resolved_tickets", 3600, 3500),
}


def tasks_a_worker_registers() -> set[str]:
    """The task names a freshly started worker knows, found the way the worker finds them."""
    program = ("import django, json; django.setup(); from secretariat.celery_app import app; "
               "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "secretariat.test_settings"},
                            cwd=settings.BASE_DIR)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_schedule_names_tasks_a_worker_registers():
    scheduled = {name: entry["task"] for name, entry in app.conf.beat_schedule.items()}
    assert {name: scheduled.get(name) for name in SERVICEDESK_JOBS} == {
        name: task for name, (task, _every, _expire) in SERVICEDESK_JOBS.items()}
    assert set(scheduled.values()) <= tasks_a_worker_registers()


# The scheduler calls close_old_connections(), which drops a connection left inside a
# transaction, so this test runs outside the transaction pytest-django wraps tests in.
@pytest.mark.django_db(transaction=True)
def test_beat_writes_the_jobs_into_the_database_schedule_at_their_intervals():
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    DatabaseScheduler(app=app)  # what `celery beat` does at start-up
    rows = PeriodicTask.objects.filter(name__in=SERVICEDESK_JOBS).select_related("interval")
    assert {row.name: (row.task, row.enabled, row.interval.every, row.interval.period, row.expire_seconds)
            for row in rows} == {name: (task, True, every, "seconds", expire)
                                 for name, (task, every, expire) in SERVICEDESK_JOBS.items()}
