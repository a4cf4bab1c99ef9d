"""Working tickets: status, replies (the requester's reopen or raise a follow-up), resolution,
priority and level, approval, merge, links, watchers, surveys and webhooks."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput
from secretariat.core.models import DutyStation, Person
from secretariat.servicedesk import notifications
from secretariat.servicedesk.models import (
    OPEN_STATUSES,
    Channel,
    EntryKind,
    KnowledgeArticle,
    LinkKind,
    SatisfactionResponse,
    ServiceLevel,
    Ticket,
    TicketEntry,
    TicketLink,
    TicketTag,
    TicketStatus,
    TicketWatcher,
    WebhookSubscription,
)
from secretariat.servicedesk.selectors import CHANGE_CHANGE_REQUEST, CHANGE_TICKET, my_tickets
from secretariat.servicedesk.services.attachments import AttachmentUpload, attach_files_to_ticket
from secretariat.servicedesk.services.common import (
    add_entry,
    lock_ticket,
    move_ticket,
    refuse_if_finished,
    requester_user,
    require_agent,
)
from secretariat.servicedesk.services.raising import TicketDraft, raise_ticket
from secretariat.servicedesk.services.sla import SLA_FIELDS, ClockBook, priority_for, recompute_sla


class CannotLinkToItself(DomainError):
    message = _("A ticket cannot be linked to itself.")
    code = "link_self"


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


def reopen_window() -> datetime.timedelta:
    """How long after resolution a requester's reply reopens the ticket (``SECRETARIAT_SERVICEDESK_REOPEN_DAYS``)."""
    return datetime.timedelta(days=getattr(settings, "SECRETARIAT_SERVICEDESK_REOPEN_DAYS", 10))


def reopens(ticket: Ticket, *, at: datetime.datetime) -> bool:
    return ticket.status == TicketStatus.RESOLVED and at - ticket.resolved_at <= reopen_window()


@transaction.atomic
def add_requester_reply(*, actor, ticket_id: int, body: str, sender: Person | None = None, author_label: str = "",
                        channel: str = Channel.PORTAL, attachments: Sequence["AttachmentUpload"] = (),
                        now=None) -> TicketEntry:
    """The requester answers (portal or e-mail); a ticket awaiting them resumes its clock.

    A reply to a resolved ticket within the reopen window reopens it and its SLA clock resumes
    (the time it stood resolved does not count); a reply to a ticket resolved longer ago, or
    closed, raises a new ticket linked to it as a follow-up — the returned entry is then the new
    ticket's opening. Only the requester, whoever raised the ticket and its watchers answer as the
    requester. ``actor=None`` is the mail channel answering for ``sender``, a person without an
    account, who must then be the requester.
    """
    now = now or timezone.now()
    ticket = lock_ticket(ticket_id)
    on_ticket = (my_tickets(actor=actor).filter(pk=ticket.pk).exists() if actor is not None
                 else sender is not None and ticket.requester_id == sender.pk)
    if not on_ticket:
        raise NotOnTheTicket(reference=ticket.reference)
    if ticket.status == TicketStatus.CLOSED or (ticket.status == TicketStatus.RESOLVED and not reopens(ticket, at=now)):
        return raise_follow_up(ticket, actor=actor, sender=sender, body=body, channel=channel,
                               attachments=attachments, now=now).entries.first()
    refuse_if_finished(ticket)
    entry = add_entry(ticket, kind=EntryKind.PUBLIC_REPLY, actor=actor, body=body, at=now, is_from_requester=True,
                      author_label=author_label)
    attach_files_to_ticket(actor=actor, ticket_id=ticket.pk, uploads=attachments, entry=entry,
                           author_label=author_label)
    previous = ticket.status
    if ticket.status in {TicketStatus.AWAITING_USER, TicketStatus.RESOLVED}:
        move_ticket(ticket, actor=actor, to_status=TicketStatus.IN_PROGRESS, at=now)
    record_audit_event(actor=actor, actor_label=author_label or None, action="servicedesk.ticket.requester_replied",
                       target=ticket, changes={"status": [previous, ticket.status]})
    if previous == TicketStatus.RESOLVED:
        notifications.ticket_event("ticket.status_changed", ticket)
    return entry


def raise_follow_up(ticket: Ticket, *, actor, sender: Person | None, body: str, channel: str,
                    attachments: Sequence["AttachmentUpload"], now: datetime.datetime) -> Ticket:
    """A new ticket for a reply that comes too late to reopen ``ticket``, linked to it as its follow-up.

    It is raised by the person replying (the requester, or a watcher for themself), under the
    same checks as any ticket they raise.
    """
    requester = sender or getattr(actor, "person", None) or ticket.requester
    follow_up = raise_ticket(actor=actor, attachments=attachments, now=now, draft=TicketDraft(
        requester=requester, service=ticket.service, subject=ticket.subject, description=body, kind=ticket.kind,
        impact=ticket.impact, urgency=ticket.urgency, channel=channel, language=ticket.language,
        category=ticket.category, answers=ticket.request_answers))
    TicketLink.objects.create(ticket=follow_up, related=ticket, kind=LinkKind.FOLLOW_UP)
    record_audit_event(actor=actor, action="servicedesk.ticket.followed_up", target=ticket,
                       changes={"follow_up": follow_up.reference})
    return follow_up


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
    if not SatisfactionResponse.objects.filter(ticket=ticket).exists():
        notifications.mail_survey_invitation(ticket)
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
def link_tickets(*, actor, ticket_id: int, related_id: int, kind: str = LinkKind.RELATED) -> TicketLink:
    """Link two tickets the agent works on (related, duplicate, caused by); follow-ups are linked by the platform."""
    if ticket_id == related_id:
        raise CannotLinkToItself()
    if kind not in LinkKind.values or kind == LinkKind.FOLLOW_UP:
        raise InvalidInput(errors={"kind": [_("Choose how the tickets are linked.")]})
    tickets = list(Ticket.objects.filter(pk__in=[ticket_id, related_id]).order_by("pk"))
    if len(tickets) != 2:
        raise InvalidInput(errors={"related": [_("No ticket with this reference.")]})
    for ticket in tickets:
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


@transaction.atomic
def subscribe_webhook(*, actor, url: str, events: list[str], secret: str, is_active: bool = True) -> WebhookSubscription:
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("manage webhooks"))
    hook = WebhookSubscription.objects.create(url=url, events=events, secret=secret, is_active=is_active)
    record_audit_event(actor=actor, action="servicedesk.webhook.subscribed", target=hook,
                       changes={"url": url, "events": events})
    return hook


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


# --- Time spent and tags ------------------------------------------------------------------------
MAX_MINUTES_PER_ENTRY = 24 * 60
MAX_TAGS = 10


@transaction.atomic
def log_time_spent(*, actor, ticket_id: int, minutes: int, note: str = "", now=None) -> TicketEntry:
    """Record the agent's work on a ticket (an internal entry with its minutes), for the reports and chargeback."""
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("record time on tickets"))
    refuse_if_finished(ticket)
    if not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        raise InvalidInput(errors={"minutes": [_("Enter between 1 and 1440 minutes.")]})
    entry = add_entry(ticket, kind=EntryKind.INTERNAL_NOTE, actor=actor, body=note, at=now)
    entry.minutes_spent = minutes
    entry.save(update_fields=["minutes_spent"])
    record_audit_event(actor=actor, action="servicedesk.ticket.time_logged", target=ticket,
                       changes={"minutes": minutes})
    return entry


@transaction.atomic
def tag_ticket(*, actor, ticket_id: int, tags: list[str]) -> list[str]:
    """Replace the ticket's tags (lower-case words, at most ten); returns them sorted."""
    ticket = lock_ticket(ticket_id)
    require_agent(actor=actor, ticket=ticket, action=_("tag tickets"))
    names = sorted({slugify(tag)[:40] for tag in tags if slugify(tag)})
    if len(names) > MAX_TAGS:
        raise InvalidInput(errors={"tags": [_("At most ten tags.")]})
    before = sorted(ticket.tags.values_list("name", flat=True))
    ticket.tags.exclude(name__in=names).delete()
    TicketTag.objects.bulk_create([TicketTag(ticket=ticket, name=name) for name in names if name not in before])
    record_audit_event(actor=actor, action="servicedesk.ticket.tagged", target=ticket,
                       changes={"tags": [before, names]})
    return names
