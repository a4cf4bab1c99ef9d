"""Every change to documents, official documents, records, holds, disposition and workspaces.

Lock order: official document, then document (pk order), then version. Files are written to
the content-addressed store before the rows that reference them; if the transaction fails, the
blobs it created are removed again (``staged_blobs``), so a failed upload leaves nothing.
"""

import datetime
import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content import extraction, search, storage
from secretariat.content.models import (
    LANGUAGE_CODES,
    DestructionCertificate,
    DiscussionPost,
    DiscussionThread,
    DispositionAction,
    DispositionItem,
    DispositionOutcome,
    DispositionRun,
    DispositionStatus,
    Document,
    DocumentLink,
    DocumentType,
    DocumentVersion,
    DraftApproval,
    DraftApprovalStatus,
    FixityCheck,
    InvalidTransition,
    LegalHold,
    LegalHoldItem,
    Library,
    OcrStatus,
    OfficialDocument,
    OfficialStatus,
    Poll,
    PollVote,
    RecordClass,
    RetentionTrigger,
    StoredFile,
    Workspace,
    WorkspaceMembership,
    WorkspaceRole,
)
from secretariat.content.selectors import records_due_for_disposition, retention_has_ended, visible_documents
from secretariat.content.symbols import parse_symbol
from secretariat.core.access import has_permission, require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import require_authority
from secretariat.core.exceptions import AccessDenied, DomainError, InvalidInput

logger = logging.getLogger(__name__)

RELEASE_AUTHORITY = "official_document_release"


# --- Refusals -------------------------------------------------------------------------------

class CheckedOutByOther(DomainError):
    message = _("“%(title)s” is checked out by %(user)s.")
    code = "checked_out"


class NotCheckedOut(DomainError):
    message = _("Check out “%(title)s” before checking in a new version.")
    code = "not_checked_out"


class RecordIsImmutable(DomainError):
    message = _("“%(title)s” is a declared record: its content and key metadata cannot change.")
    code = "record_immutable"


class AlreadyDeclared(DomainError):
    message = _("“%(title)s” is already a declared record.")
    code = "already_declared"


class NotARecord(DomainError):
    message = _("“%(title)s” is not a declared record.")
    code = "not_a_record"


class RetentionCannotShorten(DomainError):
    message = _("Retention of “%(title)s” runs until %(current)s; it may be extended but never shortened.")
    code = "retention_shortened"


class UnderLegalHold(DomainError):
    message = _("“%(title)s” is under the legal hold “%(hold)s”: it cannot be disposed of or deleted.")
    code = "legal_hold"


class HoldAlreadyReleased(DomainError):
    message = _("The legal hold “%(name)s” was already released.")
    code = "hold_released"


class LanguageVersionsNotFinal(DomainError):
    message = _("%(symbol)s cannot be issued: the %(languages)s version(s) are not final.")
    code = "languages_not_final"


class LanguageVersionExists(DomainError):
    message = _("%(symbol)s already has a %(language)s version.")
    code = "language_version_exists"


class NotInTranslation(DomainError):
    message = _("%(symbol)s must be in translation for this step (it is %(status)s).")
    code = "not_in_translation"


class SymbolTaken(DomainError):
    message = _("The symbol %(symbol)s is already registered.")
    code = "symbol_taken"


class SameApprover(DomainError):
    message = _("The person who proposed or submitted this cannot also approve it.")
    code = "four_eyes"


class WorkspaceRoleRequired(DomainError):
    message = _("Only workspace members who are not observers may do this in “%(workspace)s”.")
    code = "workspace_role"
    status = 403


class PollClosed(DomainError):
    message = _("This poll is closed.")
    code = "poll_closed"


class DraftNotInWorkspace(DomainError):
    message = _("Only workspace drafts go through draft approval.")
    code = "not_a_draft"


class ApprovalAlreadyDecided(DomainError):
    message = _("This approval request was already decided.")
    code = "approval_decided"


# --- Content-addressed files ----------------------------------------------------------------

_staged: ContextVar[list | None] = ContextVar("content_staged_blobs", default=None)


@contextmanager
def staged_blobs():
    """Remove the blobs written inside the block if the block fails (no orphan files)."""
    created: list[str] = []
    token = _staged.set(created)
    try:
        yield
    except BaseException:
        for digest in created:
            try:
                still_referenced = StoredFile.objects.filter(sha256=digest).exists()
            except Exception:  # the connection is unusable: the rows are gone with the transaction
                still_referenced = False
            if not still_referenced:
                storage.remove_blob(digest)
        raise
    finally:
        _staged.reset(token)


def store_file(*, data: bytes, media_type: str) -> StoredFile:
    digest, created = storage.write_blob(data)
    if created and (staged := _staged.get()) is not None:
        staged.append(digest)
    stored, _created = StoredFile.objects.get_or_create(
        sha256=digest, defaults={"size_bytes": len(data), "media_type": media_type})
    return stored


def atomic_with_files(service):
    """``transaction.atomic`` for services that write blobs: a failure removes what they wrote."""
    atomic_service = transaction.atomic(service)

    def wrapper(*args, **kwargs):
        with staged_blobs():
            return atomic_service(*args, **kwargs)

    wrapper.__name__, wrapper.__doc__, wrapper.__wrapped__ = service.__name__, service.__doc__, service
    return wrapper


# --- Metadata -------------------------------------------------------------------------------

def validate_custom_fields(document_type: DocumentType, values: dict) -> dict:
    """Check ``values`` against the document type's rules; return them normalised."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    rules = {rule["name"]: rule for rule in document_type.field_rules}
    for name in values:
        if name not in rules:
            errors.setdefault(name, []).append(str(_("This document type has no field “%(name)s”.") % {"name": name}))
    for name, rule in rules.items():
        raw = values.get(name)
        label = rule.get("label", name)
        if raw in (None, ""):
            if rule.get("required"):
                errors.setdefault(name, []).append(str(_("%(field)s is required.") % {"field": label}))
            continue
        kind = rule.get("type", "text")
        if kind == "integer":
            try:
                clean[name] = int(raw)
            except (TypeError, ValueError):
                errors.setdefault(name, []).append(str(_("%(field)s must be a whole number.") % {"field": label}))
                continue
        elif kind == "date":
            try:
                clean[name] = datetime.date.fromisoformat(str(raw)).isoformat()
            except ValueError:
                errors.setdefault(name, []).append(
                    str(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": label}))
                continue
        elif kind == "choice":
            if raw not in rule.get("choices", []):
                errors.setdefault(name, []).append(str(_("%(field)s must be one of: %(choices)s.") % {
                    "field": label, "choices": ", ".join(rule.get("choices", []))}))
                continue
            clean[name] = raw
        else:
            clean[name] = str(raw)
            if rule.get("pattern") and not re.fullmatch(rule["pattern"], clean[name]):
                errors.setdefault(name, []).append(str(_("%(field)s is not in the expected form.") % {"field": label}))
    if errors:
        raise InvalidInput(errors={f"custom_fields.{name}": messages for name, messages in errors.items()})
    return clean


def check_language(language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise InvalidInput(errors={"language": [str(_("Choose one of the six official languages."))]})


def metadata_snapshot(document: Document) -> dict:
    return {
        "title": document.title, "language": document.language, "classification": document.classification,
        "document_type": document.document_type.code, "subject_terms": list(document.subject_terms or []),
        "custom_fields": dict(document.custom_fields or {}), "author": document.author,
        "document_date": document.document_date.isoformat() if document.document_date else None,
    }


def lock_document(document_id: int) -> Document:
    return Document.objects.select_for_update(no_key=True, of=("self",)).select_related("document_type").get(
        pk=document_id)


def require_can_edit(*, actor, document: Document) -> None:
    """Library and official documents: ``content.change_document`` in scope; workspaces: members."""
    if document.workspace_id is not None:
        require_workspace_contributor(actor=actor, workspace=document.workspace)
    elif not has_permission(actor=actor, permission="content.change_document", target=document):
        raise AccessDenied(action=_("change documents"))


def require_workspace_contributor(*, actor, workspace: Workspace) -> None:
    if actor.is_superuser:
        return
    membership = WorkspaceMembership.objects.filter(workspace=workspace, user=actor).first()
    if membership is None or membership.role == WorkspaceRole.OBSERVER:
        raise WorkspaceRoleRequired(workspace=workspace.name)


def add_version(*, actor, document: Document, file_name: str, data: bytes, comment: str,
                inspection: extraction.Inspection) -> DocumentVersion:
    stored = store_file(data=data, media_type=inspection.media_type)
    preview_bytes = extraction.make_preview(extension=inspection.extension, data=data)
    preview = store_file(data=preview_bytes, media_type="image/png") if preview_bytes else None
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(
        document=document, number=number, file=stored, preview=preview, file_name=file_name[:255], comment=comment,
        metadata=metadata_snapshot(document), extracted_text=inspection.text, created_by=actor,
        ocr_status=OcrStatus.PENDING if inspection.needs_ocr else OcrStatus.NOT_NEEDED,
    )
    search.index_document(document, inspection.text)
    if inspection.needs_ocr:
        transaction.on_commit(lambda: queue_ocr(version.pk))
    return version


def queue_ocr(version_id: int) -> None:
    from secretariat.content.tasks import recognise_version_text  # the task module imports this one

    recognise_version_text.delay(version_id)


# --- Documents ------------------------------------------------------------------------------

@atomic_with_files
def upload_document(*, actor, file_name: str, data: bytes, title: str, language: str, document_type: DocumentType,
                    library: Library | None = None, workspace: Workspace | None = None,
                    classification: str | None = None, subject_terms: list[str] | None = None,
                    custom_fields: dict | None = None, author: str = "", document_date: datetime.date | None = None,
                    comment: str = "") -> Document:
    """Create a document and its first version from an uploaded file.

    Everything is checked before anything is written: permission, file type and size, file
    integrity, metadata rules. Then blob, document, version and search entry are written in one
    transaction; a failure removes the blob again.
    """
    if (library is None) == (workspace is None):
        raise InvalidInput(errors={"library": [str(_("Choose a library or a workspace."))]})
    if library is not None:
        require_permission(actor=actor, permission="content.add_document", target=library,
                           action=_("add documents to this library"))
        allowed, max_bytes, org_unit = library.allowed_extensions, library.max_file_bytes, library.org_unit
        classification = classification or library.default_classification
    else:
        require_workspace_contributor(actor=actor, workspace=workspace)
        allowed, max_bytes, org_unit = [], 50 * 1024 * 1024, workspace.org_unit
        classification = classification or "internal"
    if not title.strip():
        raise InvalidInput(errors={"title": [str(_("Give the document a title."))]})
    check_language(language)
    clean_fields = validate_custom_fields(document_type, custom_fields or {})
    inspection = extraction.inspect_file(name=file_name, data=data, allowed=allowed, max_bytes=max_bytes)
    document = Document.objects.create(
        library=library, workspace=workspace, title=title.strip(), language=language, org_unit=org_unit,
        author=author, document_type=document_type, document_date=document_date,
        subject_terms=[term.strip() for term in (subject_terms or []) if term.strip()],
        classification=classification, custom_fields=clean_fields, created_by=actor,
    )
    version = add_version(actor=actor, document=document, file_name=file_name, data=data, comment=comment,
                          inspection=inspection)
    record_audit_event(actor=actor, action="content.document.uploaded", target=document, changes={
        "version": version.number, "sha256": version.file.sha256, "file_name": version.file_name,
        "classification": classification})
    return document


@transaction.atomic
def check_out_document(*, actor, document_id: int) -> Document:
    """Reserve the document for ``actor``'s next version; others cannot check in meanwhile."""
    document = lock_document(document_id)
    require_can_edit(actor=actor, document=document)
    if document.is_record:
        raise RecordIsImmutable(title=document.title)
    if document.checked_out_by_id not in (None, actor.pk):
        raise CheckedOutByOther(title=document.title, user=document.checked_out_by.get_username())
    if document.checked_out_by_id is None:
        document.checked_out_by, document.checked_out_at = actor, timezone.now()
        document.save(update_fields=["checked_out_by", "checked_out_at", "updated_at"])
        record_audit_event(actor=actor, action="content.document.checked_out", target=document)
    return document


@transaction.atomic
def cancel_check_out(*, actor, document_id: int) -> Document:
    document = lock_document(document_id)
    if document.checked_out_by_id is None:
        raise NotCheckedOut(title=document.title)
    if document.checked_out_by_id != actor.pk and not has_permission(
            actor=actor, permission="content.manage_records", target=document):
        raise CheckedOutByOther(title=document.title, user=document.checked_out_by.get_username())
    document.checked_out_by = document.checked_out_at = None
    document.save(update_fields=["checked_out_by", "checked_out_at", "updated_at"])
    record_audit_event(actor=actor, action="content.document.check_out_cancelled", target=document)
    return document


@atomic_with_files
def check_in_document(*, actor, document_id: int, file_name: str, data: bytes, comment: str = "",
                      title: str | None = None, subject_terms: list[str] | None = None,
                      custom_fields: dict | None = None) -> DocumentVersion:
    """Add the next version of a document checked out by ``actor`` and release the check-out."""
    document = lock_document(document_id)
    if document.is_record:
        raise RecordIsImmutable(title=document.title)
    if document.checked_out_by_id is None:
        raise NotCheckedOut(title=document.title)
    if document.checked_out_by_id != actor.pk:
        raise CheckedOutByOther(title=document.title, user=document.checked_out_by.get_username())
    require_can_edit(actor=actor, document=document)
    allowed = document.library.allowed_extensions if document.library_id else []
    max_bytes = document.library.max_file_bytes if document.library_id else None
    inspection = extraction.inspect_file(name=file_name, data=data, allowed=allowed, max_bytes=max_bytes)
    before = metadata_snapshot(document)
    if title is not None and title.strip():
        document.title = title.strip()
    if subject_terms is not None:
        document.subject_terms = [term.strip() for term in subject_terms if term.strip()]
    if custom_fields is not None:
        document.custom_fields = validate_custom_fields(document.document_type, custom_fields)
    document.checked_out_by = document.checked_out_at = None
    document.save()
    version = add_version(actor=actor, document=document, file_name=file_name, data=data, comment=comment,
                          inspection=inspection)
    after = metadata_snapshot(document)
    record_audit_event(actor=actor, action="content.document.checked_in", target=document, changes={
        "version": version.number, "sha256": version.file.sha256, "comment": comment,
        "metadata": {key: [before[key], after[key]] for key in after if before[key] != after[key]}})
    return version


KEY_METADATA = {"title", "language", "classification", "document_type", "subject_terms", "custom_fields",
                "author", "document_date", "org_unit"}


@transaction.atomic
def update_document_metadata(*, actor, document_id: int, **changes) -> Document:
    """Change a document's metadata; refused for declared records (key metadata is frozen)."""
    document = lock_document(document_id)
    require_can_edit(actor=actor, document=document)
    unknown = set(changes) - KEY_METADATA
    if unknown:
        raise InvalidInput(errors={name: [str(_("This field cannot be changed here."))] for name in unknown})
    if document.is_record:
        raise RecordIsImmutable(title=document.title)
    if document.checked_out_by_id not in (None, actor.pk):
        raise CheckedOutByOther(title=document.title, user=document.checked_out_by.get_username())
    if "language" in changes:
        check_language(changes["language"])
    if "custom_fields" in changes:
        changes["custom_fields"] = validate_custom_fields(changes.get("document_type", document.document_type),
                                                          changes["custom_fields"])
    before = metadata_snapshot(document)
    for field, value in changes.items():
        setattr(document, field, value)
    document.save()
    search.index_document(document)
    after = metadata_snapshot(document)
    record_audit_event(actor=actor, action="content.document.metadata_changed", target=document,
                       changes={key: [before[key], after[key]] for key in after if before[key] != after[key]})
    return document


@transaction.atomic
def delete_document(*, actor, document_id: int) -> None:
    """Delete a document that is not a record; records leave only through disposition."""
    document = Document.objects.select_for_update().get(pk=document_id)
    require_can_edit(actor=actor, document=document)
    if (hold := LegalHold.objects.filter(released_at__isnull=True, items__document=document).first()) is not None:
        raise UnderLegalHold(title=document.title, hold=hold.name)
    if document.is_record:
        raise RecordIsImmutable(title=document.title)
    record_audit_event(actor=actor, action="content.document.deleted", target=document,
                       changes={"title": document.title})
    digests = list(document.versions.values_list("file__sha256", flat=True))
    document.links.all().delete()
    document.delete()
    release_unreferenced_blobs(digests)


def release_unreferenced_blobs(digests: list[str]) -> None:
    """Drop blobs no version references any more; the files go after commit."""
    orphaned = list(StoredFile.objects.filter(sha256__in=digests, versions__isnull=True).values_list("sha256", flat=True))
    StoredFile.objects.filter(sha256__in=orphaned).delete()
    transaction.on_commit(lambda: [storage.remove_blob(digest) for digest in orphaned])


@transaction.atomic
def apply_recognised_text(*, version_id: int, text: str | None, failure: str = "") -> DocumentVersion:
    """Store OCR output on a version and re-index its document (called by the OCR task)."""
    version = DocumentVersion.objects.select_for_update(no_key=True, of=("self",)).select_related("document").get(
        pk=version_id)
    if text is None:
        version.ocr_status = OcrStatus.FAILED
        version.save(update_fields=["ocr_status"])
    else:
        version.extracted_text = "\n".join(part for part in (version.extracted_text, text) if part)
        version.ocr_status = OcrStatus.DONE
        version.save(update_fields=["extracted_text", "ocr_status"])
        latest = version.document.versions.order_by("-number").values_list("pk", flat=True).first()
        if latest == version.pk:
            search.index_document(version.document, version.extracted_text)
    record_audit_event(actor=None, actor_label="ocr", action="content.version.text_recognised", target=version.document,
                       changes={"version": version.number, "status": version.ocr_status, "failure": failure[:500],
                                "characters": len(text or "")})
    return version


# --- Links to business records --------------------------------------------------------------

@transaction.atomic
def attach_document(*, actor, document_id: int, target: Model) -> DocumentLink:
    """Attach a document to any business record (journal entry, purchase order, ticket…)."""
    document = lock_document(document_id)
    if not visible_documents(actor=actor).filter(pk=document.pk).exists():
        raise AccessDenied(action=_("attach this document"))
    link, created = DocumentLink.objects.get_or_create(
        document=document, target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        defaults={"linked_by": actor})
    if created:
        record_audit_event(actor=actor, action="content.document.attached", target=document,
                           changes={"target": f"{target._meta.label_lower}:{target.pk}"})
    return link


@transaction.atomic
def detach_document(*, actor, link_id: int) -> None:
    link = DocumentLink.objects.select_related("document").get(pk=link_id)
    require_can_edit(actor=actor, document=link.document)
    record_audit_event(actor=actor, action="content.document.detached", target=link.document,
                       changes={"target": f"{link.target_type.app_label}.{link.target_type.model}:{link.target_id}"})
    link.delete()


# --- Official documents ---------------------------------------------------------------------

@transaction.atomic
def register_official_document(*, actor, symbol: str, title: str, org_unit, required_languages: list[str] | None = None
                               ) -> OfficialDocument:
    """Register a symbol (validated) for a new official document in drafting."""
    parsed = parse_symbol(symbol)
    require_permission(actor=actor, permission="content.add_officialdocument", target=org_unit,
                       action=_("register official documents"))
    languages = required_languages or list(LANGUAGE_CODES)
    if not set(languages) <= set(LANGUAGE_CODES) or not languages:
        raise InvalidInput(errors={"required_languages": [str(_("Choose among the six official languages."))]})
    if OfficialDocument.objects.filter(symbol=str(parsed)).exists():
        raise SymbolTaken(symbol=str(parsed))
    official = OfficialDocument.objects.create(
        symbol=str(parsed), body=parsed.body, session=parsed.session, document_kind=parsed.document_kind,
        number=parsed.number, title=title.strip(), org_unit=org_unit, required_languages=languages, created_by=actor)
    record_audit_event(actor=actor, action="content.official.registered", target=official,
                       changes={"symbol": official.symbol, "required_languages": languages})
    return official


def lock_official(official_id: int) -> OfficialDocument:
    return OfficialDocument.objects.select_for_update(no_key=True).get(pk=official_id)


@atomic_with_files
def add_language_version(*, actor, official_id: int, language: str, title: str, file_name: str, data: bytes,
                         document_type: DocumentType) -> Document:
    """Add the original or a translation of an official document (not public until release)."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.change_officialdocument", target=official,
                       action=_("prepare official documents"))
    check_language(language)
    if official.status == OfficialStatus.ISSUED:
        raise cannot_issue_here(official)
    if official.language_versions.filter(language=language).exists():
        raise LanguageVersionExists(symbol=official.symbol, language=language)
    inspection = extraction.inspect_file(name=file_name, data=data)
    document = Document.objects.create(
        official_document=official, title=title.strip() or official.title, language=language,
        org_unit=official.org_unit, document_type=document_type, classification="internal", created_by=actor,
        document_date=timezone.localdate(), subject_terms=[official.symbol])
    add_version(actor=actor, document=document, file_name=file_name, data=data, comment="", inspection=inspection)
    record_audit_event(actor=actor, action="content.official.language_version_added", target=official,
                       changes={"language": language, "document": document.pk})
    return document


def cannot_issue_here(official: OfficialDocument) -> InvalidTransition:
    return InvalidTransition(current=official.get_status_display(), requested=OfficialStatus.ISSUED.label)


@transaction.atomic
def move_official_document(*, actor, official_id: int, to_status: str, comment: str = "") -> OfficialDocument:
    """Drafting → review → (back to drafting) → translation; issuance is ``issue_official_document``."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.change_officialdocument", target=official,
                       action=_("move official documents through their workflow"))
    if to_status not in OfficialStatus.values:
        raise InvalidInput({"to": [_("Choose a status of the official document workflow.")]})
    if to_status == OfficialStatus.ISSUED:
        raise cannot_issue_here(official)
    before = official.status
    official.transition_to(to_status)
    official.save(update_fields=["status"])
    record_audit_event(actor=actor, action="content.official.moved", target=official,
                       changes={"from": before, "to": official.status, "comment": comment})
    return official


@transaction.atomic
def mark_language_version_final(*, actor, document_id: int) -> Document:
    """The translation (or original) of one language is final and ready for release."""
    official_id = Document.objects.values_list("official_document_id", flat=True).get(pk=document_id)
    official = lock_official(official_id)
    document = lock_document(document_id)
    require_permission(actor=actor, permission="content.change_officialdocument", target=official,
                       action=_("finalise language versions"))
    if official.status != OfficialStatus.TRANSLATION:
        raise NotInTranslation(symbol=official.symbol, status=official.get_status_display())
    document.is_final = True
    document.save(update_fields=["is_final", "updated_at"])
    record_audit_event(actor=actor, action="content.official.language_final", target=official,
                       changes={"language": document.language, "version": document.versions.count()})
    return document


def publish_versions(official: OfficialDocument, versions, now) -> None:
    for document in versions:
        document.published_at = now
        document.classification = "public"
        document.save(update_fields=["published_at", "classification", "updated_at"])
        search.index_document(document)


@transaction.atomic
def issue_official_document(*, actor, official_id: int) -> OfficialDocument:
    """Simultaneous release: every required language version becomes public at the same instant.

    Refused while any required language is missing or not final.
    """
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.release_official_document", target=official,
                       action=_("issue official documents"))
    if official.status != OfficialStatus.TRANSLATION:
        raise NotInTranslation(symbol=official.symbol, status=official.get_status_display())
    versions = list(official.language_versions.select_for_update(no_key=True).order_by("pk"))
    final = {document.language for document in versions if document.is_final}
    missing = [code for code in official.required_languages if code not in final]
    if missing:
        raise LanguageVersionsNotFinal(symbol=official.symbol, languages=", ".join(missing))
    now = timezone.now()
    official.transition_to(OfficialStatus.ISSUED)
    official.issued_on = timezone.localdate()
    official.save(update_fields=["status", "issued_on"])
    publish_versions(official, [document for document in versions if document.is_final], now)
    record_audit_event(actor=actor, action="content.official.issued", target=official,
                       changes={"languages": sorted(final), "released_at": now.isoformat()})
    return official


@transaction.atomic
def release_language_subset(*, actor, official_id: int, languages: list[str], reason: str) -> OfficialDocument:
    """An authorised officer releases some final language versions ahead of the others (audited)."""
    official = lock_official(official_id)
    require_authority(user=actor, authority=RELEASE_AUTHORITY, target=official)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Give the reason for releasing only some languages."))]})
    versions = list(official.language_versions.select_for_update(no_key=True).filter(language__in=languages)
                    .order_by("pk"))
    not_final = sorted(set(languages) - {document.language for document in versions if document.is_final})
    if not_final:
        raise LanguageVersionsNotFinal(symbol=official.symbol, languages=", ".join(not_final))
    now = timezone.now()
    publish_versions(official, versions, now)
    record_audit_event(actor=actor, action="content.official.subset_released", target=official,
                       changes={"languages": sorted(languages), "reason": reason, "released_at": now.isoformat()})
    return official


# --- Records --------------------------------------------------------------------------------

def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_end(document: Document, record_class: RecordClass) -> datetime.date | None:
    if record_class.retention_years is None:
        return None
    start = {
        RetentionTrigger.DECLARATION: (document.declared_at or timezone.now()).date(),
        RetentionTrigger.CREATION: document.created_at.date(),
        RetentionTrigger.CLOSURE: document.closed_on,
    }[record_class.retention_trigger]
    return add_years(start, record_class.retention_years) if start else None


@transaction.atomic
def create_record_class(*, actor, code: str, title: str, level: str, parent: RecordClass | None = None,
                        retention_years: int | None = None, retention_trigger: str = RetentionTrigger.CLOSURE,
                        disposition_action: str = DispositionAction.DESTROY,
                        title_translations: dict | None = None) -> RecordClass:
    require_permission(actor=actor, permission="content.manage_records", action=_("keep the classification scheme"))
    expected_parent_level = {"function": None, "activity": "function", "transaction": "activity"}[level]
    if (parent.level if parent else None) != expected_parent_level:
        raise InvalidInput(errors={"parent": [str(_("Functions hold activities, activities hold transactions."))]})
    record_class = RecordClass.objects.create(
        code=code, title=title, level=level, parent=parent, retention_years=retention_years,
        retention_trigger=retention_trigger, disposition_action=disposition_action,
        title_translations=title_translations or {})
    record_audit_event(actor=actor, action="content.record_class.created", target=record_class, changes={
        "retention_years": retention_years, "trigger": retention_trigger, "action": disposition_action})
    return record_class


@transaction.atomic
def declare_record(*, actor, document_id: int, record_class: RecordClass,
                   closed_on: datetime.date | None = None) -> Document:
    """Declare a document a record: content and key metadata freeze, retention starts to run."""
    document = lock_document(document_id)
    require_permission(actor=actor, permission="content.manage_records", target=document,
                       action=_("declare records"))
    if document.is_record:
        raise AlreadyDeclared(title=document.title)
    if document.checked_out_by_id is not None:
        raise CheckedOutByOther(title=document.title, user=document.checked_out_by.get_username())
    document.record_class, document.declared_at, document.declared_by = record_class, timezone.now(), actor
    document.closed_on = closed_on
    document.retain_until = retention_end(document, record_class)
    document.save()
    record_audit_event(actor=actor, action="content.record.declared", target=document, changes={
        "record_class": record_class.code, "retain_until": document.retain_until, "closed_on": closed_on})
    return document


@transaction.atomic
def close_record_file(*, actor, document_id: int, closed_on: datetime.date) -> Document:
    """Record the closure event, which starts retention for classes counted from closure."""
    document = lock_document(document_id)
    require_permission(actor=actor, permission="content.manage_records", target=document, action=_("close files"))
    if not document.is_record:
        raise NotARecord(title=document.title)
    document.closed_on = closed_on
    proposed = retention_end(document, document.record_class)
    if document.retain_until and proposed and proposed < document.retain_until:
        proposed = document.retain_until  # closing never shortens retention
    document.retain_until = proposed
    document.save(update_fields=["closed_on", "retain_until", "updated_at"])
    record_audit_event(actor=actor, action="content.record.closed", target=document,
                       changes={"closed_on": closed_on, "retain_until": document.retain_until})
    return document


@transaction.atomic
def extend_retention(*, actor, document_id: int, retain_until: datetime.date, reason: str) -> Document:
    """Extend a record's retention; shortening is refused (also by a database trigger)."""
    document = lock_document(document_id)
    require_permission(actor=actor, permission="content.manage_records", target=document,
                       action=_("change retention"))
    if not document.is_record:
        raise NotARecord(title=document.title)
    if document.retain_until is not None and retain_until < document.retain_until:
        raise RetentionCannotShorten(title=document.title, current=document.retain_until.isoformat())
    before = document.retain_until
    document.retain_until = retain_until
    document.save(update_fields=["retain_until", "updated_at"])
    record_audit_event(actor=actor, action="content.record.retention_extended", target=document,
                       changes={"from": before, "to": retain_until, "reason": reason})
    return document


@transaction.atomic
def place_legal_hold(*, actor, name: str, reason: str, document_ids: list[int]) -> LegalHold:
    require_permission(actor=actor, permission="content.manage_legal_holds", action=_("place legal holds"))
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Give the reason for the hold."))]})
    hold = LegalHold.objects.create(name=name, reason=reason, placed_by=actor)
    documents = list(Document.objects.select_for_update(no_key=True).filter(pk__in=document_ids).order_by("pk"))
    if missing := sorted(set(document_ids) - {document.pk for document in documents}):
        # A hold that silently left out a document would let it be destroyed.
        raise InvalidInput(errors={"document_ids": [str(_("There is no document %(ids)s.") % {
            "ids": ", ".join(map(str, missing))})]})
    LegalHoldItem.objects.bulk_create(LegalHoldItem(hold=hold, document=document) for document in documents)
    record_audit_event(actor=actor, action="content.legal_hold.placed", target=hold,
                       changes={"documents": [document.pk for document in documents], "reason": reason})
    return hold


@transaction.atomic
def release_legal_hold(*, actor, hold_id: int, reason: str) -> LegalHold:
    require_permission(actor=actor, permission="content.manage_legal_holds", action=_("release legal holds"))
    hold = LegalHold.objects.select_for_update(no_key=True).get(pk=hold_id)
    if hold.released_at is not None:
        raise HoldAlreadyReleased(name=hold.name)
    hold.released_at, hold.released_by = timezone.now(), actor
    hold.save(update_fields=["released_at", "released_by"])
    record_audit_event(actor=actor, action="content.legal_hold.released", target=hold, changes={"reason": reason})
    return hold


@transaction.atomic
def propose_disposition_run(*, actor, due_on: datetime.date, reason: str) -> DispositionRun:
    """List the records whose retention has run out (held ones excluded) for an authorised review."""
    require_permission(actor=actor, permission="content.manage_records", action=_("propose disposition"))
    run = DispositionRun.objects.create(due_on=due_on, reason=reason, proposed_by=actor)
    due = list(records_due_for_disposition(on=due_on))
    DispositionItem.objects.bulk_create(
        DispositionItem(run=run, document=document, document_title=document.title[:500],
                        action=document.record_class.disposition_action) for document in due)
    record_audit_event(actor=actor, action="content.disposition.proposed", target=run,
                       changes={"documents": [document.pk for document in due], "due_on": due_on})
    return run


@transaction.atomic
def approve_disposition_run(*, actor, run_id: int) -> DispositionRun:
    run = DispositionRun.objects.select_for_update(no_key=True).get(pk=run_id)
    if run.proposed_by_id == actor.pk:
        raise SameApprover()
    require_permission(actor=actor, permission="content.approve_disposition", action=_("approve disposition"))
    run.transition_to(DispositionStatus.APPROVED)
    run.approved_by, run.approved_at = actor, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    record_audit_event(actor=actor, action="content.disposition.approved", target=run)
    return run


def destruction_stub(document: Document) -> dict:
    return {
        "document_id": document.pk, "title": document.title, "language": document.language,
        "classification": document.classification, "document_type": document.document_type.code,
        "record_class": document.record_class.code if document.record_class_id else None,
        "org_unit": document.org_unit.code, "declared_at": document.declared_at.isoformat(),
        "retain_until": document.retain_until.isoformat() if document.retain_until else None,
        "symbol": document.official_document.symbol if document.official_document_id else None,
        "versions": [{"number": number, "sha256": digest, "file_name": name} for number, digest, name in
                     document.versions.values_list("number", "file__sha256", "file_name")],
    }


@transaction.atomic
def execute_disposition_run(*, actor, run_id: int) -> DispositionRun:
    """Carry out an approved run: destroy (keeping a certificate), transfer, or keep for review.

    Each record is re-checked under its lock at this moment: one placed under hold after approval
    is kept and reported as held; one whose retention has not ended today (extended since the
    proposal, or listed by an older run) is kept and reported with its retention end. The rest of
    the run proceeds, and certificates exist only for what was destroyed.
    """
    run = DispositionRun.objects.select_for_update(no_key=True).get(pk=run_id)
    require_permission(actor=actor, permission="content.manage_records", action=_("carry out disposition"))
    run.transition_to(DispositionStatus.EXECUTED)
    now = timezone.now()
    digests: list[str] = []
    not_due: dict[str, str | None] = {}
    items = list(run.items.select_related("document").order_by("document_id"))
    for item in items:
        if item.document_id is None:
            continue
        document = Document.objects.select_for_update(of=("self",)).select_related(
            "document_type", "record_class", "org_unit", "official_document").get(pk=item.document_id)
        if LegalHold.objects.filter(released_at__isnull=True, items__document=document).exists():
            item.outcome = DispositionOutcome.HELD
        elif not retention_has_ended(document):
            item.outcome = DispositionOutcome.RETENTION_NOT_ENDED
            not_due[str(document.pk)] = document.retain_until.isoformat() if document.retain_until else None
        elif item.action == DispositionAction.DESTROY:
            item.certificate = DestructionCertificate.objects.create(
                stub=destruction_stub(document), reason=run.reason, approved_by=run.approved_by, destroyed_at=now)
            digests += list(document.versions.values_list("file__sha256", flat=True))
            item.outcome = DispositionOutcome.DESTROYED
            item.document = None
            item.save(update_fields=["certificate", "outcome", "document"])
            document.links.all().delete()
            document.delete()
            continue
        elif item.action == DispositionAction.TRANSFER:
            document.transferred_at = now
            document.save(update_fields=["transferred_at", "updated_at"])
            item.outcome = DispositionOutcome.TRANSFERRED
        else:
            item.outcome = DispositionOutcome.KEPT_FOR_REVIEW
        item.save(update_fields=["outcome"])
    run.executed_at = now
    run.save(update_fields=["status", "executed_at"])
    release_unreferenced_blobs(digests)
    record_audit_event(actor=actor, action="content.disposition.executed", target=run, changes={
        "outcomes": {str(item.pk): item.outcome for item in items}, "retention_not_ended": not_due})
    return run


# --- Workspaces -----------------------------------------------------------------------------

WORKSPACE_TEMPLATES = {
    "committee": {"label": _("Committee"), "threads": [_("Agenda"), _("Documents for the session")]},
    "working_group": {"label": _("Working group"), "threads": [_("Terms of reference"), _("Drafts")]},
    "project": {"label": _("Project team"), "threads": [_("Plan"), _("Decisions")]},
}


@transaction.atomic
def create_workspace(*, actor, name: str, template: str, org_unit, purpose: str = "") -> Workspace:
    """A workspace from a template, with its creator as owner and the template's threads."""
    if template not in WORKSPACE_TEMPLATES:
        raise InvalidInput(errors={"template": [str(_("Choose one of the workspace templates."))]})
    require_permission(actor=actor, permission="content.add_workspace", target=org_unit,
                       action=_("create workspaces"))
    workspace = Workspace.objects.create(name=name, template=template, org_unit=org_unit, purpose=purpose,
                                         created_by=actor)
    WorkspaceMembership.objects.create(workspace=workspace, user=actor, role=WorkspaceRole.OWNER)
    for title in WORKSPACE_TEMPLATES[template]["threads"]:
        DiscussionThread.objects.create(workspace=workspace, title=str(title), started_by=actor)
    record_audit_event(actor=actor, action="content.workspace.created", target=workspace,
                       changes={"template": template})
    return workspace


def require_workspace_owner(*, actor, workspace: Workspace) -> None:
    if actor.is_superuser:
        return
    if not WorkspaceMembership.objects.filter(workspace=workspace, user=actor, role=WorkspaceRole.OWNER).exists():
        raise WorkspaceRoleRequired(workspace=workspace.name)


@transaction.atomic
def add_workspace_member(*, actor, workspace_id: int, user, role: str = WorkspaceRole.MEMBER) -> WorkspaceMembership:
    """Add a member — staff or an external user such as a delegate — to a workspace."""
    workspace = Workspace.objects.select_for_update(no_key=True).get(pk=workspace_id)
    require_workspace_owner(actor=actor, workspace=workspace)
    membership, _created = WorkspaceMembership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role})
    record_audit_event(actor=actor, action="content.workspace.member_added", target=workspace,
                       changes={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def post_to_discussion(*, actor, workspace_id: int, body: str, thread_id: int | None = None, title: str = "",
                       reply_to_id: int | None = None) -> DiscussionPost:
    """Start a thread (give ``title``) or reply in one (give ``thread_id``, optionally ``reply_to_id``)."""
    workspace = Workspace.objects.get(pk=workspace_id)
    require_workspace_contributor(actor=actor, workspace=workspace)
    if not body.strip():
        raise InvalidInput(errors={"body": [str(_("Write a message."))]})
    if thread_id is None:
        thread = DiscussionThread.objects.create(workspace=workspace, title=title or body[:80], started_by=actor)
    else:
        thread = DiscussionThread.objects.get(pk=thread_id, workspace=workspace)
    reply_to = DiscussionPost.objects.get(pk=reply_to_id, thread=thread) if reply_to_id else None
    post = DiscussionPost.objects.create(thread=thread, reply_to=reply_to, author=actor, body=body)
    record_audit_event(actor=actor, action="content.workspace.posted", target=workspace,
                       changes={"thread": thread.pk, "post": post.pk})
    return post


@transaction.atomic
def create_poll(*, actor, workspace_id: int, question: str, options: list[str]) -> Poll:
    workspace = Workspace.objects.get(pk=workspace_id)
    require_workspace_contributor(actor=actor, workspace=workspace)
    options = [option.strip() for option in options if option.strip()]
    if len(options) < 2:
        raise InvalidInput(errors={"options": [str(_("A poll needs at least two options."))]})
    poll = Poll.objects.create(workspace=workspace, question=question, options=options, created_by=actor)
    record_audit_event(actor=actor, action="content.workspace.poll_created", target=workspace,
                       changes={"poll": poll.pk})
    return poll


@transaction.atomic
def vote_in_poll(*, actor, poll_id: int, option: int) -> PollVote:
    poll = Poll.objects.select_for_update(no_key=True).select_related("workspace").get(pk=poll_id)
    require_workspace_contributor(actor=actor, workspace=poll.workspace)
    if poll.closed_at is not None:
        raise PollClosed()
    if not 0 <= option < len(poll.options):
        raise InvalidInput(errors={"option": [str(_("Choose one of the poll's options."))]})
    vote, _created = PollVote.objects.update_or_create(poll=poll, voter=actor, defaults={"option": option})
    return vote


@transaction.atomic
def submit_draft_for_approval(*, actor, document_id: int) -> DraftApproval:
    """Ask for approval of the latest tracked version of a workspace draft."""
    document = lock_document(document_id)
    if document.workspace_id is None:
        raise DraftNotInWorkspace()
    require_workspace_contributor(actor=actor, workspace=document.workspace)
    approval = DraftApproval.objects.create(version=document.latest_version, submitted_by=actor)
    record_audit_event(actor=actor, action="content.draft.submitted", target=document,
                       changes={"version": approval.version.number})
    return approval


@transaction.atomic
def decide_draft_approval(*, actor, approval_id: int, approve: bool, comment: str = "") -> DraftApproval:
    approval = DraftApproval.objects.select_for_update(no_key=True, of=("self",)).select_related(
        "version__document__workspace").get(
        pk=approval_id)
    require_workspace_owner(actor=actor, workspace=approval.version.document.workspace)
    if approval.status != DraftApprovalStatus.SUBMITTED:
        raise ApprovalAlreadyDecided()
    if approval.submitted_by_id == actor.pk:
        raise SameApprover()
    approval.status = DraftApprovalStatus.APPROVED if approve else DraftApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment
    approval.save()
    record_audit_event(actor=actor, action="content.draft.decided", target=approval.version.document,
                       changes={"version": approval.version.number, "status": approval.status, "comment": comment})
    return approval


# --- Fixity ---------------------------------------------------------------------------------

class FileFailedFixity(DomainError):
    message = _("“%(name)s” cannot be opened: the fixity check found that its stored bytes have changed. "
                "A records officer must restore the original file or accept the change.")
    code = "fixity_failed"


class FileIntact(DomainError):
    message = _("“%(name)s” passed its last fixity check: there is nothing to restore or accept.")
    code = "fixity_intact"


class NotTheOriginal(DomainError):
    message = _("These bytes are not the original of “%(name)s”: their SHA-256 is %(actual)s, the original's is "
                "%(expected)s.")
    code = "not_the_original"
    status = 400


class StoredFileMissing(DomainError):
    message = _("The stored file of “%(name)s” is missing: upload the original to restore it.")
    code = "stored_file_missing"


def require_intact_file(*, actor, version: DocumentVersion, preview: bool = False) -> None:
    """Refuse to serve a version (or its preview) whose file the fixity check flagged as changed.

    The refusal is audited (``content.fixity_refused``) in its own transaction, so the event
    stays although the request fails. Until a records officer restores or accepts the file,
    nobody gets the bytes: they may not be the record that was stored.
    """
    files = [version.file, version.preview] if preview else [version.file]
    if all(stored is None or stored.fixity_ok is not False for stored in files):
        return
    with transaction.atomic():
        record_audit_event(actor=actor, action="content.fixity_refused", target=version.document, changes={
            "version": version.number, "sha256": version.file.sha256, "preview": preview})
    raise FileFailedFixity(name=version.file_name)


def lock_flagged_file(*, actor, version_id: int, action) -> tuple[DocumentVersion, StoredFile]:
    """The version and its stored file (locked), once ``actor`` may decide on it and it is flagged."""
    version = DocumentVersion.objects.select_related("document").get(pk=version_id)
    require_permission(actor=actor, permission="content.manage_records", target=version.document, action=action)
    stored = StoredFile.objects.select_for_update(no_key=True).get(pk=version.file_id)
    if stored.fixity_ok is not False:
        raise FileIntact(name=version.file_name)
    return version, stored


@transaction.atomic
def restore_stored_file(*, actor, version_id: int, data: bytes) -> StoredFile:
    """Put the original bytes back in place of a changed or missing file.

    Only bytes whose SHA-256 is the file's name are the original; anything else is refused. The
    blob is shared by every version with the same content, so all of them are served again.
    """
    version, stored = lock_flagged_file(actor=actor, version_id=version_id, action=_("restore stored files"))
    actual = storage.sha256_of(data)
    if actual != stored.sha256:
        raise NotTheOriginal(name=version.file_name, actual=actual, expected=stored.sha256)
    storage.replace_blob(data)
    stored.fixity_ok, stored.accepted_sha256, stored.last_fixity_check_at = True, "", timezone.now()
    stored.save(update_fields=["fixity_ok", "accepted_sha256", "last_fixity_check_at"])
    record_audit_event(actor=actor, action="content.fixity_restored", target=version.document,
                       changes={"version": version.number, "sha256": stored.sha256})
    return stored


@transaction.atomic
def accept_changed_file(*, actor, version_id: int, reason: str) -> StoredFile:
    """Accept the bytes now stored in place of the original, for a recorded reason.

    Their hash is kept (``accepted_sha256``) so that later fixity checks compare against it and
    still catch any further change; the original hash stays the file's name and in the audit.
    """
    version, stored = lock_flagged_file(actor=actor, version_id=version_id, action=_("accept changed files"))
    if not reason.strip():
        raise InvalidInput(errors={"reason": [str(_("Give the reason for accepting the changed file."))]})
    accepted = storage.hash_of_stored(stored.sha256)
    if accepted is None:
        raise StoredFileMissing(name=version.file_name)
    stored.fixity_ok, stored.accepted_sha256, stored.last_fixity_check_at = True, accepted, timezone.now()
    stored.save(update_fields=["fixity_ok", "accepted_sha256", "last_fixity_check_at"])
    record_audit_event(actor=actor, action="content.fixity_accepted", target=version.document, changes={
        "version": version.number, "sha256": stored.sha256, "accepted_sha256": accepted, "reason": reason.strip()})
    return stored


def check_fixity(*, batch_size: int = 500) -> FixityCheck:
    """Re-hash every stored file and report any whose bytes changed or vanished.

    Reads happen outside any long transaction; each file's result and the summary are written
    and audited at the end.
    """
    started = timezone.now()
    damaged, missing, checked = [], [], 0
    for stored in StoredFile.objects.order_by("pk").iterator(chunk_size=batch_size):
        actual = storage.hash_of_stored(stored.sha256)
        checked += 1
        if actual is None:
            missing.append(stored.sha256)
        elif actual not in (stored.sha256, stored.accepted_sha256):
            damaged.append(stored.sha256)
    with transaction.atomic():
        StoredFile.objects.filter(sha256__in=damaged + missing).update(fixity_ok=False, last_fixity_check_at=started)
        StoredFile.objects.exclude(sha256__in=damaged + missing).update(fixity_ok=True, last_fixity_check_at=started)
        report = FixityCheck.objects.create(started_at=started, finished_at=timezone.now(), files_checked=checked,
                                            damaged=damaged, missing=missing)
        record_audit_event(actor=None, actor_label="fixity", action="content.fixity.checked", target=report,
                           changes={"files": checked, "damaged": damaged, "missing": missing})
    return report
