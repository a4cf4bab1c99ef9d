"""Celery application: background jobs run by workers in production, eagerly in the embedded
default and in tests (no broker configured)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")

app = Celery("secretariat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs. Beat runs django-celery-beat's DatabaseScheduler (CELERY_BEAT_SCHEDULER), which
# writes these entries into its PeriodicTask table at every start: their timing is reset from
# here, while an entry disabled in the admin stays disabled; entries a module adds by migration
# (content's fixity check) are left alone. A run still queued when its successor is due expires
# unrun (``expire_seconds``): the next run does the same work, so a stalled worker does not come
# back to a backlog of identical jobs.
app.conf.beat_schedule = {
    "core: seal audit events": {
        "task": "secretariat.core.tasks.seal_audit_events",
        "schedule": 60.0,
        "options": {"expire_seconds": 55},
    },
    "core: verify and checkpoint the audit chain": {
        "task": "secretariat.core.tasks.checkpoint_audit_chain",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3500},
    },
    "finance: verify the ledger": {
        "task": "secretariat.finance.tasks.verify_ledger_daily",
        "schedule": 86400.0,
        "options": {"expire_seconds": 82800},
    },
    "servicedesk: escalate tickets": {
        "task": "secretariat.servicedesk.tasks.escalate_tickets",
        "schedule": 60.0,
        "options": {"expire_seconds": 55},
    },
    "servicedesk: fetch mail": {
        "task": "secretariat.servicedesk.tasks.fetch_servicedesk_mail",
        "schedule": 60.0,
        "options": {"expire_seconds": 55},
    },
    "servicedesk: hand over shifts": {
        "task": "secretariat.servicedesk.tasks.hand_over_shifts",
        "schedule": 300.0,
        "options": {"expire_seconds": 290},
    },
    "servicedesk: close resolved tickets": {
        "task": "secretariat.servicedesk.tasks.close_resolved_tickets",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3500},
    },
}
