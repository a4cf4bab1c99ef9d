"""Documents and their versions: upload, check-out and check-in, metadata, deletion, and links
to business records. Lock order: document (pk order), then version."""

import datetime
import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content import extraction, search, storage
from secretariat.content.models import (
    LANGUAGE_CODES,
    Document,
    DocumentLink,
    DocumentType,
    DocumentVersion,
    LegalHold,
    Library,
    OcrStatus,
    StoredFile,
    Workspace,
    WorkspaceMembership,
    WorkspaceRole,
)
from secretariat.content.selectors import visible_documents
from secretariat.content.services.files import atomic_with_files, store_file
from secretariat.content.services.queue import after_commit
from secretariat.content.services.refusals import (
    CheckedOutByOther,
    NotCheckedOut,
    RecordIsImmutable,
    UnderLegalHold,
    WorkspaceRoleRequired,
)
from secretariat.core.access import has_permission, require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import AccessDenied, InvalidInput

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
        after_commit("content.recognise_version_text", version.pk)
    return version


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
