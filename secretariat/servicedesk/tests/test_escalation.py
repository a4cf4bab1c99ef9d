"""Escalation rules fire once, before or after the resolution due time: notify, reassign, raise priority."""

import pytest

from secretariat.servicedesk.models import EscalationRule
from secretariat.servicedesk.services import (
    TicketDraft,
    change_ticket_status,
    escalate_tickets,
    raise_ticket,
    reply_to_ticket,
)
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db
MONDAY_9 = geneva_time(2026, 11, 23, 9, 0)


@pytest.fixture
def ticket(catalogue):
    return raise_ticket(actor=catalogue.requester_user, now=MONDAY_9, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="VPN down", impact=1, urgency=2,
        opened_at=MONDAY_9))  # due Monday 17:00


def test_a_warning_before_the_due_time_notifies_the_desk_once(catalogue, ticket, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=-60, action="notify")
    ticket.desk = catalogue.geneva_desk
    ticket.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_tickets(now=geneva_time(2026, 11, 23, 15, 59)) == 0
        assert escalate_tickets(now=geneva_time(2026, 11, 23, 16, 0)) == 1
        assert escalate_tickets(now=geneva_time(2026, 11, 23, 16, 30)) == 0  # fires once
    assert [m.to for m in mailoutbox] == [["ivan@example.org"]]
    assert mailoutbox[0].subject == f"SLA [{ticket.reference}] VPN down"


def test_after_the_breach_the_ticket_is_reassigned_and_raised(catalogue, ticket):
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=0, action="reassign",
                                  reassign_to=catalogue.amman_desk)
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=30, action="raise_priority")
    assert escalate_tickets(now=geneva_time(2026, 11, 23, 17, 0)) == 1
    ticket.refresh_from_db()
    assert ticket.desk == catalogue.amman_desk and ticket.priority == 2
    assert escalate_tickets(now=geneva_time(2026, 11, 23, 17, 30)) == 1
    ticket.refresh_from_db()
    assert ticket.priority == 1


def test_a_paused_ticket_does_not_escalate(catalogue, ticket):
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=0, action="raise_priority")
    change_ticket_status(actor=catalogue.agent, ticket_id=ticket.pk, status="awaiting_vendor",
                         now=geneva_time(2026, 11, 23, 10, 0))
    assert escalate_tickets(now=geneva_time(2026, 11, 30, 10, 0)) == 0


def test_raising_a_critical_ticket_sends_no_notice_and_notices_are_not_doubled(
        catalogue, ticket, mailoutbox, django_capture_on_commit_callbacks):
    # given a critical ticket at the Geneva desk, a raise-priority rule and two notify rules due together
    ticket.desk, ticket.priority, ticket.urgency = catalogue.geneva_desk, 1, 1
    ticket.save()
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=0, action="raise_priority")
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=-60, action="notify")
    EscalationRule.objects.create(level=catalogue.silver, offset_minutes=-30, action="notify")
    # when all three come due in one run
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_tickets(now=geneva_time(2026, 11, 24, 9, 0)) == 3
    # then the priority stays critical and the desk gets one SLA notice
    ticket.refresh_from_db()
    assert ticket.priority == 1
    assert [m.subject for m in mailoutbox] == [f"SLA [{ticket.reference}] VPN down"]


def test_a_response_rule_fires_while_nobody_has_answered(catalogue, ticket, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    # given a notice 15 minutes before the first response is due (priority 2: one hour, 10:00)
    EscalationRule.objects.create(level=catalogue.silver, target="response", offset_minutes=-15, action="notify")
    ticket.desk = catalogue.geneva_desk
    ticket.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_tickets(now=geneva_time(2026, 11, 23, 9, 44)) == 0
        assert escalate_tickets(now=geneva_time(2026, 11, 23, 9, 45)) == 1
    assert mailoutbox[0].body == f"{ticket.reference}: first response due 2026-11-23 09:00 UTC"


def test_a_response_rule_does_not_fire_once_the_agent_answered(catalogue, ticket):
    EscalationRule.objects.create(level=catalogue.silver, target="response", offset_minutes=0, action="notify")
    reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Looking into it",
                    now=geneva_time(2026, 11, 23, 9, 30))
    assert escalate_tickets(now=geneva_time(2026, 11, 23, 11, 0)) == 0
