"""Celery tasks of the finance app, scheduled in ``secretariat/celery_app.py``."""

import logging

from celery import shared_task

from secretariat.finance.ledger_verification import verify_ledger

logger = logging.getLogger(__name__)


@shared_task
def verify_ledger_daily() -> int:
    """Run daily: detect ledger changes made behind the platform's back (ADR 0006); returns the
    number of findings, each logged as an error for the operators' alerting."""
    result = verify_ledger()
    for finding in result.findings:
        logger.error("ledger verification: %s", finding)
    return len(result.findings)
