"""A requester's reply to a resolved ticket: within the reopen window it reopens the ticket and the
SLA clock resumes where it stopped; later (or on a closed ticket) a new ticket is raised, linked
to the first as its follow-up."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from secretariat.core.audit import AuditEvent
from secretariat.servicedesk.models import Channel, LinkKind, Ticket, TicketLink, TicketStatus
from secretariat.servicedesk.services import (
    TicketDraft,
    add_requester_reply,
    change_ticket_status,
    raise_ticket,
    resolve_ticket,
)
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db
MONDAY_9 = geneva_time(2026, 11, 23, 9, 0)


@pytest.fixture
def resolved(catalogue):
    """Raised Monday 9:00 (priority 2: eight business hours), resolved at 10:00 after one hour."""
    ticket = raise_ticket(actor=catalogue.requester_user, now=MONDAY_9, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="VPN drops",
        impact=1, urgency=2, opened_at=MONDAY_9))
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Reset the token",
                   now=geneva_time(2026, 11, 23, 10, 0))
    return ticket


def test_a_reply_within_the_window_reopens_the_ticket_and_the_clock_resumes(catalogue, resolved):
    # when the requester answers "Still broken" the next day
    entry = add_requester_reply(actor=catalogue.requester_user, ticket_id=resolved.pk, body="Still broken",
                                now=geneva_time(2026, 11, 24, 11, 0))
    # then the ticket is open again, the day it stood resolved not counted against the target
    resolved.refresh_from_db()
    assert entry.ticket_id == resolved.pk
    assert resolved.status == TicketStatus.IN_PROGRESS and resolved.resolved_at is None
    assert resolved.resolution_used_seconds == 3600 and resolved.resolution_breached is None
    # seven business hours left from Tuesday 11:00: six that day (to 17:00), one from 8:30 on Wednesday
    assert resolved.resolution_due_at == geneva_time(2026, 11, 25, 9, 30)
    assert list(resolved.entries.values_list("to_status", flat=True))[-1] == TicketStatus.IN_PROGRESS
    assert not Ticket.objects.exclude(pk=resolved.pk).exists()


def test_a_reply_after_the_window_raises_a_linked_follow_up(catalogue, resolved):
    # when the requester answers eleven days after the resolution
    entry = add_requester_reply(actor=catalogue.requester_user, ticket_id=resolved.pk, body="Broken again",
                                now=geneva_time(2026, 12, 4, 10, 0))
    # then a new ticket is raised with the reply, linked to the resolved one, which stays resolved
    follow_up = entry.ticket
    resolved.refresh_from_db()
    assert resolved.status == TicketStatus.RESOLVED
    assert follow_up.pk != resolved.pk and follow_up.status == TicketStatus.NEW
    assert (follow_up.subject, follow_up.description, follow_up.requester) == (
        "VPN drops", "Broken again", catalogue.requester)
    assert TicketLink.objects.filter(ticket=follow_up, related=resolved, kind=LinkKind.FOLLOW_UP).exists()
    assert AuditEvent.objects.filter(action="servicedesk.ticket.followed_up",
                                     changes__follow_up=follow_up.reference).exists()


def test_a_reply_to_a_closed_ticket_raises_a_follow_up(catalogue, resolved):
    change_ticket_status(actor=catalogue.agent, ticket_id=resolved.pk, status=TicketStatus.CLOSED,
                         now=geneva_time(2026, 11, 23, 11, 0))
    entry = add_requester_reply(actor=catalogue.requester_user, ticket_id=resolved.pk, body="Again",
                                now=geneva_time(2026, 11, 24, 9, 0))
    assert entry.ticket_id != resolved.pk
    assert TicketLink.objects.filter(ticket=entry.ticket, related=resolved, kind=LinkKind.FOLLOW_UP).exists()


def test_the_portal_reply_form_on_a_resolved_ticket_leads_to_the_follow_up(client, catalogue, resolved):
    # given the ticket page, weeks after the resolution
    client.force_login(catalogue.requester_user)
    page = client.get(f"/servicedesk/tickets/{resolved.pk}/").content.decode()
    assert f'action="/servicedesk/tickets/{resolved.pk}/requester_reply/"' in page
    # when the requester sends a message
    response = client.post(f"/servicedesk/tickets/{resolved.pk}/requester_reply/", {"body": "Still broken"})
    # then they land on the new ticket, which names the first one
    follow_up = Ticket.objects.exclude(pk=resolved.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/servicedesk/tickets/{follow_up.pk}/"
    assert follow_up.channel == Channel.PORTAL and follow_up.description == "Still broken"


def test_the_api_reply_on_a_recently_resolved_ticket_reopens_it(catalogue, resolved):
    resolved.resolved_at = timezone.now() - datetime.timedelta(hours=1)
    resolved.save(update_fields=["resolved_at"])
    client = APIClient()
    client.force_authenticate(catalogue.requester_user)
    response = client.post(f"/api/v1/servicedesk/tickets/{resolved.pk}/reply/", {"body": "Still broken"},
                           format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
