"""Every write of the service desk: raising and working tickets, SLA clocks, routing,
escalation, surveys, knowledge articles, configuration items, changes and problems.

Lock order: ticket rows in primary-key order (``lock_tickets``); audit events take no lock (they
are sealed into the chain after commit). Mail and webhooks leave after commit.

Every permission and scope check is made here, so pages, API, mail channel, tasks and commands get
the same answer. ``actor=None`` means the platform itself: the mail channel acting for a sender
without an account, the escalation task. Only the services that say so accept it; every other one
refuses ``None`` like any user without the permission.
"""

import datetime
import posixpath
import re
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission, require_permission_over
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.core.models import DutyStation, OrgUnit, Person
from secretariat.core.scopes import Scope
from secretariat.finance.models import Account, Fund, Journal
from secretariat.finance.services.journal import EntryInput, LineInput, post_journal_entries
from secretariat.servicedesk import notifications
from secretariat.servicedesk.business_time import BusinessCalendar, BusinessClock, read_clock
from secretariat.servicedesk.models import (
    ArticleVersion,
    ChangeKind,
    ChargebackPosting,
    ChangeRequest,
    ChangeStatus,
    Channel,
    ConfigurationItem,
    ConfigurationItemRelationship,
    Cover,
    Desk,
    EntryKind,
    EscalationAction,
    EscalationRule,
    KnowledgeArticle,
    OPEN_STATUSES,
    PAUSE_STATUSES,
    Priority,
    Problem,
    SatisfactionResponse,
    Service,
    ServiceLevel,
    ServiceLevelTarget,
    Subscription,
    Ticket,
    TicketAttachment,
    TicketEntry,
    TicketEscalation,
    TicketKind,
    TicketLink,
    TicketPause,
    TicketStatus,
    TicketWatcher,
    WebhookSubscription,
)
from secretariat.servicedesk.selectors import (
    CHANGE_CHANGE_REQUEST,
    CHANGE_KNOWLEDGE_ARTICLE,
    CHANGE_SERVICE,
    CHANGE_TICKET,
    VIEW_TICKET,
    chargeback_statements,
    my_tickets,
)


# --- Refusals ---------------------------------------------------------------------------------
class ServiceNotSubscribed(DomainError):
    message = _("%(department)s does not subscribe to the service “%(service)s”.")
    code = "not_subscribed"


class ServiceNotPublished(DomainError):
    message = _("The service “%(service)s” is not published in the catalogue.")
    code = "not_published"


class CalendarWithoutTimeZone(DomainError):
    message = _("The duty station %(station)s has no valid time zone, so its SLA calendar cannot run.")
    code = "calendar_without_time_zone"


class NoTargetForPriority(DomainError):
    message = _("The service level “%(level)s” has no target for priority %(priority)s.")
    code = "no_target"


class RequesterHasNoDepartment(DomainError):
    message = _("%(person)s belongs to no department, so no subscription can cover the ticket.")
    code = "no_department"


class TicketClosed(DomainError):
    message = _("Ticket %(reference)s is %(status)s and can no longer be changed.")
    code = "ticket_closed"


class SurveyNotOpen(DomainError):
    message = _("The survey for ticket %(reference)s opens when the ticket is resolved.")
    code = "survey_not_open"


class SurveyAlreadyAnswered(DomainError):
    message = _("The survey for ticket %(reference)s has already been answered.")
    code = "survey_answered"


class NotTheRequester(AccessDenied):
    message = _("Only the requester can answer the survey for ticket %(reference)s.")
    code = "not_requester"


class NotOnTheTicket(AccessDenied):
    message = _("Only the requester or a watcher of ticket %(reference)s can reply to it as the requester.")
    code = "not_on_ticket"


class RequestApprovalBySelf(DomainError):
    message = _("You cannot approve your own request %(reference)s.")
    code = "request_self_approval"


class CannotMergeIntoItself(DomainError):
    message = _("A ticket cannot be merged into itself.")
    code = "merge_self"


class ChangeNotApproved(DomainError):
    message = _("Change %(number)s cannot be implemented: it has not been approved by the change advisory board.")
    code = "change_not_approved"


class ChangeApprovalBySelf(DomainError):
    message = _("The requester of change %(number)s cannot approve it.")
    code = "change_self_approval"


class ChangeNotSubmitted(DomainError):
    message = _("Change %(number)s is %(status)s, not awaiting a decision.")
    code = "change_not_submitted"


class NoDeskAvailable(DomainError):
    message = _("No active service desk handles %(kind)s services.")
    code = "no_desk"


# --- Who may act on a ticket -----------------------------------------------------------------
def require_agent(*, actor, ticket: Ticket, action) -> None:
    """Working on a ticket takes ``change_ticket`` over it (its department, entity or duty station)."""
    require_permission(actor=actor, permission=CHANGE_TICKET, target=ticket, action=action)


def require_on_ticket(*, actor, ticket: Ticket, action) -> None:
    """Adding to a ticket: its requester, raiser or a watcher, or an agent who sees it; ``None`` is the platform."""
    if actor is None or my_tickets(actor=actor).filter(pk=ticket.pk).exists():
        return
    require_permission(actor=actor, permission=VIEW_TICKET, target=ticket, action=action)


# --- Priority and calendars -------------------------------------------------------------------
def priority_for(*, impact: int, urgency: int) -> int:
    """The ITIL impact × urgency matrix: 1+1 is critical, 3+3 (and 2+3) low."""
    return min(impact + urgency - 1, Priority.LOW)


def as_time(value) -> datetime.time:
    """A time field's value; an unsaved instance may still hold the "HH:MM" string it was given."""
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


def calendar_for(*, duty_station: DutyStation, level: ServiceLevel | None = None,
                 holidays: frozenset | None = None) -> BusinessCalendar:
    """The SLA calendar of a service level at a duty station (hours of cover, work week, holidays)."""
    if not duty_station.time_zone or duty_station.time_zone not in zoneinfo.available_timezones():
        raise CalendarWithoutTimeZone(station=duty_station.code)
    if holidays is None:
        holidays = frozenset(duty_station.public_holidays.values_list("holiday_on", flat=True))
    return BusinessCalendar(
        time_zone=duty_station.time_zone, work_days=frozenset(duty_station.work_days),
        starts_at=as_time(duty_station.work_starts_at), ends_at=as_time(duty_station.work_ends_at), holidays=holidays,
        round_the_clock=level is not None and level.cover == Cover.ROUND_THE_CLOCK,
    )


class ClockBook:
    """Compiled business clocks per (duty station, cover), shared over one request or batch."""

    def __init__(self):
        self._clocks: dict[tuple[int, str], BusinessClock] = {}

    def clock(self, *, duty_station: DutyStation, level: ServiceLevel | None) -> BusinessClock:
        cover = level.cover if level is not None else Cover.BUSINESS_HOURS
        key = (duty_station.pk, cover)
        if key not in self._clocks:
            self._clocks[key] = BusinessClock(calendar_for(duty_station=duty_station, level=level))
        return self._clocks[key]


def targets_by_level_priority(level_ids) -> dict[tuple[int, int], ServiceLevelTarget]:
    return {(t.level_id, t.priority): t for t in ServiceLevelTarget.objects.filter(level_id__in=set(level_ids))}


def target_for(*, level: ServiceLevel, priority: int, targets: dict | None = None) -> ServiceLevelTarget:
    target = (targets or {}).get((level.pk, priority))
    if target is None:
        target = ServiceLevelTarget.objects.filter(level=level, priority=priority).first()
    if target is None:
        raise NoTargetForPriority(level=str(level), priority=priority)
    return target


def apply_sla(ticket: Ticket, *, clock: BusinessClock, target: ServiceLevelTarget,
              pauses: list | None = None, now: datetime.datetime | None = None) -> None:
    """Set the ticket's due instants and breach flags from its target, calendar and pauses.

    The single place SLA state is derived: raising, importing, pausing, resuming, resolving
    and any change of priority, level or calendar all come through here.
    """
    pauses = pauses or []
    ticket.response_due_at = clock.add(ticket.opened_at, target.response_minutes * 60)
    if ticket.responded_at is not None:
        ticket.response_breached = ticket.responded_at > ticket.response_due_at
    else:
        ticket.response_breached = None
    until = ticket.resolved_at or now or timezone.now()
    reading = read_clock(clock=clock, opened_at=ticket.opened_at, target_seconds=target.resolution_minutes * 60,
                         pauses=pauses, now=max(until, ticket.opened_at))
    ticket.resolution_due_at = reading.due_at
    ticket.resolution_used_seconds = int(reading.used_seconds)
    if ticket.resolved_at is not None:
        ticket.resolution_breached = reading.used_seconds > target.resolution_minutes * 60
    else:
        ticket.resolution_breached = None


def ticket_pauses(ticket: Ticket) -> list[tuple]:
    return list(ticket.pauses.values_list("paused_at", "resumed_at"))


SLA_FIELDS = ["response_due_at", "response_breached", "resolution_due_at", "resolution_used_seconds",
              "resolution_breached"]


def recompute_sla(ticket: Ticket, *, clocks: ClockBook | None = None, now=None) -> None:
    clock = (clocks or ClockBook()).clock(duty_station=ticket.duty_station, level=ticket.level)
    apply_sla(ticket, clock=clock, target=target_for(level=ticket.level, priority=ticket.priority),
              pauses=ticket_pauses(ticket), now=now)


# --- Subscriptions and routing ----------------------------------------------------------------
def department_subscription(*, department: OrgUnit, service: Service, on: datetime.date) -> Subscription | None:
    """The subscription covering ``department`` (or the nearest enclosing unit) for ``service``."""
    ancestor_ids = [int(part) for part in department.path.strip("/").split("/") if part]
    candidates = (
        Subscription.objects.filter(service=service, department_id__in=ancestor_ids, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).select_related("level", "department")
    )
    by_unit = {subscription.department_id: subscription for subscription in candidates}
    for unit_id in reversed(ancestor_ids):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def choose_desk(*, desks: list[Desk], clocks: ClockBook, language: str, service_kind: str,
                home_station_id: int | None, at: datetime.datetime) -> Desk | None:
    """Follow the sun: a desk open now that speaks the language, preferring the home station.

    Falls back to an open desk in any language, then to the home station's desk, then to any
    desk with the skill, so no ticket is left without a queue.
    """
    skilled = [desk for desk in desks if desk.is_active and (not desk.skills or service_kind in desk.skills)]
    open_now = [desk for desk in skilled if clocks.clock(duty_station=desk.duty_station, level=None).is_open(at)]

    def best(candidates):
        candidates = sorted(candidates, key=lambda desk: (desk.duty_station_id != home_station_id, desk.code))
        return candidates[0] if candidates else None

    return (best([desk for desk in open_now if language in desk.languages]) or best(open_now)
            or best([desk for desk in skilled if desk.duty_station_id == home_station_id]) or best(skilled))


def active_desks() -> list[Desk]:
    return list(Desk.objects.filter(is_active=True).select_related("duty_station"))


# --- Raising tickets --------------------------------------------------------------------------
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


# --- Working tickets --------------------------------------------------------------------------
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
        ticket.resolved_at = None
        ticket.is_first_contact_resolution = False
    if to_status == TicketStatus.CLOSED:
        ticket.closed_at = at
    recompute_sla(ticket, now=at)
    ticket.save()
    add_entry(ticket, kind=EntryKind.STATUS_CHANGE, actor=actor, body=body, from_status=from_status,
              to_status=to_status, at=at)


@transaction.atomic
def change_ticket_status(*, actor, ticket_id: int, status: str, note: str = "", now=None) -> Ticket:
    """Move a ticket along its lifecycle; pause statuses stop the resolution clock."""
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("change the status of tickets"))
    refuse_if_finished(ticket)
    previous = ticket.status
    move_ticket(ticket, actor=actor, to_status=status, at=now or timezone.now(), body=note)
    record_audit_event(actor=actor, action="servicedesk.ticket.status_changed", target=ticket,
                       changes={"status": [previous, status]})
    notifications.ticket_event("ticket.status_changed", ticket)
    return ticket


@transaction.atomic
def reply_to_ticket(*, actor, ticket_id: int, body: str, is_public: bool = True,
                    attachments: Sequence["AttachmentUpload"] = (), now=None) -> TicketEntry:
    """An agent's public reply (mailed to the requester) or internal note (never shown to them).

    Files attached to an internal note are, like the note, shown to agents only.
    """
    now = now or timezone.now()
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("reply to tickets"))
    refuse_if_finished(ticket)
    if not body.strip():
        raise InvalidInput(errors={"body": [_("Write a reply.")]})
    entry = add_entry(ticket, kind=EntryKind.PUBLIC_REPLY if is_public else EntryKind.INTERNAL_NOTE,
                      actor=actor, body=body, at=now)
    attach_files_to_ticket(actor=actor, ticket_id=ticket.pk, uploads=attachments, entry=entry)
    if is_public:
        if ticket.responded_at is None:
            ticket.responded_at = now
            recompute_sla(ticket, now=now)
            ticket.save(update_fields=["responded_at", *SLA_FIELDS])
        if ticket.status == TicketStatus.NEW:
            move_ticket(ticket, actor=actor, to_status=TicketStatus.IN_PROGRESS, at=now)
        notifications.mail_reply_to_requester(ticket, entry)
    record_audit_event(actor=actor, action="servicedesk.ticket.replied" if is_public else "servicedesk.ticket.noted",
                       target=ticket)
    return entry


@transaction.atomic
def add_requester_reply(*, actor, ticket_id: int, body: str, sender: Person | None = None, author_label: str = "",
                        attachments: Sequence["AttachmentUpload"] = (), now=None) -> TicketEntry:
    """The requester answers (portal or e-mail); a ticket awaiting them resumes its clock.

    Only the requester, whoever raised the ticket and its watchers answer as the requester.
    ``actor=None`` is the mail channel answering for ``sender``, a person without an account,
    who must then be the requester.
    """
    now = now or timezone.now()
    ticket = lock_ticket(ticket_id)
    on_ticket = (my_tickets(actor=actor).filter(pk=ticket.pk).exists() if actor is not None
                 else sender is not None and ticket.requester_id == sender.pk)
    if not on_ticket:
        raise NotOnTheTicket(reference=ticket.reference)
    refuse_if_finished(ticket)
    entry = add_entry(ticket, kind=EntryKind.PUBLIC_REPLY, actor=actor, body=body, at=now, is_from_requester=True,
                      author_label=author_label)
    attach_files_to_ticket(actor=actor, ticket_id=ticket.pk, uploads=attachments, entry=entry,
                           author_label=author_label)
    if ticket.status == TicketStatus.AWAITING_USER:
        move_ticket(ticket, actor=actor, to_status=TicketStatus.IN_PROGRESS, at=now)
    record_audit_event(actor=actor, actor_label=author_label or None, action="servicedesk.ticket.requester_replied",
                       target=ticket)
    return entry


@transaction.atomic
def resolve_ticket(*, actor, ticket_id: int, resolution: str, solved_by_article: KnowledgeArticle | None = None,
                   now=None) -> Ticket:
    """Resolve with a public answer; stops the clocks, records breach and first-contact resolution."""
    now = now or timezone.now()
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("resolve tickets"))
    refuse_if_finished(ticket)
    if not resolution.strip():
        raise InvalidInput(errors={"resolution": [_("Say how the ticket was resolved.")]})
    entry = add_entry(ticket, kind=EntryKind.PUBLIC_REPLY, actor=actor, body=resolution, at=now)
    if ticket.responded_at is None:
        ticket.responded_at = now
    ticket.solved_by_article = solved_by_article
    move_ticket(ticket, actor=actor, to_status=TicketStatus.RESOLVED, at=now)
    record_audit_event(actor=actor, action="servicedesk.ticket.resolved", target=ticket, changes={
        "resolution_breached": ticket.resolution_breached, "first_contact": ticket.is_first_contact_resolution,
        "article": solved_by_article.code if solved_by_article else None,
    })
    notifications.mail_reply_to_requester(ticket, entry)
    notifications.ticket_event("ticket.resolved", ticket)
    return ticket


@transaction.atomic
def change_ticket_priority(*, actor, ticket_id: int, impact: int, urgency: int, now=None) -> Ticket:
    """Re-prioritise; the SLA clocks are recomputed from the opening under the new target."""
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("change the priority of tickets"))
    refuse_if_finished(ticket)
    before = ticket.priority
    ticket.impact, ticket.urgency = impact, urgency
    ticket.priority = priority_for(impact=impact, urgency=urgency)
    recompute_sla(ticket, now=now)
    ticket.save()
    add_entry(ticket, kind=EntryKind.EVENT, actor=actor, body=f"priority {before} → {ticket.priority}", at=now)
    record_audit_event(actor=actor, action="servicedesk.ticket.reprioritised", target=ticket,
                       changes={"priority": [before, ticket.priority]})
    return ticket


@transaction.atomic
def change_ticket_level(*, actor, ticket_id: int, level: ServiceLevel, now=None) -> Ticket:
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("change the service level of tickets"))
    refuse_if_finished(ticket)
    if level.service_id != ticket.service_id:
        raise InvalidInput(errors={"level": [_("Choose a level of the ticket's service.")]})
    before = ticket.level.code
    ticket.level = level
    recompute_sla(ticket, now=now)
    ticket.save()
    record_audit_event(actor=actor, action="servicedesk.ticket.level_changed", target=ticket,
                       changes={"level": [before, level.code]})
    return ticket


@transaction.atomic
def recompute_sla_for_duty_station(*, actor, duty_station: DutyStation, now=None) -> int:
    """After a calendar change (holidays, hours, time zone), re-derive every open ticket's clocks.

    No check of its own: it runs inside the calendar change (``core.calendar_changes``), whose
    service already decided that ``actor`` may make it, and it only restates derived SLA state.
    """
    clocks = ClockBook()
    count = 0
    for ticket_id in Ticket.objects.filter(duty_station=duty_station, status__in=OPEN_STATUSES).order_by("pk") \
            .values_list("pk", flat=True):
        ticket = lock_ticket(ticket_id)
        recompute_sla(ticket, clocks=clocks, now=now)
        ticket.save(update_fields=SLA_FIELDS)
        count += 1
    record_audit_event(actor=actor, action="servicedesk.sla.recomputed", target=duty_station,
                       changes={"tickets": count})
    return count


@transaction.atomic
def assign_ticket(*, actor, ticket_id: int, desk: Desk | None = None, assignee=None, now=None) -> Ticket:
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("assign tickets"))
    refuse_if_finished(ticket)
    before = (ticket.desk.code if ticket.desk else None, ticket.assignee_id)
    if (desk is not None and desk != ticket.desk) or (ticket.assignee_id and assignee != ticket.assignee):
        ticket.reassignment_count += 1
    ticket.desk = desk or ticket.desk
    ticket.assignee = assignee
    ticket.save(update_fields=["desk", "assignee", "reassignment_count"])
    add_entry(ticket, kind=EntryKind.ASSIGNMENT, actor=actor, at=now,
              body=f"{ticket.desk.code if ticket.desk else ''} {assignee.get_username() if assignee else ''}".strip())
    record_audit_event(actor=actor, action="servicedesk.ticket.assigned", target=ticket, changes={
        "before": list(before), "desk": ticket.desk.code if ticket.desk else None, "assignee": ticket.assignee_id})
    return ticket


@transaction.atomic
def hand_over_shift(*, actor, desk: Desk, now=None) -> int:
    """End of a desk's shift: its open, unassigned tickets go to the desk that is open now."""
    require_permission(actor=actor, permission=CHANGE_TICKET, target=desk, action=_("hand over shifts"))
    now = now or timezone.now()
    clocks, desks = ClockBook(), [d for d in active_desks() if d.pk != desk.pk]
    moved = 0
    for ticket_id in (Ticket.objects.filter(desk=desk, assignee__isnull=True, status__in=OPEN_STATUSES)
                      .order_by("pk").values_list("pk", flat=True)):
        ticket = lock_ticket(ticket_id)
        target = choose_desk(desks=desks, clocks=clocks, language=ticket.language, service_kind=ticket.service.kind,
                             home_station_id=ticket.duty_station_id, at=now)
        if target is None or not clocks.clock(duty_station=target.duty_station, level=None).is_open(now):
            continue  # nobody is open: the ticket stays and waits for the next shift
        ticket.desk = target
        ticket.save(update_fields=["desk"])
        add_entry(ticket, kind=EntryKind.ASSIGNMENT, actor=actor, at=now, body=f"{desk.code} → {target.code}")
        moved += 1
    record_audit_event(actor=actor, action="servicedesk.desk.handed_over", target=desk, changes={"tickets": moved})
    return moved


@transaction.atomic
def approve_service_request(*, actor, ticket_id: int, approve: bool = True, now=None) -> Ticket:
    now = now or timezone.now()
    ticket = lock_ticket(ticket_id)
    if actor is not None and ticket.requester.user_id == actor.pk:
        raise RequestApprovalBySelf(reference=ticket.reference)
    if actor is None or ticket.service.approver_id != actor.pk:
        require_permission(actor=actor, permission=CHANGE_TICKET, target=ticket,
                           action=_("approve requests"))
    move_ticket(ticket, actor=actor, to_status=TicketStatus.NEW if approve else TicketStatus.REJECTED, at=now)
    record_audit_event(actor=actor, action="servicedesk.ticket.approved" if approve else "servicedesk.ticket.rejected",
                       target=ticket)
    return ticket


@transaction.atomic
def merge_tickets(*, actor, ticket_id: int, into_id: int, now=None) -> Ticket:
    """Close a duplicate by merging it into another ticket; its requester becomes a watcher."""
    if ticket_id == into_id:
        raise CannotMergeIntoItself()
    now = now or timezone.now()
    first, second = sorted([ticket_id, into_id])
    locked = {first: lock_ticket(first), second: lock_ticket(second)}
    ticket, target = locked[ticket_id], locked[into_id]
    for each in (ticket, target):
        require_agent(actor=actor, ticket=each, action=_("merge tickets"))
    refuse_if_finished(ticket)
    refuse_if_finished(target)
    ticket.merged_into = target
    move_ticket(ticket, actor=actor, to_status=TicketStatus.MERGED, at=now, body=target.reference)
    TicketLink.objects.get_or_create(ticket=ticket, related=target, defaults={"kind": "duplicate"})
    if ticket.requester.user_id:
        TicketWatcher.objects.get_or_create(ticket=target, user_id=ticket.requester.user_id)
    record_audit_event(actor=actor, action="servicedesk.ticket.merged", target=ticket,
                       changes={"into": target.reference})
    return ticket


@transaction.atomic
def link_tickets(*, actor, ticket_id: int, related_id: int, kind: str = "related") -> TicketLink:
    for ticket in Ticket.objects.filter(pk__in=[ticket_id, related_id]).order_by("pk"):
        require_agent(actor=actor, ticket=ticket, action=_("link tickets"))
    link, _created = TicketLink.objects.get_or_create(ticket_id=ticket_id, related_id=related_id,
                                                      defaults={"kind": kind})
    record_audit_event(actor=actor, action="servicedesk.ticket.linked", target=link.ticket,
                       changes={"related": related_id, "kind": kind})
    return link


@transaction.atomic
def watch_ticket(*, actor, ticket_id: int, user) -> TicketWatcher:
    require_agent(actor=actor, ticket=lock_ticket(ticket_id), action=_("add watchers to tickets"))
    watcher, _created = TicketWatcher.objects.get_or_create(ticket_id=ticket_id, user=user)
    record_audit_event(actor=actor, action="servicedesk.ticket.watcher_added", target=watcher.ticket,
                       changes={"user": user.get_username()})
    return watcher


# --- Attachments ------------------------------------------------------------------------------
# Files are kept in the database with the ticket (``TicketAttachment.content``), like the raw
# mail they often come from: one backup, one transaction, no orphaned files.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SAFE_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


class AttachmentRefused(InvalidInput):
    """A file that cannot be attached, reported against the form's ``attachments`` field."""

    def __init__(self, **params):
        super().__init__(**params)
        self.errors = {"attachments": [str(self)]}


class AttachmentTooLarge(AttachmentRefused):
    message = _("The attachment %(name)s is larger than %(limit)s bytes.")
    code = "attachment_too_large"


class AttachmentEmpty(AttachmentRefused):
    message = _("The attachment %(name)s is empty.")
    code = "attachment_empty"


@dataclass(frozen=True)
class AttachmentUpload:
    """A file as received (portal, API or e-mail), before it is checked and stored."""

    file_name: str
    content_type: str
    content: bytes

    @classmethod
    def from_uploaded_file(cls, uploaded, *, limit: int = MAX_ATTACHMENT_BYTES) -> "AttachmentUpload":
        # One byte past the limit is enough to refuse the file, so a huge upload is never read whole.
        return cls(file_name=uploaded.name or "", content_type=uploaded.content_type or "",
                   content=uploaded.read(limit + 1))


def stored_file_name(name: str) -> str:
    """The last path component, without control characters: never a path on the server or in a header."""
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(character for character in name if character.isprintable()).strip()
    return name[:255] or "attachment"


def stored_content_type(content_type: str) -> str:
    """The declared type if it is a plain ``type/subtype``; anything else is served as opaque bytes."""
    content_type = content_type.strip().lower()
    if len(content_type) <= 100 and SAFE_CONTENT_TYPE.fullmatch(content_type):
        return content_type
    return "application/octet-stream"


def check_attachment(upload: AttachmentUpload, *, limit: int = MAX_ATTACHMENT_BYTES) -> None:
    """Refuse an empty file or one over ``limit`` bytes (the e-mail channel has its own limit)."""
    name = stored_file_name(upload.file_name)
    if not upload.content:
        raise AttachmentEmpty(name=name)
    if len(upload.content) > limit:
        raise AttachmentTooLarge(name=name, limit=limit)


@transaction.atomic
def attach_files_to_ticket(*, actor, ticket_id: int, uploads: Sequence[AttachmentUpload],
                           entry: TicketEntry | None = None, limit: int = MAX_ATTACHMENT_BYTES,
                           author_label: str = "", now=None) -> list[TicketAttachment]:
    """Store files on a ticket: all of them or, if any is refused, none (no files: nothing to do).

    The files belong to ``entry`` (the message they came with) and are seen by whoever may see
    it: files on an internal note only by agents. Uploaded on their own they get an entry of
    their own, so the history says who attached what and when. A closed ticket takes no files.
    Whoever may add to the ticket may attach (``require_on_ticket``); ``actor=None`` is the mail channel.
    """
    if not uploads:
        return []
    for upload in uploads:
        check_attachment(upload, limit=limit)
    ticket = lock_ticket(ticket_id)
    require_on_ticket(actor=actor, ticket=ticket, action=_("attach files to this ticket"))
    refuse_if_finished(ticket)
    names = [stored_file_name(upload.file_name) for upload in uploads]
    if entry is None:
        entry = add_entry(ticket, kind=EntryKind.EVENT, actor=actor, author_label=author_label, at=now,
                          body=", ".join(names), is_from_requester=requester_user(ticket) == actor)
    elif entry.ticket_id != ticket.pk:
        raise ValueError(f"entry {entry.pk} belongs to another ticket than {ticket.reference}")
    attachments = TicketAttachment.objects.bulk_create(
        TicketAttachment(ticket=ticket, entry=entry, file_name=name, size=len(upload.content), content=upload.content,
                         content_type=stored_content_type(upload.content_type))
        for name, upload in zip(names, uploads))
    record_audit_event(actor=actor, actor_label=author_label or None, action="servicedesk.ticket.files_attached",
                       target=ticket, changes={"entry": entry.pk, "files": [
                           {"name": a.file_name, "content_type": a.content_type, "size": a.size}
                           for a in attachments]})
    return attachments


# --- Escalation -------------------------------------------------------------------------------
@transaction.atomic
def escalate_tickets(*, now=None) -> int:
    """Fire every escalation rule whose moment has come, once per ticket (safe to run every minute).

    The platform itself acts (a scheduled task, no user): audited as ``servicedesk.escalation``.
    """
    now = now or timezone.now()
    fired = 0
    rules = list(EscalationRule.objects.select_related("reassign_to"))
    for rule in rules:
        limit = now - datetime.timedelta(minutes=rule.offset_minutes)
        due = (Ticket.objects.filter(level_id=rule.level_id, status__in=OPEN_STATUSES - PAUSE_STATUSES,
                                     resolution_due_at__lte=limit)
               .exclude(escalations__rule=rule).order_by("pk").values_list("pk", flat=True))
        for ticket_id in due:
            ticket = lock_ticket(ticket_id)
            changes = {"rule": rule.pk, "action": rule.action}
            if rule.action == EscalationAction.RAISE_PRIORITY and ticket.priority > Priority.CRITICAL:
                changes["priority"] = [ticket.priority, ticket.priority - 1]
                ticket.priority -= 1
                ticket.urgency = max(1, ticket.urgency - 1)
                recompute_sla(ticket, now=now)
                ticket.save()
            elif rule.action == EscalationAction.REASSIGN:
                ticket.desk, ticket.assignee = rule.reassign_to, None
                ticket.reassignment_count += 1
                ticket.save(update_fields=["desk", "assignee", "reassignment_count"])
            else:
                notifications.notify_desk_of_escalation(ticket, rule)
            TicketEscalation.objects.create(ticket=ticket, rule=rule, fired_at=now)
            add_entry(ticket, kind=EntryKind.EVENT, at=now, author_label="SLA",
                      body=f"escalation: {rule.get_action_display()}")
            record_audit_event(actor=None, actor_label="servicedesk.escalation", action="servicedesk.ticket.escalated",
                               target=ticket, changes=changes)
            fired += 1
    return fired


# --- Satisfaction -----------------------------------------------------------------------------
@transaction.atomic
def answer_survey(*, actor, ticket_id: int, rating: int, comment: str = "", now=None) -> SatisfactionResponse:
    ticket = lock_ticket(ticket_id)
    if requester_user(ticket) != actor:
        raise NotTheRequester(reference=ticket.reference)
    if ticket.status not in {TicketStatus.RESOLVED, TicketStatus.CLOSED}:
        raise SurveyNotOpen(reference=ticket.reference)
    if SatisfactionResponse.objects.filter(ticket=ticket).exists():
        raise SurveyAlreadyAnswered(reference=ticket.reference)
    if rating not in range(1, 6):
        raise InvalidInput(errors={"rating": [_("Choose a rating from 1 to 5.")]})
    response = SatisfactionResponse.objects.create(ticket=ticket, rating=rating, comment=comment,
                                                   answered_at=now or timezone.now())
    record_audit_event(actor=actor, action="servicedesk.survey.answered", target=ticket, changes={"rating": rating})
    return response


# --- Knowledge base ---------------------------------------------------------------------------
@transaction.atomic
def publish_article(*, actor, code: str, language: str, title: str, body: str, review_on: datetime.date,
                    service: Service | None = None) -> ArticleVersion:
    """Publish a new version of an article in one language (earlier versions stay readable)."""
    require_permission(actor=actor, permission=CHANGE_KNOWLEDGE_ARTICLE, action=_("publish knowledge articles"))
    article, _created = KnowledgeArticle.objects.get_or_create(
        code=code, defaults={"owner": actor, "review_on": review_on, "service": service})
    article = KnowledgeArticle.objects.select_for_update(no_key=True).get(pk=article.pk)
    article.review_on = review_on
    article.save(update_fields=["review_on"])
    last = article.versions.filter(language=language).order_by("-version").first()
    version = ArticleVersion.objects.create(article=article, language=language,
                                            version=(last.version + 1) if last else 1, title=title, body=body,
                                            published_at=timezone.now(), published_by=actor)
    record_audit_event(actor=actor, action="servicedesk.article.published", target=article,
                       changes={"language": language, "version": version.version})
    return version


# --- Configuration items, changes, problems ---------------------------------------------------
@transaction.atomic
def relate_configuration_items(*, actor, source: ConfigurationItem, target: ConfigurationItem,
                               kind: str) -> ConfigurationItemRelationship:
    """Agents keep the relationships between configuration items (no role holds a CMDB permission of its own)."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("relate configuration items"))
    relationship, _created = ConfigurationItemRelationship.objects.get_or_create(source=source, target=target,
                                                                                 kind=kind)
    record_audit_event(actor=actor, action="servicedesk.configuration_item.related", target=source,
                       changes={"target": target.code, "kind": kind})
    return relationship


@transaction.atomic
def submit_change(*, actor, kind: str, title: str, risk: int, configuration_items=(),
                  scheduled_start_at=None, scheduled_end_at=None) -> ChangeRequest:
    """Standard changes are pre-approved; normal and emergency changes wait for the CAB. Agents request them."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("request changes"))
    change = ChangeRequest.objects.create(
        kind=kind, title=title, risk=risk, requested_by=actor, scheduled_start_at=scheduled_start_at,
        scheduled_end_at=scheduled_end_at,
        status=ChangeStatus.APPROVED if kind == ChangeKind.STANDARD else ChangeStatus.SUBMITTED,
    )
    change.configuration_items.set(configuration_items)
    record_audit_event(actor=actor, action="servicedesk.change.submitted", target=change, changes={"kind": kind})
    return change


@transaction.atomic
def decide_change(*, actor, change_id: int, approve: bool) -> ChangeRequest:
    """The change advisory board's decision: ``change_changerequest``, and never on one's own change."""
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("approve changes"))
    change = ChangeRequest.objects.select_for_update(no_key=True).get(pk=change_id)
    if change.status != ChangeStatus.SUBMITTED:
        raise ChangeNotSubmitted(number=change.pk, status=change.get_status_display())
    if change.requested_by_id == actor.pk:
        raise ChangeApprovalBySelf(number=change.pk)
    change.transition_to(ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED)
    change.approved_by = actor if approve else None
    change.save(update_fields=["status", "approved_by"])
    record_audit_event(actor=actor, action="servicedesk.change.decided", target=change,
                       changes={"approved": approve})
    return change


@transaction.atomic
def implement_change(*, actor, change_id: int, record: str, now=None) -> ChangeRequest:
    """Agents record how an approved change was implemented."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("implement changes"))
    change = ChangeRequest.objects.select_for_update(no_key=True).get(pk=change_id)
    if change.status != ChangeStatus.APPROVED:
        raise ChangeNotApproved(number=change.pk)
    change.transition_to(ChangeStatus.IMPLEMENTED)
    change.implemented_at = now or timezone.now()
    change.implementation_record = record
    change.save(update_fields=["status", "implemented_at", "implementation_record"])
    record_audit_event(actor=actor, action="servicedesk.change.implemented", target=change)
    return change


@transaction.atomic
def record_problem(*, actor, title: str, incidents=(), root_cause: str = "", workaround: str = "") -> Problem:
    """Agents record problems, organisation-wide; the incidents linked must be in their scope."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("record problems"))
    for ticket in incidents:
        require_agent(actor=actor, ticket=ticket, action=_("link incidents to problems"))
    problem = Problem.objects.create(title=title, root_cause=root_cause, workaround=workaround,
                                     is_known_error=bool(root_cause and workaround), raised_by=actor,
                                     raised_at=timezone.now())
    problem.incidents.set(incidents)
    record_audit_event(actor=actor, action="servicedesk.problem.recorded", target=problem,
                       changes={"incidents": [t.pk for t in incidents]})
    return problem


@transaction.atomic
def record_problem_diagnosis(*, actor, problem_id: int, root_cause: str, workaround: str) -> Problem:
    """Record what causes a problem and how to work around it; with both it becomes a known error."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("diagnose problems"))
    problem = Problem.objects.select_for_update(no_key=True).get(pk=problem_id)
    problem.root_cause, problem.workaround = root_cause, workaround
    problem.is_known_error = bool(root_cause and workaround)
    problem.save(update_fields=["root_cause", "workaround", "is_known_error"])
    record_audit_event(actor=actor, action="servicedesk.problem.diagnosed", target=problem,
                       changes={"is_known_error": problem.is_known_error})
    return problem


class NotAnIncident(DomainError):
    message = _("Ticket %(reference)s is a service request, not an incident: only incidents are linked to problems.")
    code = "not_an_incident"


@transaction.atomic
def link_incidents_to_problem(*, actor, problem_id: int, incidents: list[Ticket]) -> Problem:
    """Link incidents to a problem (linking one already linked changes nothing); service requests are refused."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("link incidents to problems"))
    problem = Problem.objects.select_for_update(no_key=True).get(pk=problem_id)
    for ticket in incidents:
        require_agent(actor=actor, ticket=ticket, action=_("link incidents to problems"))
        if ticket.kind != TicketKind.INCIDENT:
            raise NotAnIncident(reference=ticket.reference)
    problem.incidents.add(*incidents)
    record_audit_event(actor=actor, action="servicedesk.problem.incidents_linked", target=problem,
                       changes={"incidents": [t.pk for t in incidents]})
    return problem


@transaction.atomic
def subscribe_webhook(*, actor, url: str, events: list[str], secret: str, is_active: bool = True) -> WebhookSubscription:
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("manage webhooks"))
    hook = WebhookSubscription.objects.create(url=url, events=events, secret=secret, is_active=is_active)
    record_audit_event(actor=actor, action="servicedesk.webhook.subscribed", target=hook,
                       changes={"url": url, "events": events})
    return hook


# --- Catalogue ----------------------------------------------------------------------------------
class LevelOfAnotherService(DomainError):
    message = _("The level “%(level)s” belongs to another service than “%(service)s”.")
    code = "level_of_another_service"


class IncompleteTargets(DomainError):
    message = _("A service level needs a target for every priority (1 to 4); missing: %(missing)s.")
    code = "incomplete_targets"


@transaction.atomic
def publish_service(*, actor, code: str, kind: str, names: dict[str, str], unit_price: Decimal,
                    currency: str = "USD", descriptions: dict[str, str] | None = None,
                    request_fields: list | None = None, approver=None, is_core_ict: bool = False) -> Service:
    """Create or update a catalogue entry and publish it (names in up to six languages)."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("publish services"))
    if not names.get("en"):
        raise InvalidInput(errors={"names": [_("Give at least the English name.")]})
    service, created = Service.objects.select_for_update(no_key=True).get_or_create(
        code=code, defaults={"kind": kind, "name": names["en"], "owner": actor})
    service.kind, service.name, service.name_translations = kind, names["en"], names
    service.description_translations = descriptions or {}
    service.unit_price_amount, service.currency = unit_price, currency
    service.request_fields = request_fields or []
    service.requires_approval, service.approver = approver is not None, approver
    service.is_core_ict, service.is_published = is_core_ict, True
    service.save()
    record_audit_event(actor=actor, action="servicedesk.service.published", target=service,
                       changes={"created": created, "unit_price": unit_price, "languages": sorted(names)})
    return service


@transaction.atomic
def define_service_level(*, actor, service: Service, code: str, name: str, cover: str,
                         targets: dict[int, tuple[int, int]]) -> ServiceLevel:
    """A level with its (response, resolution) minutes per priority; all four priorities required."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("define service levels"))
    missing = sorted(set(Priority.values) - set(targets))
    if missing:
        raise IncompleteTargets(missing=", ".join(str(p) for p in missing))
    level, _created = ServiceLevel.objects.update_or_create(service=service, code=code,
                                                             defaults={"name": name, "cover": cover})
    for priority, (response, resolution) in targets.items():
        ServiceLevelTarget.objects.update_or_create(level=level, priority=priority, defaults={
            "response_minutes": response, "resolution_minutes": resolution})
    record_audit_event(actor=actor, action="servicedesk.service_level.defined", target=level,
                       changes={"cover": cover, "targets": {str(p): list(t) for p, t in targets.items()}})
    return level


@transaction.atomic
def subscribe_department(*, actor, department: OrgUnit, service: Service, level: ServiceLevel,
                         valid_from: datetime.date) -> Subscription:
    """Subscribe a department (and its subtree) to a service at a level; replaces the level if subscribed."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("subscribe departments"))
    if level.service_id != service.pk:
        raise LevelOfAnotherService(level=str(level), service=service.localized_name)
    subscription, created = Subscription.objects.update_or_create(
        department=department, service=service, defaults={"level": level, "valid_from": valid_from})
    record_audit_event(actor=actor, action="servicedesk.subscription.changed", target=subscription,
                       changes={"department": department.code, "service": service.code, "level": level.code,
                                "created": created})
    return subscription


# --- Chargeback posted to the ledger (ADR 0023) -----------------------------------------------
# The standard chart (finance/reference.py) has no dedicated inter-departmental recovery accounts:
# client departments bear the cost as "Other operating expenses" on their cost centre, the
# providing unit recovers it as "Other revenue" on its own cost centre. Both legs sit in the same
# fund, so the fund's expense and revenue rise by the same amount and its surplus is unchanged.
CHARGEBACK_EXPENSE_ACCOUNT = "5910"
CHARGEBACK_RECOVERY_ACCOUNT = "4910"


class ChargebackAlreadyPosted(DomainError):
    message = _("The chargeback for %(month)s has already been posted to the ledger (entry %(number)s).")
    code = "chargeback_already_posted"


class NothingToCharge(DomainError):
    message = _("There is no chargeback to post for %(month)s: no tickets were charged that month.")
    code = "nothing_to_charge"


class ChargebackAccountMissing(DomainError):
    message = _("The ledger has no account %(code)s to post the chargeback to.")
    code = "chargeback_account_missing"


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def refuse_if_chargeback_posted(*, year: int, month: int) -> None:
    existing = ChargebackPosting.objects.select_related("journal_entry").filter(year=year, month=month).first()
    if existing is not None:
        raise ChargebackAlreadyPosted(month=month_label(year, month), number=existing.journal_entry.number)


@transaction.atomic
def post_monthly_chargeback(*, actor, year: int, month: int, fund: Fund, providing_unit: OrgUnit,
                            entry_on: datetime.date | None = None) -> ChargebackPosting:
    """Post the month's chargeback statements to the ledger as one balanced journal entry.

    For each client department and currency of its statement: debit other operating expenses on
    the department's cost centre and credit other revenue on the providing unit's cost centre with
    the same amount, so the entry balances line pair by line pair, whatever the rates of exchange.
    The statements cover every ticket of the month (not one agent's scope): the month is posted
    once for the whole organisation. Posting a month twice is refused, also when two postings
    race: the unique constraint on ``ChargebackPosting`` lets one commit and the other is refused
    the same way (tested on PostgreSQL). Posting goes through ``finance.post_journal_entries``
    (ADR 0014), which checks the poster's ``finance.post_journalentry`` permission on the fund,
    the open period and the month's rates, and locks the period. Posted on the month's last day
    unless ``entry_on`` is given. The poster must also see service-desk tickets (``view_ticket``),
    as the statements being posted are service-desk reports.
    """
    require_permission(actor=actor, permission=VIEW_TICKET, action=_("post chargeback statements"))
    label = month_label(year, month)
    if not 1 <= month <= 12:
        raise InvalidInput(errors={"month": [_("Enter a month between 1 and 12.")]})
    refuse_if_chargeback_posted(year=year, month=month)
    statements = chargeback_statements(tickets=Ticket.objects.all(), year=year, month=month)
    accounts = Account.objects.in_bulk([CHARGEBACK_EXPENSE_ACCOUNT, CHARGEBACK_RECOVERY_ACCOUNT], field_name="code")
    for code in (CHARGEBACK_EXPENSE_ACCOUNT, CHARGEBACK_RECOVERY_ACCOUNT):
        if code not in accounts:
            raise ChargebackAccountMissing(code=code)
    departments = OrgUnit.objects.in_bulk([s["department"] for s in statements], field_name="code")
    lines = []
    for statement in statements:
        department = departments[statement["department"]]
        for currency, amount in sorted(statement["totals"].items()):
            if not amount:
                continue
            description = f"Service desk chargeback {label}: {department.code}"
            lines.append(LineInput(account_id=accounts[CHARGEBACK_EXPENSE_ACCOUNT].pk, debit_amount=amount,
                                   currency=currency, cost_centre_id=department.pk, description=description))
            lines.append(LineInput(account_id=accounts[CHARGEBACK_RECOVERY_ACCOUNT].pk, credit_amount=amount,
                                   currency=currency, cost_centre_id=providing_unit.pk, description=description))
    if not lines:
        raise NothingToCharge(month=label)
    last_day = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
    [entry] = post_journal_entries(
        actor=actor, journal=Journal.objects.get(code="GJ"), permission="finance.post_journalentry",
        audit_action="servicedesk.chargeback.posted_to_ledger",
        entries=[EntryInput(fund_id=fund.pk, entry_on=entry_on or last_day,
                            description=f"Service desk chargeback {label}", lines=lines)])
    try:
        with transaction.atomic():
            posting = ChargebackPosting.objects.create(
                year=year, month=month, fund=fund, providing_unit=providing_unit, journal_entry=entry,
                posted_by=actor, posted_at=timezone.now())
    except IntegrityError:
        # A simultaneous posting of the month committed after our check above: refuse like any
        # second posting; raising rolls our journal entry back with the rest of the transaction.
        refuse_if_chargeback_posted(year=year, month=month)
        raise
    record_audit_event(actor=actor, action="servicedesk.chargeback.posted", target=posting, changes={
        "month": label, "fund": fund.code, "providing_unit": providing_unit.code, "entry": entry.number,
        "departments": {s["department"]: {c: a for c, a in s["totals"].items()} for s in statements}})
    return posting
