"""Raising a ticket: priority from impact × urgency, SLA clocks on the duty station's calendar,
routing, and every refusal with its message."""

import pytest

from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import AuditEvent
from secretariat.servicedesk.models import Subscription, TicketKind, TicketStatus
from secretariat.servicedesk.services import (
    CalendarWithoutTimeZone,
    ServiceNotPublished,
    ServiceNotSubscribed,
    TicketDraft,
    raise_ticket,
)
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db


def draft(catalogue, **fields):
    values = {"requester": catalogue.requester, "service": catalogue.email_service,
              "subject": "No puedo abrir mi correo", "impact": 2, "urgency": 2}
    values.update(fields)
    return TicketDraft(**values)


def test_a_ticket_gets_priority_clocks_and_a_desk(catalogue):
    # given Monday 16:00 in Geneva; silver priority 3 = response 2 h, resolution 24 business hours
    opened = geneva_time(2026, 11, 23, 16, 0)
    # when
    ticket = raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue, opened_at=opened), now=opened)
    # then
    assert ticket.priority == 3 and ticket.status == TicketStatus.NEW
    assert ticket.level == catalogue.silver and ticket.duty_station == catalogue.geneva
    assert ticket.response_due_at == geneva_time(2026, 11, 24, 9, 30)  # 1.5 h today, 0.5 h tomorrow
    # 24 h of 8.5 h days: Mon 1.5 + Tue 8.5 + Wed 8.5 = 18.5, then 5.5 h on Thursday
    assert ticket.resolution_due_at == geneva_time(2026, 11, 26, 14, 30)
    assert ticket.language == "es"
    assert ticket.desk == catalogue.new_york_desk  # open at 10:00 in New York and speaks Spanish
    assert ticket.reference == f"SD-{ticket.pk:07d}"
    event = AuditEvent.objects.get(action="servicedesk.ticket.raised")
    assert event.target_id == str(ticket.pk) and event.changes["desk"] == "ny"


def test_gold_cover_runs_round_the_clock(catalogue):
    Subscription.objects.filter(department=catalogue.department).update(level=catalogue.gold)
    opened = geneva_time(2026, 11, 27, 17, 0)  # Friday evening
    ticket = raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue, opened_at=opened, impact=1,
                                                                      urgency=1), now=opened)
    assert ticket.priority == 1
    assert ticket.resolution_due_at == geneva_time(2026, 11, 27, 19, 0)


def test_a_service_the_department_does_not_subscribe_to_is_refused(catalogue):
    with pytest.raises(ServiceNotSubscribed) as refusal:
        raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue, service=catalogue.unsubscribed_service))
    assert str(refusal.value) == "Conference Management does not subscribe to the service “Video conferencing”."


def test_an_unpublished_service_is_refused(catalogue):
    catalogue.email_service.is_published = False
    catalogue.email_service.save()
    with pytest.raises(ServiceNotPublished) as refusal:
        raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue))
    assert str(refusal.value) == "The service “E-mail and calendar” is not published in the catalogue."


def test_a_calendar_without_a_valid_time_zone_is_refused(catalogue):
    catalogue.geneva.time_zone = "Mars/Olympus_Mons"
    catalogue.geneva.save()
    with pytest.raises(CalendarWithoutTimeZone) as refusal:
        raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue))
    assert str(refusal.value) == "The duty station GVA has no valid time zone, so its SLA calendar cannot run."


def test_required_request_fields_are_checked(catalogue):
    catalogue.email_service.request_fields = [{"name": "mailbox", "label": "Mailbox", "required": True}]
    catalogue.email_service.save()
    with pytest.raises(InvalidInput) as refusal:
        raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue, kind=TicketKind.SERVICE_REQUEST))
    assert refusal.value.errors == {"mailbox": ["This field is required."]}


def test_a_request_needing_approval_waits_with_its_clock_stopped(catalogue):
    catalogue.email_service.requires_approval = True
    catalogue.email_service.approver = catalogue.owner
    catalogue.email_service.save()
    ticket = raise_ticket(actor=catalogue.requester_user, draft=draft(catalogue, kind=TicketKind.SERVICE_REQUEST))
    assert ticket.status == TicketStatus.PENDING_APPROVAL
    assert ticket.resolution_due_at is None
    assert ticket.pauses.get().resumed_at is None


def test_the_approver_releases_the_request_and_its_clock_starts(catalogue):
    from secretariat.servicedesk.services import RequestApprovalBySelf, approve_service_request

    catalogue.email_service.requires_approval = True
    catalogue.email_service.approver = catalogue.owner
    catalogue.email_service.save()
    opened = geneva_time(2026, 11, 23, 9, 0)
    ticket = raise_ticket(actor=catalogue.requester_user, now=opened,
                          draft=draft(catalogue, kind=TicketKind.SERVICE_REQUEST, opened_at=opened))
    with pytest.raises(RequestApprovalBySelf):
        approve_service_request(actor=catalogue.requester_user, ticket_id=ticket.pk)
    # when approved two business hours later
    approve_service_request(actor=catalogue.owner, ticket_id=ticket.pk, now=geneva_time(2026, 11, 23, 11, 0))
    # then the 24 business hours run from 11:00
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW
    assert ticket.resolution_due_at == geneva_time(2026, 11, 26, 9, 30)
