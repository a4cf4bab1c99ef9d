"""Celery tasks of the core, scheduled in ``secretariat/celery_app.py``."""

import logging

from celery import shared_task

from secretariat.core.audit import seal_audit_chain, verify_audit_chain, write_audit_checkpoint

logger = logging.getLogger(__name__)


@shared_task
def seal_audit_events() -> int:
    """Run every minute: seal audit events that no after-commit seal picked up (ADR 0005)."""
    return seal_audit_chain()


@shared_task
def checkpoint_audit_chain() -> bool:
    """Run hourly: verify the whole chain and, if intact, append a checkpoint outside the database
    (ADR 0006); a broken chain is logged as an error and gets no checkpoint."""
    result = verify_audit_chain()
    if not result.is_intact:
        logger.error("audit chain not intact at event %s: %s", result.first_broken_sequence, result.reason)
        return False
    write_audit_checkpoint()
    return True
