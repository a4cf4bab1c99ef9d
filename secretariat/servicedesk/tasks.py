"""Celery tasks: periodic interfaces to the services (schedule them with django-celery-beat)."""

from celery import shared_task

from secretariat.servicedesk import mail, services
from secretariat.servicedesk.models import MailChannel


@shared_task
def escalate_tickets() -> int:
    """Run every minute: fire due escalation rules."""
    return services.escalate_tickets()


@shared_task
def fetch_channel_mail(channel_id: int) -> int:
    return len(mail.fetch_mail(channel=MailChannel.objects.get(pk=channel_id)))
