"""Knowledge and records: libraries, documents and their versions, official documents, the
business classification scheme with retention rules, legal holds, disposition, workspaces and
the search index.

Files live in a content-addressed store (``StoredFile`` is one blob, named by its SHA-256);
documents point at blobs through their versions. Declared records, holds and retention are
also enforced by database triggers (migration 0002, ADR 0031).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class InvalidTransition(DomainError):
    message = _("This document cannot move from %(current)s to %(requested)s.")
    code = "invalid_transition"


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictly confidential")


class Library(models.Model):
    """A place documents are uploaded into, with its own rules: owner unit, file types, size."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="libraries",
                                 verbose_name=_("owner org unit"))
    allowed_extensions = models.JSONField(
        _("allowed file types"), default=list, blank=True,
        help_text=_("File name extensions without the dot, e.g. pdf, docx; empty allows every supported type."))
    max_file_bytes = models.PositiveBigIntegerField(_("largest file (bytes)"), default=50 * 1024 * 1024)
    default_classification = models.CharField(_("default classification"), max_length=30,
                                              choices=Classification.choices, default=Classification.INTERNAL)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity", "duty_station": "org_unit__duty_station"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        constraints = [
            models.CheckConstraint(condition=Q(default_classification__in=Classification.values),
                                   name="content_library_classification_valid"),
            models.CheckConstraint(condition=Q(max_file_bytes__gt=0), name="content_library_max_size_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A kind of document with its own metadata rules.

    ``field_rules`` lists the custom fields: ``{"name", "label", "type": text|integer|date|choice,
    "required": bool, "choices": [...], "pattern": regex}``.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    field_rules = models.JSONField(_("custom fields"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_translations.get(get_language() or "en") or self.name


class StoredFile(models.Model):
    """One blob in the content-addressed store, named by the SHA-256 of its bytes."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    media_type = models.CharField(_("media type"), max_length=200)
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    last_fixity_check_at = models.DateTimeField(_("last fixity check"), null=True, blank=True)
    fixity_ok = models.BooleanField(_("fixity intact"), null=True)
    # Set when a records officer accepts changed bytes in place of the original (audited with the
    # reason): the fixity check then compares against this hash, and the file is served again.
    accepted_sha256 = models.CharField(_("accepted SHA-256"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="content_storedfile_sha256_hex"),
        ]

    def __str__(self) -> str:
        return self.sha256


class RecordClassLevel(models.TextChoices):
    FUNCTION = "function", _("Function")
    ACTIVITY = "activity", _("Activity")
    TRANSACTION = "transaction", _("Transaction")


class RetentionTrigger(models.TextChoices):
    DECLARATION = "declaration", _("Declaration as a record")
    CLOSURE = "closure", _("Closure of the file")
    CREATION = "creation", _("Creation of the document")


class DispositionAction(models.TextChoices):
    DESTROY = "destroy", _("Destroy")
    REVIEW = "review", _("Review")
    TRANSFER = "transfer", _("Transfer to the archives")


class RecordClass(models.Model):
    """A node of the business classification scheme (file plan): function → activity → transaction.

    Each class carries its retention and disposition rule; records declared into it inherit it.
    """

    code = models.CharField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_translations = models.JSONField(_("title translations"), default=dict, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent class"))
    level = models.CharField(_("level"), max_length=20, choices=RecordClassLevel.choices)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True)
    retention_trigger = models.CharField(_("retention starts at"), max_length=20, choices=RetentionTrigger.choices,
                                         default=RetentionTrigger.CLOSURE)
    disposition_action = models.CharField(_("then"), max_length=20, choices=DispositionAction.choices,
                                          default=DispositionAction.DESTROY)

    class Meta:
        ordering = ["code"]
        verbose_name = _("record class")
        verbose_name_plural = _("record classes")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=RecordClassLevel.values), name="content_class_level_valid"),
            models.CheckConstraint(condition=Q(retention_trigger__in=RetentionTrigger.values),
                                   name="content_class_trigger_valid"),
            models.CheckConstraint(condition=Q(disposition_action__in=DispositionAction.values),
                                   name="content_class_action_valid"),
            models.CheckConstraint(condition=Q(level="function", parent__isnull=True)
                                   | (~Q(level="function") & Q(parent__isnull=False)),
                                   name="content_class_only_functions_at_top"),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return f"{self.code} {self.title_translations.get(get_language() or 'en') or self.title}"


class Workspace(models.Model):
    """A collaboration room: members inside and outside the Secretariat, shared documents."""

    name = models.CharField(_("name"), max_length=200)
    template = models.CharField(_("template"), max_length=30)
    purpose = models.TextField(_("purpose"), blank=True)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="workspaces",
                                 verbose_name=_("owner org unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self) -> str:
        return self.name


class WorkspaceRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class WorkspaceMembership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workspace_memberships")
    role = models.CharField(_("role"), max_length=20, choices=WorkspaceRole.choices, default=WorkspaceRole.MEMBER)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workspace membership")
        verbose_name_plural = _("workspace memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="content_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=WorkspaceRole.values), name="content_membership_role_valid"),
        ]


class OfficialStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    REVIEW = "review", _("Review")
    TRANSLATION = "translation", _("Translation")
    SCHEDULED = "scheduled", _("Scheduled for release")
    ISSUED = "issued", _("Issued")


class OfficialDocument(models.Model):
    """A document with a symbol (e.g. A/62/510) and up to six language versions released together."""

    ALLOWED_TRANSITIONS = {
        OfficialStatus.DRAFTING: {OfficialStatus.REVIEW},
        OfficialStatus.REVIEW: {OfficialStatus.DRAFTING, OfficialStatus.TRANSLATION},
        OfficialStatus.TRANSLATION: {OfficialStatus.ISSUED, OfficialStatus.SCHEDULED},
        # An embargo: every language is final and waits for ``release_at``; cancelling returns to translation.
        OfficialStatus.SCHEDULED: {OfficialStatus.ISSUED, OfficialStatus.TRANSLATION},
        OfficialStatus.ISSUED: set(),
    }

    symbol = models.CharField(_("symbol"), max_length=100, unique=True)
    body = models.CharField(_("body"), max_length=20)
    session = models.CharField(_("session"), max_length=20, blank=True)
    document_kind = models.CharField(_("document type"), max_length=20, blank=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="official_documents",
                                 verbose_name=_("author org unit"))
    required_languages = models.JSONField(_("required languages"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=OfficialStatus.choices,
                              default=OfficialStatus.DRAFTING)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    release_at = models.DateTimeField(_("release at"), null=True, blank=True,
                                      help_text=_("The minute every language version becomes public."))
    release_scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                             null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity", "duty_station": "org_unit__duty_station"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OfficialStatus.values), name="content_official_status_valid"),
            models.CheckConstraint(condition=~Q(status="issued") | Q(issued_on__isnull=False),
                                   name="content_official_issued_has_date"),
            models.CheckConstraint(condition=~Q(status="scheduled") | Q(release_at__isnull=False),
                                   name="content_official_scheduled_has_time"),
        ]
        permissions = [("release_official_document", "Can issue and release official documents")]

    def __str__(self) -> str:
        return self.symbol

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=OfficialStatus(new_status).label)
        self.status = new_status


class Document(models.Model):
    """A managed document: metadata, versions, and — once declared — a record under retention."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
                                verbose_name=_("library"))
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="documents", verbose_name=_("workspace"))
    official_document = models.ForeignKey(OfficialDocument, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="language_versions", verbose_name=_("official document"))
    title = models.CharField(_("title"), max_length=500)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("owner org unit"))
    author = models.CharField(_("author"), max_length=200, blank=True)
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents",
                                      verbose_name=_("document type"))
    document_date = models.DateField(_("document date"), null=True, blank=True)
    subject_terms = models.JSONField(_("subject terms"), default=list, blank=True)
    classification = models.CharField(_("security classification"), max_length=30, choices=Classification.choices)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("checked out by"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    # Official language versions: final when the translation is done; published on release.
    is_final = models.BooleanField(_("final"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Records management.
    record_class = models.ForeignKey(RecordClass, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="records", verbose_name=_("record class"))
    declared_at = models.DateTimeField(_("declared a record at"), null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    closed_on = models.DateField(_("file closed on"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred to the archives at"), null=True, blank=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity", "duty_station": "org_unit__duty_station"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=Q(classification__in=Classification.values),
                                   name="content_document_classification_valid"),
            models.CheckConstraint(condition=Q(language__in=LANGUAGE_CODES), name="content_document_language_valid"),
            models.CheckConstraint(
                condition=Q(library__isnull=False) | Q(workspace__isnull=False) | Q(official_document__isnull=False),
                name="content_document_has_a_home"),
            models.CheckConstraint(condition=Q(declared_at__isnull=True) | Q(record_class__isnull=False),
                                   name="content_record_has_class"),
            models.CheckConstraint(condition=Q(checked_out_by__isnull=True, checked_out_at__isnull=True)
                      | Q(checked_out_by__isnull=False, checked_out_at__isnull=False),
                                   name="content_checkout_consistent"),
            models.UniqueConstraint(fields=["official_document", "language"], name="content_one_version_per_language",
                                    condition=Q(official_document__isnull=False)),
        ]
        indexes = [models.Index(fields=["retain_until"], name="content_document_retention")]
        permissions = [
            ("view_strictly_confidential", "Can see strictly confidential documents"),
            ("manage_records", "Can declare records and keep the classification scheme"),
            ("manage_legal_holds", "Can place and release legal holds"),
            ("approve_disposition", "Can approve a disposition run"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_record(self) -> bool:
        return self.declared_at is not None

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class OcrStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DocumentVersion(models.Model):
    """One immutable version of a document's content, with a snapshot of its metadata."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="versions")
    preview = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    comment = models.TextField(_("comment"), blank=True)
    metadata = models.JSONField(_("metadata at this version"), default=dict)
    extracted_text = models.TextField(_("extracted text"), blank=True)
    ocr_status = models.CharField(_("OCR"), max_length=20, choices=OcrStatus.choices, default=OcrStatus.NOT_NEEDED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="content_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="content_version_number_positive"),
            models.CheckConstraint(condition=Q(ocr_status__in=OcrStatus.values), name="content_version_ocr_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class LegalHold(models.Model):
    """Freezes records: while active, nobody (administrators included) may dispose of or delete them."""

    name = models.CharField(_("name"), max_length=200)
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    documents = models.ManyToManyField(Document, through="LegalHoldItem", related_name="legal_holds")

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return self.name


class LegalHoldItem(models.Model):
    hold = models.ForeignKey(LegalHold, on_delete=models.PROTECT, related_name="items")
    # SET_NULL lets released holds keep their history when a record is later destroyed; items of an
    # active hold cannot change or go (database trigger), so the hold itself is never emptied.
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, related_name="hold_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hold", "document"], name="content_hold_item_unique")]


class DispositionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    EXECUTED = "executed", _("Executed")


class DispositionRun(models.Model):
    ALLOWED_TRANSITIONS = {
        DispositionStatus.PROPOSED: {DispositionStatus.APPROVED},
        DispositionStatus.APPROVED: {DispositionStatus.EXECUTED},
        DispositionStatus.EXECUTED: set(),
    }

    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=DispositionStatus.choices,
                              default=DispositionStatus.PROPOSED)
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("disposition run")
        verbose_name_plural = _("disposition runs")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DispositionStatus.values),
                                   name="content_disposition_status_valid"),
            models.CheckConstraint(condition=Q(status="proposed") | Q(approved_by__isnull=False),
                                   name="content_disposition_approved_by_someone"),
            models.CheckConstraint(condition=~Q(approved_by=F("proposed_by")),
                                   name="content_disposition_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} ({self.get_status_display()})"

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            raise InvalidTransition(current=self.get_status_display(), requested=DispositionStatus(new_status).label)
        self.status = new_status


class DispositionOutcome(models.TextChoices):
    DUE = "due", _("Due")
    DESTROYED = "destroyed", _("Destroyed")
    TRANSFERRED = "transferred", _("Transferred")
    KEPT_FOR_REVIEW = "kept_for_review", _("Kept for review")
    HELD = "held", _("Blocked by a legal hold")
    RETENTION_NOT_ENDED = "retention_not_ended", _("Kept: retention has not ended")


class DestructionCertificate(models.Model):
    """What remains of a destroyed record: a metadata stub, the reason and the approver."""

    stub = models.JSONField(_("metadata stub"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField(_("destroyed at"))

    class Meta:
        ordering = ["-destroyed_at"]
        verbose_name = _("destruction certificate")
        verbose_name_plural = _("destruction certificates")


class DispositionItem(models.Model):
    run = models.ForeignKey(DispositionRun, on_delete=models.PROTECT, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    document_title = models.CharField(_("title"), max_length=500)
    action = models.CharField(_("action"), max_length=20, choices=DispositionAction.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DispositionOutcome.choices,
                               default=DispositionOutcome.DUE)
    certificate = models.OneToOneField(DestructionCertificate, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="item")

    class Meta:
        ordering = ["run", "id"]


class DocumentLink(models.Model):
    """A document attached to any business record (journal entry, purchase order, ticket…)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "target_type", "target_id"],
                                               name="content_link_unique")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="content_link_target")]


class DiscussionThread(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("subject"), max_length=300)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]


class DiscussionPost(models.Model):
    thread = models.ForeignKey(DiscussionThread, on_delete=models.CASCADE, related_name="posts")
    reply_to = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["posted_at", "id"]


class Poll(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    option = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="content_one_vote_per_member")]


class DraftApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned for changes")


class DraftApproval(models.Model):
    """A request to approve one tracked version of a workspace draft (e.g. a draft resolution)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="approvals")
    status = models.CharField(max_length=20, choices=DraftApprovalStatus.choices,
                              default=DraftApprovalStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DraftApprovalStatus.values),
                                   name="content_draft_approval_status_valid"),
            models.CheckConstraint(condition=~Q(decided_by=F("submitted_by")), name="content_draft_approval_four_eyes"),
        ]


class SearchEntry(models.Model):
    """The text a document is found by, prepared for the search backend (ADR 0032, ADR 0034).

    ``body`` is everything searchable (heading and extracted text); ``heading`` repeats the title,
    subject terms, author and symbol so that a match there can rank first without reading the
    body; ``normalised_title`` finds an exact title match by index. PostgreSQL adds generated
    ``tsvector`` columns per language configuration; SQLite keeps a two-column FTS5 index in step
    by triggers. Chinese text is stored as overlapping bigrams.
    """

    document = models.OneToOneField(Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    language = models.CharField(max_length=10)
    body = models.TextField()
    heading = models.TextField(default="", blank=True)
    normalised_title = models.CharField(max_length=500, default="", blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["normalised_title"], name="content_searchentry_title")]


class FixityCheck(models.Model):
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    files_checked = models.PositiveIntegerField()
    damaged = models.JSONField(default=list)
    missing = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]
