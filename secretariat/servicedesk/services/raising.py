"""Raising tickets: the subscription covering the requester, the desk chosen, the SLA clocks started, bulk import.

``actor=None`` is the mail channel raising a ticket for a sender without an account.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission_over
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.models import Person
from secretariat.core.scopes import Scope
from secretariat.servicedesk import notifications
from secretariat.servicedesk.models import (
    Channel,
    Desk,
    EntryKind,
    Service,
    ServiceLevel,
    Ticket,
    TicketKind,
    TicketPause,
    TicketStatus,
    TicketWatcher,
)
from secretariat.servicedesk.selectors import CHANGE_TICKET
from secretariat.servicedesk.services.attachments import (
    AttachmentUpload,
    attach_files_to_ticket,
)
from secretariat.servicedesk.services.common import (
    add_entry,
    requester_user,
    require_agent,
)
from secretariat.servicedesk.services.assignment import auto_assign
from secretariat.servicedesk.services.routing import (
    active_desks,
    choose_desk,
    department_subscription,
)
from secretariat.servicedesk.services.sla import (
    ClockBook,
    apply_sla,
    priority_for,
    target_for,
    targets_by_level_priority,
)


class ServiceNotSubscribed(DomainError):
    message = _("%(department)s does not subscribe to the service “%(service)s”.")
    code = "not_subscribed"


class ServiceNotPublished(DomainError):
    message = _("The service “%(service)s” is not published in the catalogue.")
    code = "not_published"


class RequesterHasNoDepartment(DomainError):
    message = _("%(person)s belongs to no department, so no subscription can cover the ticket.")
    code = "no_department"


class NoDeskAvailable(DomainError):
    message = _("No active service desk handles %(kind)s services.")
    code = "no_desk"


@dataclass
class TicketDraft:
    """What a ticket is raised from; also one row of a bulk import."""

    requester: Person
    service: Service
    subject: str
    kind: str = TicketKind.INCIDENT
    description: str = ""
    impact: int = 3
    urgency: int = 2
    channel: str = Channel.PORTAL
    language: str = ""
    category: str = ""
    answers: dict = field(default_factory=dict)
    opened_at: datetime.datetime | None = None
    # Only for the import of tickets already worked elsewhere:
    responded_at: datetime.datetime | None = None
    resolved_at: datetime.datetime | None = None


def check_request_answers(service: Service, answers: dict) -> dict:
    missing = {
        spec["name"]: [_("This field is required.")]
        for spec in service.request_fields if spec.get("required") and not str(answers.get(spec["name"], "")).strip()
    }
    if missing:
        raise InvalidInput(errors=missing)
    known = {spec["name"] for spec in service.request_fields}
    return {name: str(value) for name, value in answers.items() if name in known}


def plan_ticket(draft: TicketDraft, *, actor, clocks: ClockBook, desks: list[Desk], targets: dict,
                subscriptions: dict | None = None, now: datetime.datetime) -> Ticket:
    """Validate a draft and build the unsaved ticket with its priority, SLA clocks and desk.

    Shared by ``raise_ticket`` and ``import_tickets`` so both follow exactly the same rules.
    """
    requester, service = draft.requester, draft.service
    if not service.is_published:
        raise ServiceNotPublished(service=service.localized_name)
    department = requester.org_unit
    if department is None:
        raise RequesterHasNoDepartment(person=requester.full_name)
    opened_at = draft.opened_at or now
    key = (department.pk, service.pk)
    if subscriptions is not None and key in subscriptions:
        subscription = subscriptions[key]
    else:
        subscription = department_subscription(department=department, service=service, on=opened_at.date())
        if subscriptions is not None:
            subscriptions[key] = subscription
    if subscription is None:
        raise ServiceNotSubscribed(department=department.localized_name, service=service.localized_name)
    answers = check_request_answers(service, draft.answers) if draft.kind == TicketKind.SERVICE_REQUEST else {}
    station = requester.duty_station or department.duty_station
    priority = priority_for(impact=draft.impact, urgency=draft.urgency)
    language = draft.language or requester.preferred_language
    needs_approval = draft.kind == TicketKind.SERVICE_REQUEST and service.requires_approval
    status = TicketStatus.PENDING_APPROVAL if needs_approval else TicketStatus.NEW
    if draft.resolved_at is not None:
        status = TicketStatus.CLOSED
    ticket = Ticket(
        kind=draft.kind, service=service, level=subscription.level, department=department, duty_station=station,
        requester=requester, raised_by=actor if getattr(actor, "is_authenticated", False) else None,
        channel=draft.channel, language=language, subject=draft.subject[:200], description=draft.description,
        category=draft.category, request_answers=answers, impact=draft.impact, urgency=draft.urgency,
        priority=priority, status=status, opened_at=opened_at, responded_at=draft.responded_at,
        resolved_at=draft.resolved_at, closed_at=draft.resolved_at,
    )
    ticket.desk = choose_desk(desks=desks, clocks=clocks, language=language, service_kind=service.kind,
                              home_station_id=station.pk, at=opened_at)
    apply_sla(ticket, clock=clocks.clock(duty_station=station, level=subscription.level),
              target=target_for(level=subscription.level, priority=priority, targets=targets),
              pauses=[(opened_at, None)] if needs_approval else [], now=now)
    return ticket


@transaction.atomic
def raise_ticket(*, actor, draft: TicketDraft, attachments: Sequence["AttachmentUpload"] = (),
                 now: datetime.datetime | None = None) -> Ticket:
    """Open an incident or service request for a subscribed department and start its clocks.

    ``attachments`` are stored on the opening entry in the same transaction: a refused file
    leaves no ticket behind. Raising for someone else takes ``change_ticket`` over the new
    ticket; ``actor=None`` is the mail channel raising it for a sender without an account.
    """
    now = now or timezone.now()
    subscriptions: dict = {}
    clocks = ClockBook()
    level_ids = ServiceLevel.objects.filter(service=draft.service).values_list("pk", flat=True)
    ticket = plan_ticket(draft, actor=actor, clocks=clocks, desks=active_desks(),
                         targets=targets_by_level_priority(level_ids), subscriptions=subscriptions, now=now)
    ticket.save()
    if actor is not None and requester_user(ticket) != actor:
        require_agent(actor=actor, ticket=ticket, action=_("raise tickets for others"))
    if ticket.status == TicketStatus.PENDING_APPROVAL:
        TicketPause.objects.create(ticket=ticket, reason=TicketStatus.PENDING_APPROVAL, paused_at=ticket.opened_at)
    opening = add_entry(ticket, kind=EntryKind.EVENT, actor=actor, body=ticket.description, to_status=ticket.status,
                        at=ticket.opened_at, is_from_requester=True)
    attach_files_to_ticket(actor=actor, ticket_id=ticket.pk, uploads=attachments, entry=opening)
    if actor is not None and getattr(actor, "is_authenticated", False) and requester_user(ticket) != actor:
        TicketWatcher.objects.get_or_create(ticket=ticket, user=actor)
    if ticket.status == TicketStatus.NEW and ticket.desk is not None and ticket.desk.auto_assign:
        auto_assign(ticket, now=ticket.opened_at)
    record_audit_event(actor=actor, action="servicedesk.ticket.raised", target=ticket, changes={
        "service": ticket.service.code, "priority": ticket.priority, "channel": ticket.channel,
        "desk": ticket.desk.code if ticket.desk else None,
    })
    notifications.ticket_event("ticket.raised", ticket)
    return ticket


IMPORT_FIELDS = [field.name for field in Ticket._meta.concrete_fields if field.name != "id"]


@transaction.atomic
def import_tickets(*, actor, drafts: list[TicketDraft], clocks: ClockBook | None = None,
                   subscriptions: dict | None = None, desks: list[Desk] | None = None,
                   targets: dict | None = None, now: datetime.datetime | None = None) -> list[Ticket]:
    """Bring in a batch of tickets (history from another tool, or a bulk feed) in one statement.

    Every row passes ``plan_ticket`` — the same validation, priority matrix, routing and SLA
    clocks as ``raise_ticket`` — and the batch is audited as one event. Caches may be passed in
    so that a long import compiles each calendar once. Importing takes ``change_ticket`` over the
    whole organisation, since a batch may hold tickets of any department.
    """
    require_permission_over(actor=actor, permission=CHANGE_TICKET, scope=Scope("global"),
                            action=_("import tickets"))
    now = now or timezone.now()
    clocks = clocks or ClockBook()
    desks = desks if desks is not None else active_desks()
    if targets is None:
        targets = targets_by_level_priority(ServiceLevel.objects.values_list("pk", flat=True))
    subscriptions = subscriptions if subscriptions is not None else {}
    tickets = [plan_ticket(draft, actor=actor, clocks=clocks, desks=desks, targets=targets,
                           subscriptions=subscriptions, now=now) for draft in drafts]
    for ticket in tickets:
        if ticket.resolved_at is not None:
            ticket.is_first_contact_resolution = ticket.responded_at is not None and (
                ticket.resolved_at - ticket.responded_at) <= datetime.timedelta(minutes=30)
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    TicketPause.objects.bulk_create(
        TicketPause(ticket=ticket, reason=TicketStatus.PENDING_APPROVAL, paused_at=ticket.opened_at)
        for ticket in tickets if ticket.status == TicketStatus.PENDING_APPROVAL)
    record_audit_event(actor=actor, action="servicedesk.ticket.imported", changes={"count": len(tickets)})
    return tickets
