"""ITIL service management: catalogue, service levels, desks, tickets with SLA clocks,
knowledge base, configuration items, changes, problems, satisfaction and the e-mail channel."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError
from secretariat.core.models.translated import TranslatedNameMixin

MONEY = {"max_digits": 19, "decimal_places": 4}


class InvalidTransition(DomainError):
    message = _("A ticket in status “%(current)s” cannot move to “%(requested)s”.")
    code = "invalid_transition"


class InvalidChangeTransition(DomainError):
    message = _("A change in status “%(current)s” cannot move to “%(requested)s”.")
    code = "invalid_transition"


# --- Catalogue --------------------------------------------------------------------------------
class ServiceKind(models.TextChoices):
    ICT = "ict", _("ICT")
    FACILITIES = "facilities", _("Facilities")


class Service(TranslatedNameMixin):
    """A catalogue entry: what the desk delivers, who owns it and what it costs per ticket."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    description_translations = models.JSONField(_("description"), default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_services",
                              verbose_name=_("service owner"))
    unit_price_amount = models.DecimalField(_("unit price"), **MONEY, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    is_published = models.BooleanField(_("published"), default=False)
    is_core_ict = models.BooleanField(_("core ICT service"), default=False)
    request_fields = models.JSONField(
        _("request form fields"), default=list, blank=True,
        help_text=_("Fields the requester fills in: a list of {name, label, required}."),
    )
    requires_approval = models.BooleanField(_("requests need approval"), default=False)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="approved_services", verbose_name=_("approver"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ServiceKind.values), name="servicedesk_service_kind_valid"),
            models.CheckConstraint(condition=Q(unit_price_amount__gte=0), name="servicedesk_service_price_positive"),
            models.CheckConstraint(condition=Q(requires_approval=False) | Q(approver__isnull=False),
                                   name="servicedesk_service_approval_has_approver"),
        ]

    def localized_description(self, language: str) -> str:
        return self.description_translations.get(language) or self.description_translations.get("en", "")


class Cover(models.TextChoices):
    BUSINESS_HOURS = "business_hours", _("Working hours of the duty station")
    ROUND_THE_CLOCK = "round_the_clock", _("24 hours a day, 7 days a week")


class ServiceLevel(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="levels", verbose_name=_("service"))
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    cover = models.CharField(_("hours of cover"), max_length=20, choices=Cover.choices, default=Cover.BUSINESS_HOURS)

    class Meta:
        ordering = ["service", "code"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="servicedesk_level_code_unique"),
            models.CheckConstraint(condition=Q(cover__in=Cover.values), name="servicedesk_level_cover_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.name}"


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("Critical")
    HIGH = 2, _("High")
    MEDIUM = 3, _("Medium")
    LOW = 4, _("Low")


class Impact(models.IntegerChoices):
    WIDESPREAD = 1, _("Widespread (a site or a service)")
    SIGNIFICANT = 2, _("Significant (a team)")
    MINOR = 3, _("Minor (one person)")


class Urgency(models.IntegerChoices):
    HIGH = 1, _("High (work has stopped)")
    MEDIUM = 2, _("Medium (work is impeded)")
    LOW = 3, _("Low (work continues)")


class ServiceLevelTarget(models.Model):
    level = models.ForeignKey(ServiceLevel, on_delete=models.CASCADE, related_name="targets")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(_("response target (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (business minutes)"))

    class Meta:
        ordering = ["level", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["level", "priority"], name="servicedesk_target_unique"),
            models.CheckConstraint(condition=Q(response_minutes__gt=0) & Q(resolution_minutes__gte=F("response_minutes")),
                                   name="servicedesk_target_ordered"),
        ]


class Subscription(models.Model):
    """A department's subscription to a service at one level."""

    department = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="service_subscriptions",
                                   verbose_name=_("department"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subscriptions")
    level = models.ForeignKey(ServiceLevel, on_delete=models.PROTECT, related_name="subscriptions")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    scope_paths = {"org_unit": "department", "entity": "department__entity"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "service"], name="servicedesk_subscription_unique"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                                   name="servicedesk_subscription_dates_ordered"),
        ]


# --- Desks --------------------------------------------------------------------------------------
class Desk(TranslatedNameMixin):
    """A service desk at a duty station; open during the station's working hours."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    duty_station = models.ForeignKey("core.DutyStation", on_delete=models.PROTECT, related_name="service_desks",
                                     verbose_name=_("duty station"))
    languages = models.JSONField(_("languages"), default=list)
    skills = models.JSONField(_("skills"), default=list, help_text=_("Service kinds this desk handles."))
    is_active = models.BooleanField(_("active"), default=True)
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="service_desks")
    auto_assign = models.BooleanField(_("assign new tickets automatically"), default=False,
                                      help_text=_("Round-robin among the desk's agents with the fewest open tickets."))
    last_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", editable=False)

    scope_paths = {"duty_station": "duty_station"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("service desk")
        verbose_name_plural = _("service desks")


# --- Tickets ----------------------------------------------------------------------------------
class TicketKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Service request")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Self-service portal")
    EMAIL = "email", _("E-mail")
    AGENT = "agent", _("Agent")
    API = "api", _("API")
    IMPORT = "import", _("Import")


class TicketStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_USER = "awaiting_user", _("Awaiting user")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting vendor")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")


PAUSE_STATUSES = {TicketStatus.PENDING_APPROVAL, TicketStatus.AWAITING_USER, TicketStatus.AWAITING_VENDOR}
OPEN_STATUSES = {TicketStatus.PENDING_APPROVAL, TicketStatus.NEW, TicketStatus.IN_PROGRESS,
                 TicketStatus.AWAITING_USER, TicketStatus.AWAITING_VENDOR}
_WORKING = {TicketStatus.IN_PROGRESS, TicketStatus.AWAITING_USER, TicketStatus.AWAITING_VENDOR,
            TicketStatus.RESOLVED, TicketStatus.MERGED}


class Ticket(models.Model):
    """An incident or a service request, with its two SLA clocks (response and resolution).

    The due instants are derived (``services.recompute_sla``) from the service level's targets,
    the duty station's calendar and the pauses; they are stored so reports need no Python.
    """

    ALLOWED_TRANSITIONS = {
        TicketStatus.PENDING_APPROVAL: {TicketStatus.NEW, TicketStatus.REJECTED},
        TicketStatus.NEW: _WORKING - {TicketStatus.NEW},
        TicketStatus.IN_PROGRESS: _WORKING - {TicketStatus.IN_PROGRESS},
        TicketStatus.AWAITING_USER: _WORKING - {TicketStatus.AWAITING_USER},
        TicketStatus.AWAITING_VENDOR: _WORKING - {TicketStatus.AWAITING_VENDOR},
        TicketStatus.RESOLVED: {TicketStatus.CLOSED, TicketStatus.IN_PROGRESS},
        TicketStatus.CLOSED: set(),
        TicketStatus.MERGED: set(),
        TicketStatus.REJECTED: set(),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=TicketKind.choices, default=TicketKind.INCIDENT)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("service"))
    level = models.ForeignKey(ServiceLevel, on_delete=models.PROTECT, related_name="tickets",
                              verbose_name=_("service level"))
    department = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="service_tickets",
                                   verbose_name=_("department"))
    duty_station = models.ForeignKey("core.DutyStation", on_delete=models.PROTECT, related_name="service_tickets",
                                     verbose_name=_("duty station"))
    requester = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="service_tickets",
                                  verbose_name=_("requester"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="raised_tickets")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    language = models.CharField(_("language"), max_length=10, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    request_answers = models.JSONField(_("request form answers"), default=dict, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices, default=Impact.MINOR)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets",
                             verbose_name=_("desk"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_tickets", verbose_name=_("assignee"))
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW)
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_used_seconds = models.PositiveIntegerField(_("business time used (s)"), default=0)
    response_breached = models.BooleanField(_("response target missed"), null=True, blank=True)
    resolution_breached = models.BooleanField(_("resolution target missed"), null=True, blank=True)
    is_first_contact_resolution = models.BooleanField(_("resolved at first contact"), default=False)
    reassignment_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_tickets")
    solved_by_article = models.ForeignKey("KnowledgeArticle", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="solved_tickets", verbose_name=_("solved by article"))
    configuration_items = models.ManyToManyField("ConfigurationItem", blank=True, related_name="tickets")

    scope_paths = {"duty_station": "duty_station", "org_unit": "department", "entity": "department__entity"}

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [models.Index(fields=["status", "desk"], name="servicedesk_ticket_queue")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="servicedesk_ticket_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=TicketKind.values), name="servicedesk_ticket_kind_valid"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=4), name="servicedesk_ticket_priority"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3),
                                   name="servicedesk_ticket_impact_urgency"),
            models.CheckConstraint(condition=(Q(status="merged") & Q(merged_into__isnull=False))
                                   | (~Q(status="merged") & Q(merged_into__isnull=True)),
                                   name="servicedesk_ticket_merged_has_target"),
            models.CheckConstraint(condition=~Q(status__in=["resolved", "closed"]) | Q(resolved_at__isnull=False),
                                   name="servicedesk_ticket_resolved_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"SD-{self.pk:07d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=TicketStatus(self.status).label, requested=TicketStatus(new_status).label)
        self.status = new_status


class EntryKind(models.TextChoices):
    PUBLIC_REPLY = "public_reply", _("Public reply")
    INTERNAL_NOTE = "internal_note", _("Internal note")
    STATUS_CHANGE = "status_change", _("Status change")
    ASSIGNMENT = "assignment", _("Assignment")
    EVENT = "event", _("Event")


class TicketEntry(models.Model):
    """One line of a ticket's history: a reply, a note, or a change of status or assignment."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    author_label = models.CharField(max_length=200, blank=True)
    is_from_requester = models.BooleanField(default=False)
    body = models.TextField(blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EntryKind.values),
                                              name="servicedesk_entry_kind_valid")]


class TicketPause(models.Model):
    """An interval during which the ticket's resolution clock stood still."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=20, choices=TicketStatus.choices)
    paused_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["paused_at"]
        constraints = [
            models.CheckConstraint(condition=Q(resumed_at__isnull=True) | Q(resumed_at__gte=F("paused_at")),
                                   name="servicedesk_pause_ordered"),
            models.UniqueConstraint(fields=["ticket"], condition=Q(resumed_at__isnull=True),
                                    name="servicedesk_one_open_pause"),
        ]


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="attachments")
    entry = models.ForeignKey(TicketEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()


class TicketTag(models.Model):
    """A label on a ticket (lower-case word), for the queue's filters and the reports."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tags")
    name = models.SlugField(_("tag"), max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ticket", "name"], name="servicedesk_tag_unique")]
        indexes = [models.Index(fields=["name"], name="servicedesk_tag_name")]


class TicketWatcher(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_tickets")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="servicedesk_watcher_unique")]


class LinkKind(models.TextChoices):
    RELATED = "related", _("Related")
    DUPLICATE = "duplicate", _("Duplicate")
    CAUSED_BY = "caused_by", _("Caused by")
    FOLLOW_UP = "follow_up", _("Follow-up of")


class TicketLink(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links")
    related = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="linked_from")
    kind = models.CharField(max_length=20, choices=LinkKind.choices, default=LinkKind.RELATED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "related"], name="servicedesk_link_unique"),
            models.CheckConstraint(condition=~Q(ticket=F("related")), name="servicedesk_link_not_self"),
        ]


class Macro(models.Model):
    """A canned reply in up to six languages, with placeholders, optionally moving the ticket on.

    Placeholders: ``{requester}``, ``{reference}``, ``{subject}``, ``{service}``, ``{agent}``.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    body_translations = models.JSONField(_("reply"), default=dict)
    set_status = models.CharField(_("then set the status"), max_length=20, blank=True,
                                  choices=[(TicketStatus.AWAITING_USER, TicketStatus.AWAITING_USER.label),
                                           (TicketStatus.IN_PROGRESS, TicketStatus.IN_PROGRESS.label)])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name


# --- Escalation -------------------------------------------------------------------------------
class EscalationAction(models.TextChoices):
    NOTIFY = "notify", _("Notify the desk")
    REASSIGN = "reassign", _("Reassign to another desk")
    RAISE_PRIORITY = "raise_priority", _("Raise the priority")


class EscalationTarget(models.TextChoices):
    RESPONSE = "response", _("Response target")
    RESOLUTION = "resolution", _("Resolution target")


class EscalationRule(models.Model):
    """Fires once per ticket, ``offset_minutes`` before (negative) or after the due time of its target:
    the resolution (while the clock runs) or the first response (while nobody has answered)."""

    level = models.ForeignKey(ServiceLevel, on_delete=models.CASCADE, related_name="escalation_rules")
    target = models.CharField(_("target"), max_length=10, choices=EscalationTarget.choices,
                              default=EscalationTarget.RESOLUTION)
    offset_minutes = models.IntegerField(_("minutes relative to due time"))
    action = models.CharField(_("action"), max_length=20, choices=EscalationAction.choices)
    reassign_to = models.ForeignKey(Desk, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["offset_minutes"]
        constraints = [
            models.CheckConstraint(condition=~Q(action="reassign") | Q(reassign_to__isnull=False),
                                   name="servicedesk_rule_reassign_has_desk"),
        ]


class TicketEscalation(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="escalations")
    rule = models.ForeignKey(EscalationRule, on_delete=models.CASCADE, related_name="+")
    fired_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "rule"], name="servicedesk_escalation_once")]


# --- Satisfaction -----------------------------------------------------------------------------
class SatisfactionResponse(models.Model):
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="satisfaction")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5),
                                              name="servicedesk_rating_range")]


class AnnualSurveyResult(models.Model):
    """The annual user satisfaction survey's result for one core ICT service."""

    year = models.PositiveSmallIntegerField(_("year"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="annual_survey_results")
    respondents = models.PositiveIntegerField(_("respondents"))
    satisfied = models.PositiveIntegerField(_("satisfied respondents"))
    target_percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=1, default=Decimal("80.0"))

    class Meta:
        ordering = ["year", "service"]
        constraints = [
            models.UniqueConstraint(fields=["year", "service"], name="servicedesk_annual_survey_unique"),
            models.CheckConstraint(condition=Q(satisfied__lte=F("respondents")), name="servicedesk_survey_counts"),
        ]

    @property
    def satisfied_percent(self) -> Decimal:
        if not self.respondents:
            return Decimal("0.0")
        return (Decimal(self.satisfied) * 100 / self.respondents).quantize(Decimal("0.1"))


# --- Knowledge base ---------------------------------------------------------------------------
class KnowledgeArticle(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="knowledge_articles")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField(_("review by"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ArticleVersion(models.Model):
    """One published version of an article in one language; earlier versions are kept.

    ``is_current`` marks the latest version per article and language (the one searched and shown);
    ``search_text`` is title and body as the full-text index reads them (``content.search.prepare_text``).
    """

    article = models.ForeignKey(KnowledgeArticle, on_delete=models.PROTECT, related_name="versions")
    language = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(_("current version"), default=True)
    search_text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["article", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language", "version"],
                                    name="servicedesk_article_version_unique"),
            models.UniqueConstraint(fields=["article", "language"], condition=Q(is_current=True),
                                    name="servicedesk_article_one_current_version"),
        ]


# --- Configuration items, changes, problems ---------------------------------------------------
class ConfigurationItem(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    ci_type = models.CharField(_("type"), max_length=40)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    owner = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.ForeignKey("core.DutyStation", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RelationshipKind(models.TextChoices):
    RUNS_ON = "runs_on", _("runs on")
    DEPENDS_ON = "depends_on", _("depends on")
    USED_BY = "used_by", _("used by")


class ConfigurationItemRelationship(models.Model):
    source = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(ConfigurationItem, on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="servicedesk_ci_relationship_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="servicedesk_ci_relationship_not_self"),
        ]


class ChangeKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    NORMAL = "normal", _("Normal")
    EMERGENCY = "emergency", _("Emergency")


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


class ChangeRequest(models.Model):
    ALLOWED_TRANSITIONS = {
        ChangeStatus.SUBMITTED: {ChangeStatus.APPROVED, ChangeStatus.REJECTED},
        ChangeStatus.APPROVED: {ChangeStatus.IMPLEMENTED},
        ChangeStatus.REJECTED: set(),
        ChangeStatus.IMPLEMENTED: set(),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    risk = models.PositiveSmallIntegerField(_("risk"), choices=Impact.choices)
    status = models.CharField(max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    scheduled_start_at = models.DateTimeField(null=True, blank=True)
    scheduled_end_at = models.DateTimeField(null=True, blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)
    implementation_record = models.TextField(blank=True)
    configuration_items = models.ManyToManyField(ConfigurationItem, blank=True, related_name="changes")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ChangeStatus.values), name="servicedesk_change_status"),
            models.CheckConstraint(
                condition=~Q(status="implemented") | Q(kind="standard") | Q(approved_by__isnull=False),
                name="servicedesk_change_implemented_was_approved",
            ),
        ]

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidChangeTransition(current=ChangeStatus(self.status).label,
                                          requested=ChangeStatus(new_status).label)
        self.status = new_status


class Problem(models.Model):
    title = models.CharField(_("title"), max_length=200)
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    is_known_error = models.BooleanField(_("known error"), default=False)
    incidents = models.ManyToManyField(Ticket, blank=True, related_name="problems")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()


# --- E-mail channel ---------------------------------------------------------------------------
class SmtpSecurity(models.TextChoices):
    STARTTLS = "starttls", _("STARTTLS")
    TLS = "tls", _("TLS from the start (SMTPS)")
    NONE = "none", _("None (local relay only)")


class MailChannel(models.Model):
    """A desk's mailbox: read by IMAP, answered by SMTP.

    No password is stored here: ``secret_name`` names the mailbox's entry in the
    ``SECRETARIAT_MAILBOX_SECRETS`` setting (read from the environment), ADR 0024.
    """

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="mail_channels")
    address = models.EmailField(unique=True)
    default_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    imap_host = models.CharField(max_length=200)
    imap_port = models.PositiveIntegerField(default=993)
    imap_use_ssl = models.BooleanField(default=True)
    imap_username = models.CharField(max_length=200)
    secret_name = models.SlugField(_("secret name"), max_length=60, blank=True,
                                   help_text=_("Entry of the mailbox in the SECRETARIAT_MAILBOX_SECRETS setting."))
    smtp_host = models.CharField(max_length=200)
    smtp_port = models.PositiveIntegerField(default=587)
    smtp_security = models.CharField(_("SMTP security"), max_length=10, choices=SmtpSecurity.choices,
                                     default=SmtpSecurity.STARTTLS)
    smtp_username = models.CharField(_("SMTP user name"), max_length=200, blank=True)
    max_attachment_bytes = models.PositiveIntegerField(default=10 * 1024 * 1024)


class InboundStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    QUARANTINED = "quarantined", _("Quarantined")


class InboundMessage(models.Model):
    """Every message read from a mailbox, kept raw — accepted into a ticket or quarantined."""

    channel = models.ForeignKey(MailChannel, on_delete=models.PROTECT, related_name="inbound_messages")
    message_id = models.CharField(max_length=255)
    sender = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=InboundStatus.choices)
    reason = models.TextField(blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="servicedesk_inbound_once"),
            models.CheckConstraint(condition=~Q(status="quarantined") | ~Q(reason=""),
                                   name="servicedesk_quarantine_has_reason"),
        ]


class WebhookSubscription(models.Model):
    url = models.URLField()
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)


# --- Chargeback posted to the ledger ----------------------------------------------------------
class ChargebackPosting(models.Model):
    """The month's chargeback statements, posted once to the ledger as one journal entry (ADR 0023).

    One standing row per month: the unique constraint is the last line of defence against posting
    a month twice, even when two requests race past the service's check. A reversed posting keeps
    its row with the reversing entry (ADR 0025), and the month may be posted again.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    fund = models.ForeignKey("finance.Fund", on_delete=models.PROTECT, related_name="servicedesk_chargebacks")
    providing_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT,
                                       related_name="provided_chargebacks")
    journal_entry = models.OneToOneField("finance.JournalEntry", on_delete=models.PROTECT,
                                         related_name="servicedesk_chargeback")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="posted_chargebacks")
    posted_at = models.DateTimeField()
    reversal_entry = models.OneToOneField("finance.JournalEntry", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="servicedesk_chargeback_reversal")
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month", "-posted_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], condition=Q(reversal_entry__isnull=True),
                                    name="servicedesk_chargeback_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="servicedesk_chargeback_month_valid"),
        ]
