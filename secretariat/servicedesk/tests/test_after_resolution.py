"""After resolution: the requester is invited to the survey by mail in their language, and a
resolved ticket closes by itself after the stated number of working days of its duty station."""

import datetime

import pytest

from secretariat.core.audit import AuditEvent
from secretariat.servicedesk.business_time import BusinessCalendar, working_days_between
from secretariat.servicedesk.models import TicketStatus
from secretariat.servicedesk.services import (
    TicketDraft,
    add_requester_reply,
    answer_survey,
    close_resolved_tickets,
    raise_ticket,
    resolve_ticket,
)
from secretariat.servicedesk.tasks import close_resolved_tickets as close_task
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db
FRIDAY_10 = geneva_time(2026, 12, 18, 10, 0)


@pytest.fixture
def ticket(catalogue):
    moment = geneva_time(2026, 12, 18, 9, 0)
    return raise_ticket(actor=catalogue.requester_user, now=moment, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Mailbox full", opened_at=moment))


def test_the_requester_is_invited_to_the_survey_in_their_language(catalogue, ticket, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Archivado", now=FRIDAY_10)
    invitation = next(mail for mail in mailoutbox if "#survey-heading" in mail.body)
    assert invitation.to == ["lucia@example.org"] and ticket.language == "es"
    assert invitation.subject.startswith(f"[{ticket.reference}] Mailbox full — ")
    assert f"/servicedesk/tickets/{ticket.pk}/#survey-heading" in invitation.body


def test_no_second_invitation_once_the_survey_is_answered(catalogue, ticket, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Done", now=FRIDAY_10)
    answer_survey(actor=catalogue.requester_user, ticket_id=ticket.pk, rating=4)
    add_requester_reply(actor=catalogue.requester_user, ticket_id=ticket.pk, body="Again",
                        now=geneva_time(2026, 12, 18, 11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Done again",
                       now=geneva_time(2026, 12, 18, 12, 0))
    assert not [mail for mail in mailoutbox if "#survey-heading" in mail.body]


def test_working_days_skip_weekends_and_holidays():
    calendar = BusinessCalendar(time_zone="Europe/Zurich", holidays=frozenset({datetime.date(2026, 12, 25)}))
    # Friday 18 → Monday 21, Tuesday 22, Wednesday 23, Thursday 24, (Christmas), Monday 28
    assert working_days_between(calendar, FRIDAY_10, geneva_time(2026, 12, 24, 23, 0)) == 4
    assert working_days_between(calendar, FRIDAY_10, geneva_time(2026, 12, 28, 8, 0)) == 5


def test_a_resolved_ticket_closes_after_five_working_days(catalogue, ticket):
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Archived", now=FRIDAY_10)
    # four working days later (Christmas is a Geneva holiday) it is still resolved
    assert close_resolved_tickets(now=geneva_time(2026, 12, 27, 12, 0)) == 0
    # on the fifth it closes, once
    assert close_resolved_tickets(now=geneva_time(2026, 12, 28, 9, 0)) == 1
    assert close_resolved_tickets(now=geneva_time(2026, 12, 29, 9, 0)) == 0
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at == geneva_time(2026, 12, 28, 9, 0)
    assert AuditEvent.objects.filter(action="servicedesk.ticket.status_changed",
                                     actor_label="servicedesk.auto_close").exists()


def test_the_scheduled_task_closes_what_is_due(catalogue, ticket, monkeypatch):
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Archived", now=FRIDAY_10)
    monkeypatch.setattr("django.utils.timezone.now", lambda: geneva_time(2027, 1, 5, 9, 0))
    assert close_task.delay().get() == 1
