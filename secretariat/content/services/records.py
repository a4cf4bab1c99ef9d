"""Records management: the classification scheme, declaration, retention, legal holds and
disposition runs with their destruction certificates."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content.models import (
    DestructionCertificate,
    DispositionAction,
    DispositionItem,
    DispositionOutcome,
    DispositionRun,
    DispositionStatus,
    Document,
    LegalHold,
    LegalHoldItem,
    RecordClass,
    RetentionTrigger,
)
from secretariat.content.selectors import (
    legal_holds_visible_to,
    records_due_for_disposition,
    retention_has_ended,
)
from secretariat.content.services.documents import (
    lock_document,
    release_unreferenced_blobs,
)
from secretariat.content.services.refusals import (
    AlreadyDeclared,
    CheckedOutByOther,
    HoldAlreadyReleased,
    NotARecord,
    RetentionCannotShorten,
    SameApprover,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import AccessDenied, InvalidInput


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
    if not legal_holds_visible_to(actor=actor).filter(pk=hold_id).exists():  # a hold outside the reader's scope
        raise AccessDenied(action=_("release this legal hold"))
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
