"""Reads of the service desk: tickets a user may see, the catalogue, knowledge search, CI impact,
and the reports (SLA compliance, first-contact resolution, satisfaction, chargeback)."""

import datetime
from collections import deque
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from secretariat.content import search
from secretariat.core.access import has_permission, require_permission, scoped
from secretariat.servicedesk.models import (
    AnnualSurveyResult,
    ArticleVersion,
    ChangeRequest,
    ChargebackPosting,
    ConfigurationItem,
    ConfigurationItemRelationship,
    Desk,
    EntryKind,
    InboundMessage,
    OPEN_STATUSES,
    Problem,
    RelationshipKind,
    Service,
    ServiceLevel,
    Subscription,
    Ticket,
    TicketAttachment,
    TicketStatus,
    WebhookSubscription,
)

VIEW_TICKET = "servicedesk.view_ticket"
CHANGE_TICKET = "servicedesk.change_ticket"
CHANGE_SERVICE = "servicedesk.change_service"
CHANGE_KNOWLEDGE_ARTICLE = "servicedesk.change_knowledgearticle"
CHANGE_CHANGE_REQUEST = "servicedesk.change_changerequest"


def tickets_for_agent(*, actor) -> QuerySet:
    return scoped(Ticket.objects.select_related("service", "level", "desk", "requester", "duty_station", "assignee"),
                  actor=actor, permission=VIEW_TICKET)


def my_tickets(*, actor) -> QuerySet:
    """The tickets the user raised, is the requester of, or watches."""
    return (Ticket.objects.filter(Q(requester__user=actor) | Q(raised_by=actor) | Q(watchers__user=actor))
            .distinct().select_related("service", "desk"))


def accessible_ticket(*, actor, ticket_id: int) -> Ticket:
    """The ticket if the user is its requester/watcher or an agent in scope; not found otherwise."""
    ticket = Ticket.objects.select_related("service", "level", "desk", "requester", "duty_station",
                                           "assignee").filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    if my_tickets(actor=actor).filter(pk=ticket_id).exists() or has_permission(
            actor=actor, permission=VIEW_TICKET, target=ticket):
        return ticket
    raise Http404


def approvable_ticket(*, actor, ticket_id: int) -> Ticket:
    """A ticket the user may approve: as the service's approver or as an agent in scope."""
    ticket = Ticket.objects.select_related("service").filter(pk=ticket_id).first()
    if ticket is None or not (ticket.service.approver_id == actor.pk or has_permission(
            actor=actor, permission=CHANGE_TICKET, target=ticket)):
        raise Http404
    return ticket


def is_agent_for(*, actor, ticket: Ticket) -> bool:
    return has_permission(actor=actor, permission=CHANGE_TICKET, target=ticket)


def visible_entries(*, ticket: Ticket, as_agent: bool):
    entries = ticket.entries.select_related("author")
    return entries if as_agent else entries.exclude(kind=EntryKind.INTERNAL_NOTE)


def visible_attachments(*, ticket: Ticket, as_agent: bool) -> QuerySet:
    """The ticket's files without their content; those on an internal note for agents only."""
    attachments = ticket.attachments.select_related("entry").defer("content").order_by("pk")
    return attachments if as_agent else attachments.exclude(entry__kind=EntryKind.INTERNAL_NOTE)


def accessible_attachment(*, actor, ticket_id: int, attachment_id: int) -> TicketAttachment:
    """One file of a ticket the user may see, with its content; not found if missing or not shown to them."""
    ticket = accessible_ticket(actor=actor, ticket_id=ticket_id)
    attachment = (visible_attachments(ticket=ticket, as_agent=is_agent_for(actor=actor, ticket=ticket))
                  .defer(None).filter(pk=attachment_id).first())
    if attachment is None:
        raise Http404
    return attachment


def active_desks() -> QuerySet:
    return Desk.objects.filter(is_active=True).order_by("code")


def desk_agents() -> QuerySet:
    """The active users who staff an active desk: those a ticket can be assigned to (the service checks the ticket)."""
    return (get_user_model().objects.filter(is_active=True, service_desks__is_active=True)
            .distinct().order_by("username"))


def inbound_message(*, channel, message_id: str) -> InboundMessage | None:
    """The message already read from ``channel`` with this Message-ID, if any (mail is read at least once)."""
    return InboundMessage.objects.filter(channel=channel, message_id=message_id).first()


def agent_workload(*, actor) -> list[dict]:
    """Per agent of the desks: open tickets assigned to them among those ``actor`` sees, most loaded first."""
    counts = dict(tickets_for_agent(actor=actor).filter(status__in=OPEN_STATUSES, assignee__isnull=False)
                  .order_by().values("assignee").annotate(open=Count("pk")).values_list("assignee", "open"))
    rows = [{"agent": agent.get_username(), "open": counts.get(agent.pk, 0)} for agent in desk_agents()]
    return sorted(rows, key=lambda row: (-row["open"], row["agent"]))


def subscribed_services(*, person) -> QuerySet:
    """Published services the person's department (or an enclosing unit) subscribes to."""
    if person is None or person.org_unit is None:
        return Service.objects.none()
    ancestor_ids = [int(part) for part in person.org_unit.path.strip("/").split("/") if part]
    today = datetime.date.today()
    ids = (Subscription.objects.filter(department_id__in=ancestor_ids, valid_from__lte=today)
           .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).values("service_id"))
    return Service.objects.filter(is_published=True, pk__in=ids)


def search_knowledge(*, query: str, language: str) -> list[ArticleVersion]:
    """The current version in ``language`` of each article matching the words (English as fallback).

    The documents' language-aware full-text search (ADR 0026): each version is matched with its
    own language's stemming, so "connecting VPN" finds "Connect to the VPN"; superseded
    versions are never searched.
    """
    languages = list(dict.fromkeys([language, "en"]))
    found: dict[int, ArticleVersion] = {}
    for version in matching_versions(query=query, languages=languages).select_related("article"):
        current = found.get(version.article_id)
        if current is None or (current.language != language and version.language == language):
            found[version.article_id] = version
    return sorted(found.values(), key=lambda version: version.title.casefold())


def matching_versions(*, query: str, languages: list[str]) -> QuerySet:
    """Current article versions in ``languages`` whose title or body matches every word of ``query``."""
    terms = search.query_terms(query)
    versions = ArticleVersion.objects.filter(is_current=True, language__in=languages)
    if not terms:
        return versions.none()
    if connection.vendor == "postgresql":
        text = search.PostgresSearch.websearch_text(terms)
        matches = Q(pk__in=[])
        for code in languages:
            config = search.PG_CONFIGS.get(code, "simple")
            matches |= Q(pk__in=versions.filter(language=code).annotate(
                vector=SearchVector("search_text", config=config)).filter(
                vector=SearchQuery(text, search_type="websearch", config=config)).values("pk"))
        return versions.filter(matches)
    # SQLite: the FTS5 table (porter stemming) that migration 0004 keeps in step with the versions.
    return versions.filter(pk__in=RawSQL(
        "SELECT rowid FROM servicedesk_article_fts WHERE servicedesk_article_fts MATCH %s",
        [search.SqliteSearch.match_expression(terms)]))


def change_requests() -> QuerySet:
    return ChangeRequest.objects.prefetch_related("configuration_items").order_by("-pk")


def change_request(*, change_id: int) -> ChangeRequest:
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404
    return change


def ticket_links(*, ticket: Ticket) -> list[dict]:
    """The ticket's links both ways: kind (as seen from this ticket) and the other ticket."""
    outgoing = [{"kind": link.get_kind_display(), "ticket": link.related}
                for link in ticket.links.select_related("related").order_by("pk")]
    incoming = [{"kind": _("Linked from"), "ticket": link.ticket}
                for link in ticket.linked_from.select_related("ticket").order_by("pk")]
    return outgoing + incoming


def agent_ticket_by_reference(*, actor, reference: str) -> Ticket | None:
    """The ticket ``SD-0000042`` (or ``42``) among those the agent works on; ``None`` if missing or forbidden."""
    number = reference.strip().upper().removeprefix("SD-")
    if not number.isdigit():
        return None
    return tickets_for_agent(actor=actor).filter(pk=int(number)).first()


def problems() -> QuerySet:
    return Problem.objects.prefetch_related("incidents").order_by("-pk")


def problem(*, problem_id: int) -> Problem:
    found = Problem.objects.filter(pk=problem_id).first()
    if found is None:
        raise Http404
    return found


def configuration_items() -> QuerySet:
    return ConfigurationItem.objects.select_related("owner", "location").order_by("code")


def configuration_item_with_relationships(*, code: str) -> ConfigurationItem:
    """One configuration item with its relationships both ways; not found raises ``Http404``."""
    item = (ConfigurationItem.objects.select_related("owner", "location")
            .prefetch_related(Prefetch("outgoing", queryset=ConfigurationItemRelationship.objects
                                       .select_related("target").order_by("kind", "target__code")),
                              Prefetch("incoming", queryset=ConfigurationItemRelationship.objects
                                       .select_related("source").order_by("kind", "source__code")))
            .filter(code=code).first())
    if item is None:
        raise Http404
    return item


def configuration_item_impact(*, item: ConfigurationItem) -> list[ConfigurationItem]:
    """Everything affected if ``item`` fails: what runs on it, depends on it, or is used by... it."""
    affected, seen, queue = [], {item.pk}, deque([item.pk])
    while queue:
        current = queue.popleft()
        upstream = set(ConfigurationItemRelationship.objects.filter(
            target_id=current, kind__in=[RelationshipKind.RUNS_ON, RelationshipKind.DEPENDS_ON])
            .values_list("source_id", flat=True))
        upstream |= set(ConfigurationItemRelationship.objects.filter(
            source_id=current, kind=RelationshipKind.USED_BY).values_list("target_id", flat=True))
        for pk in sorted(upstream - seen):
            seen.add(pk)
            queue.append(pk)
            affected.append(pk)
    by_pk = ConfigurationItem.objects.in_bulk(affected)
    return [by_pk[pk] for pk in affected]


# --- Reports ----------------------------------------------------------------------------------
GROUPINGS = {
    "service": "service__code",
    "level": "level__code",
    "desk": "desk__code",
    "duty_station": "duty_station__code",
}


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def sla_compliance(*, tickets: QuerySet, year: int, group_by: str = "service") -> list[dict]:
    """Per group: tickets, resolved, resolved within target, compliance %, first-contact %, mean hours.

    One aggregate query over the stored breach flags — no Python per ticket, so a year of a
    million tickets stays a single scan.
    """
    column = GROUPINGS[group_by]
    start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC)
    rows = (
        tickets.filter(opened_at__gte=start, opened_at__lt=end).order_by().values(column)
        .annotate(
            total=Count("pk"),
            resolved=Count("pk", filter=Q(resolution_breached__isnull=False)),
            within=Count("pk", filter=Q(resolution_breached=False)),
            responded_within=Count("pk", filter=Q(response_breached=False)),
            responded=Count("pk", filter=Q(response_breached__isnull=False)),
            first_contact=Count("pk", filter=Q(is_first_contact_resolution=True)),
            backlog=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            mean_time=Avg(ExpressionWrapper(F("resolved_at") - F("opened_at"), output_field=DurationField())),
        ).order_by(column)
    )
    report = []
    for row in rows:
        mean = row["mean_time"]
        report.append({
            "group": row[column] or "—", "tickets": row["total"], "resolved": row["resolved"],
            "within_target": row["within"], "compliance_percent": percent(row["within"], row["resolved"]),
            "response_percent": percent(row["responded_within"], row["responded"]),
            "first_contact_percent": percent(row["first_contact"], row["resolved"]), "backlog": row["backlog"],
            "mean_hours_to_resolve": (Decimal(mean.total_seconds() / 3600).quantize(Decimal("0.1"))
                                      if isinstance(mean, datetime.timedelta) else None),
        })
    return report


def satisfaction_by_service(*, tickets: QuerySet, year: int) -> list[dict]:
    rows = (tickets.filter(opened_at__year=year, satisfaction__isnull=False).order_by().values("service__code")
            .annotate(answers=Count("pk"), mean=Avg("satisfaction__rating"),
                      satisfied=Count("pk", filter=Q(satisfaction__rating__gte=4))).order_by("service__code"))
    return [{"service": row["service__code"], "answers": row["answers"],
             "satisfied_percent": percent(row["satisfied"], row["answers"])} for row in rows]


def annual_survey(*, year: int | None = None) -> list[AnnualSurveyResult]:
    results = AnnualSurveyResult.objects.select_related("service")
    return list(results.filter(year=year) if year else results)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first instant and the next month's, in UTC, as the statements count tickets."""
    start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
    return start, datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=datetime.UTC)


def chargeback_statements(*, tickets: QuerySet, year: int, month: int) -> list[dict]:
    """Per client department: tickets per service in the month × the service's unit price."""
    start, end = month_bounds(year, month)
    rows = (tickets.filter(opened_at__gte=start, opened_at__lt=end)
            .exclude(status__in=[TicketStatus.MERGED, TicketStatus.REJECTED]).order_by()
            .values("department__code", "service__code", "service__unit_price_amount", "service__currency")
            .annotate(count=Count("pk")).order_by("department__code", "service__code"))
    statements: dict[str, dict] = {}
    for row in rows:
        statement = statements.setdefault(row["department__code"], {
            "department": row["department__code"], "lines": [], "totals": {}})
        amount = row["service__unit_price_amount"] * row["count"]
        statement["lines"].append({"service": row["service__code"], "tickets": row["count"],
                                   "unit_price": row["service__unit_price_amount"],
                                   "currency": row["service__currency"], "amount": amount})
        totals = statement["totals"]
        totals[row["service__currency"]] = totals.get(row["service__currency"], Decimal("0")) + amount
    return list(statements.values())


def published_catalogue() -> QuerySet:
    """The published services with their levels and targets, for the catalogue page."""
    return (Service.objects.filter(is_published=True).order_by("code")
            .prefetch_related(Prefetch("levels", queryset=ServiceLevel.objects.prefetch_related("targets"))))


def chargeback_postings(*, year: int) -> QuerySet:
    """The months of ``year`` whose chargeback has been posted to the ledger, with their entries."""
    return (ChargebackPosting.objects.filter(year=year)
            .select_related("journal_entry", "reversal_entry", "fund", "providing_unit", "posted_by")
            .order_by("month", "posted_at"))


def cost_per_ticket_by_service(*, tickets: QuerySet, year: int) -> list[dict]:
    """Per service: tickets, unit price, cost, and the agents' time recorded on them (hours)."""
    rows = (tickets.filter(opened_at__year=year).order_by()
            .values("service__code", "service__unit_price_amount", "service__currency")
            .annotate(count=Count("pk", distinct=True), minutes=Sum("entries__minutes_spent"))
            .order_by("service__code"))
    return [{"service": row["service__code"], "tickets": row["count"], "unit_price": row["service__unit_price_amount"],
             "currency": row["service__currency"], "cost": row["service__unit_price_amount"] * row["count"],
             "hours_spent": (Decimal(row["minutes"] or 0) / 60).quantize(Decimal("0.1"))}
            for row in rows]


def webhook_subscriptions(*, actor) -> QuerySet[WebhookSubscription]:
    """Every webhook, for those who may manage them (the service-desk managers); others are refused."""
    require_permission(actor=actor, permission=CHANGE_CHANGE_REQUEST, action=_("manage webhooks"))
    return WebhookSubscription.objects.order_by("pk")
