"""Celery tasks of the core, scheduled in ``secretariat/celery_app.py``."""

from celery import shared_task

from secretariat.core.audit import seal_audit_chain


@shared_task
def seal_audit_events() -> int:
    """Run every minute: seal audit events that no after-commit seal picked up (ADR 0005)."""
    return seal_audit_chain()
