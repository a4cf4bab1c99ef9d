"""Resolved tickets close by themselves once the requester had their say: after a stated number of
working days of the ticket's duty station (``SECRETARIAT_SERVICEDESK_AUTO_CLOSE_DAYS``, 5 by
default). The platform acts (a scheduled task), as for escalation."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from secretariat.core.audit import record_audit_event
from secretariat.servicedesk import notifications
from secretariat.servicedesk.business_time import working_days_between
from secretariat.servicedesk.models import Ticket, TicketStatus
from secretariat.servicedesk.services.common import lock_ticket, move_ticket
from secretariat.servicedesk.services.sla import calendar_for


def auto_close_days() -> int:
    return getattr(settings, "SECRETARIAT_SERVICEDESK_AUTO_CLOSE_DAYS", 5)


@transaction.atomic
def close_resolved_tickets(*, now=None) -> int:
    """Close every ticket resolved at least ``auto_close_days()`` working days ago; returns how many."""
    now = now or timezone.now()
    days = auto_close_days()
    calendars = {}
    closed = 0
    # No run of N working days is shorter than N calendar days: that bound narrows the scan.
    candidates = (Ticket.objects.filter(status=TicketStatus.RESOLVED,
                                        resolved_at__lte=now - datetime.timedelta(days=days))
                  .order_by("pk").values_list("pk", flat=True))
    for ticket_id in candidates:
        ticket = lock_ticket(ticket_id)
        if ticket.status != TicketStatus.RESOLVED:
            continue  # reopened meanwhile
        station = ticket.duty_station
        if station.pk not in calendars:
            calendars[station.pk] = calendar_for(duty_station=station)
        if working_days_between(calendars[station.pk], ticket.resolved_at, now) < days:
            continue
        move_ticket(ticket, actor=None, to_status=TicketStatus.CLOSED, at=now,
                    body=f"closed {days} working days after resolution")
        record_audit_event(actor=None, actor_label="servicedesk.auto_close", action="servicedesk.ticket.status_changed",
                           target=ticket, changes={"status": [TicketStatus.RESOLVED, TicketStatus.CLOSED]})
        notifications.ticket_event("ticket.status_changed", ticket)
        closed += 1
    return closed
