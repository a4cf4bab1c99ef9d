"""Working a ticket: pauses stop the clock, resolution records breach and first-contact
resolution, priority/level/calendar changes recompute the clocks, notes stay internal, merge."""

import datetime

import pytest

from secretariat.core.models import PublicHoliday
from secretariat.servicedesk import selectors
from secretariat.servicedesk.models import InvalidTransition, TicketStatus
from secretariat.servicedesk.services import (
    CannotMergeIntoItself,
    TicketClosed,
    TicketDraft,
    add_requester_reply,
    change_ticket_level,
    change_ticket_priority,
    change_ticket_status,
    merge_tickets,
    raise_ticket,
    recompute_sla_for_duty_station,
    reply_to_ticket,
    resolve_ticket,
)
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db
MONDAY_9 = geneva_time(2026, 11, 23, 9, 0)


@pytest.fixture
def ticket(catalogue):
    return raise_ticket(actor=catalogue.requester_user, now=MONDAY_9, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Mailbox full",
        impact=1, urgency=2, opened_at=MONDAY_9))  # priority 2: response 1 h, resolution 8 h


def test_awaiting_the_user_pauses_the_resolution_clock(catalogue, ticket):
    assert ticket.resolution_due_at == geneva_time(2026, 11, 23, 17, 0)
    # when the agent waits on the user from 10:00 to 12:00
    change_ticket_status(actor=catalogue.agent, ticket_id=ticket.pk, status=TicketStatus.AWAITING_USER,
                         now=geneva_time(2026, 11, 23, 10, 0))
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None and ticket.resolution_used_seconds == 3600
    add_requester_reply(ticket_id=ticket.pk, body="Here is the screenshot", actor=catalogue.requester_user,
                        now=geneva_time(2026, 11, 23, 12, 0))
    # then the clock runs again and is due two business hours later than before
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.resolution_due_at == geneva_time(2026, 11, 24, 10, 30)


def test_resolving_in_time_counts_as_first_contact_resolution(catalogue, ticket):
    # when
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Archived old mail",
                   now=geneva_time(2026, 11, 23, 9, 20))
    # then
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.response_breached is False and ticket.resolution_breached is False
    assert ticket.is_first_contact_resolution is True


def test_resolving_late_is_a_breach(catalogue, ticket):
    reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Looking into it",
                    now=geneva_time(2026, 11, 23, 11, 0))
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Done",
                   now=geneva_time(2026, 11, 24, 11, 0))
    ticket.refresh_from_db()
    assert ticket.response_breached is True  # 2 h for a 1 h target
    assert ticket.resolution_breached is True  # 10.5 business hours for an 8 h target
    assert ticket.is_first_contact_resolution is False


def test_raising_the_priority_recomputes_the_clocks_from_the_opening(catalogue, ticket):
    change_ticket_priority(actor=catalogue.agent, ticket_id=ticket.pk, impact=1, urgency=1,
                           now=geneva_time(2026, 11, 23, 10, 0))
    ticket.refresh_from_db()
    assert ticket.priority == 1
    assert ticket.response_due_at == geneva_time(2026, 11, 23, 9, 30)
    assert ticket.resolution_due_at == geneva_time(2026, 11, 23, 13, 0)


def test_moving_to_the_gold_level_recomputes_on_round_the_clock_cover(catalogue, ticket):
    change_ticket_level(actor=catalogue.agent, ticket_id=ticket.pk, level=catalogue.gold, now=MONDAY_9)
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == geneva_time(2026, 11, 23, 13, 0)  # gold P2: 4 h


def test_a_new_holiday_recomputes_open_tickets_of_the_duty_station(catalogue, ticket):
    PublicHoliday.objects.create(duty_station=catalogue.geneva, holiday_on=datetime.date(2026, 11, 23),
                                 name="Jeûne genevois (moved)")
    assert recompute_sla_for_duty_station(actor=catalogue.agent, duty_station=catalogue.geneva, now=MONDAY_9) == 1
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == geneva_time(2026, 11, 24, 17, 0)


def test_internal_notes_are_hidden_from_the_requester(catalogue, ticket):
    reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Vendor ticket 4711", is_public=False)
    reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="We are on it")
    requester_view = [e.body for e in selectors.visible_entries(ticket=ticket, as_agent=False) if e.body]
    agent_view = [e.body for e in selectors.visible_entries(ticket=ticket, as_agent=True) if e.body]
    assert "Vendor ticket 4711" not in requester_view and "We are on it" in requester_view
    assert "Vendor ticket 4711" in agent_view


def test_a_closed_ticket_can_no_longer_change(catalogue, ticket):
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Done")
    change_ticket_status(actor=catalogue.agent, ticket_id=ticket.pk, status=TicketStatus.CLOSED)
    with pytest.raises(TicketClosed) as refusal:
        reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Hello?")
    assert str(refusal.value) == f"Ticket {ticket.reference} is Closed and can no longer be changed."


def test_an_invalid_transition_is_refused(catalogue, ticket):
    with pytest.raises(InvalidTransition) as refusal:
        change_ticket_status(actor=catalogue.agent, ticket_id=ticket.pk, status=TicketStatus.CLOSED)
    assert str(refusal.value) == "A ticket in status “New” cannot move to “Closed”."


def test_merging_a_duplicate_closes_it_and_links_it(catalogue, ticket):
    duplicate = raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Mailbox full again"))
    merge_tickets(actor=catalogue.agent, ticket_id=duplicate.pk, into_id=ticket.pk)
    duplicate.refresh_from_db()
    assert duplicate.status == TicketStatus.MERGED and duplicate.merged_into == ticket
    assert duplicate.links.get().related == ticket
    with pytest.raises(CannotMergeIntoItself):
        merge_tickets(actor=catalogue.agent, ticket_id=ticket.pk, into_id=ticket.pk)


def test_a_holiday_added_through_the_organisation_moves_open_tickets_due_times(catalogue, ticket):
    from secretariat.core.services import add_public_holiday
    from secretariat.core.tests.factories import UserFactory

    administrator = UserFactory(username="calendar.admin")
    administrator.is_superuser = True
    administrator.save()
    # when: the duty station's calendar changes through the core service, not the service desk
    add_public_holiday(actor=administrator, duty_station=catalogue.geneva, holiday_on=datetime.date(2026, 11, 23),
                       name="Jeûne genevois (moved)")
    # then
    ticket.refresh_from_db()
    assert ticket.resolution_due_at == geneva_time(2026, 11, 24, 17, 0)
