"""Tickets waiting for the user (read by the work inbox, see core/work_inbox.py): open tickets
assigned to them, and their own requests on which the desk awaits their answer."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.core.work_inbox import Waiting, register
from secretariat.servicedesk.models import OPEN_STATUSES, TicketStatus
from secretariat.servicedesk.selectors import my_tickets, tickets_for_agent


def describe_ticket(ticket) -> str:
    return f"#{ticket.pk} · {ticket.subject}"


def ticket_link(ticket) -> str:
    return reverse("servicedesk:ticket_detail", args=[ticket.pk])


@register
def tickets_waiting(user):
    yield Waiting(_("Tickets assigned to me"),
                  tickets_for_agent(actor=user).filter(assignee=user, status__in=OPEN_STATUSES).order_by(
                      "priority", "resolution_due_at"),
                  describe_ticket, ticket_link)
    yield Waiting(_("My requests awaiting my answer"),
                  my_tickets(actor=user).filter(status=TicketStatus.AWAITING_USER).order_by("opened_at"),
                  describe_ticket, ticket_link)
