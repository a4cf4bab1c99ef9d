"""What every ticket service shares: who may act on a ticket, locking it, its history entries and
its status moves (which keep the pauses and the SLA state in step).

Lock order: ticket rows in primary-key order (``lock_ticket``); audit events take no lock (they
are sealed into the chain after commit). Mail and webhooks leave after commit.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.exceptions import DomainError
from secretariat.servicedesk.models import PAUSE_STATUSES, EntryKind, Ticket, TicketEntry, TicketPause, TicketStatus
from secretariat.servicedesk.selectors import CHANGE_TICKET, VIEW_TICKET, my_tickets
from secretariat.servicedesk.services.sla import recompute_sla


class TicketClosed(DomainError):
    message = _("Ticket %(reference)s is %(status)s and can no longer be changed.")
    code = "ticket_closed"


def require_agent(*, actor, ticket: Ticket, action) -> None:
    """Working on a ticket takes ``change_ticket`` over it (its department, entity or duty station)."""
    require_permission(actor=actor, permission=CHANGE_TICKET, target=ticket, action=action)


def require_on_ticket(*, actor, ticket: Ticket, action) -> None:
    """Adding to a ticket: its requester, raiser or a watcher, or an agent who sees it; ``None`` is the platform."""
    if actor is None or my_tickets(actor=actor).filter(pk=ticket.pk).exists():
        return
    require_permission(actor=actor, permission=VIEW_TICKET, target=ticket, action=action)


def requester_user(ticket: Ticket):
    return ticket.requester.user


def lock_ticket(ticket_id: int) -> Ticket:
    return (Ticket.objects.select_for_update(no_key=True, of=("self",))
            .select_related("service", "level", "duty_station", "requester", "desk").get(pk=ticket_id))


def add_entry(ticket: Ticket, *, kind: str, actor=None, body: str = "", from_status: str = "", to_status: str = "",
              at=None, is_from_requester: bool = False, author_label: str = "") -> TicketEntry:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return TicketEntry.objects.create(
        ticket=ticket, kind=kind, author=actor if is_user else None,
        author_label=author_label or (actor.get_username() if is_user else ""), body=body,
        from_status=from_status, to_status=to_status, created_at=at or timezone.now(),
        is_from_requester=is_from_requester,
    )


def refuse_if_finished(ticket: Ticket) -> None:
    if not ticket.is_open and ticket.status != TicketStatus.RESOLVED:
        raise TicketClosed(reference=ticket.reference, status=ticket.get_status_display())


def move_ticket(ticket: Ticket, *, actor, to_status: str, at: datetime.datetime, body: str = "") -> None:
    """Change status, keeping the pause intervals and the SLA state in step (ticket locked)."""
    from_status = ticket.status
    ticket.transition_to(to_status)
    if from_status in PAUSE_STATUSES:
        TicketPause.objects.filter(ticket=ticket, resumed_at__isnull=True).update(resumed_at=at)
    if to_status in PAUSE_STATUSES:
        TicketPause.objects.create(ticket=ticket, reason=to_status, paused_at=at)
    if to_status == TicketStatus.RESOLVED:
        ticket.resolved_at = at
        agent_replies = ticket.entries.filter(kind=EntryKind.PUBLIC_REPLY, is_from_requester=False).count()
        ticket.is_first_contact_resolution = ticket.reassignment_count == 0 and agent_replies <= 1
    elif from_status == TicketStatus.RESOLVED and to_status == TicketStatus.IN_PROGRESS:
        # Reopened: the clock resumes where it stopped, the time spent resolved does not count.
        TicketPause.objects.create(ticket=ticket, reason=TicketStatus.RESOLVED, paused_at=ticket.resolved_at,
                                   resumed_at=at)
        ticket.resolved_at = None
        ticket.is_first_contact_resolution = False
    if to_status == TicketStatus.CLOSED:
        ticket.closed_at = at
    recompute_sla(ticket, now=at)
    ticket.save()
    add_entry(ticket, kind=EntryKind.STATUS_CHANGE, actor=actor, body=body, from_status=from_status,
              to_status=to_status, at=at)
