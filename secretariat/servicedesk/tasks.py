"""Celery tasks: periodic interfaces to the services, scheduled in ``secretariat/celery_app.py``.

No user is behind them: escalation and the shift hand-over run as the platform itself, and mail is accepted for its
sender's account (or for the sender, when they have none) with the same checks as the portal.
"""

from celery import shared_task

from secretariat.servicedesk import mail, services
from secretariat.servicedesk.models import MailChannel


@shared_task
def escalate_tickets() -> int:
    """Run every minute: fire due escalation rules."""
    return services.escalate_tickets()


@shared_task
def hand_over_shifts() -> dict[str, int]:
    """Run every five minutes: desks whose shift has ended pass their unassigned tickets to an open desk."""
    return services.hand_over_closed_desks()


@shared_task
def close_resolved_tickets() -> int:
    """Run every hour: resolved tickets close after the stated number of working days."""
    return services.close_resolved_tickets()


@shared_task
def fetch_servicedesk_mail() -> int:
    """Poll every desk mailbox, one task per mailbox so that one unreachable server holds up no other."""
    channel_ids = list(MailChannel.objects.order_by("pk").values_list("pk", flat=True))
    for channel_id in channel_ids:
        fetch_channel_mail.delay(channel_id)
    return len(channel_ids)


@shared_task
def fetch_channel_mail(channel_id: int) -> int:
    return len(mail.fetch_mail(channel=MailChannel.objects.get(pk=channel_id)))
