"""Official documents: symbols, the drafting → review → translation workflow, simultaneous
issue in every language, release at a set time (embargo) and authorised early release.
Lock order: official document, then its language versions (pk order)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content import extraction, search
from secretariat.content.models import (
    LANGUAGE_CODES,
    Document,
    DocumentType,
    InvalidTransition,
    OfficialDocument,
    OfficialStatus,
)
from secretariat.content.services.documents import (
    add_version,
    check_language,
    lock_document,
)
from secretariat.content.services.files import atomic_with_files
from secretariat.content.services.refusals import (
    LanguageVersionExists,
    LanguageVersionsNotFinal,
    NotInTranslation,
    SymbolTaken,
)
from secretariat.content.symbols import parse_symbol
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import require_authority
from secretariat.core.exceptions import InvalidInput

RELEASE_AUTHORITY = "official_document_release"


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
                         document_type: DocumentType | None = None) -> Document:
    """Add the original or a translation of an official document (not public until release); of
    the type ``official`` unless another is given."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.change_officialdocument", target=official,
                       action=_("prepare official documents"))
    check_language(language)
    if official.status in (OfficialStatus.ISSUED, OfficialStatus.SCHEDULED):  # released, or every language fixed
        raise cannot_issue_here(official)
    if official.language_versions.filter(language=language).exists():
        raise LanguageVersionExists(symbol=official.symbol, language=language)
    inspection = extraction.inspect_file(name=file_name, data=data)
    document_type = document_type or official_document_type(actor=actor)
    document = Document.objects.create(
        official_document=official, title=title.strip() or official.title, language=language,
        org_unit=official.org_unit, document_type=document_type, classification="internal", created_by=actor,
        document_date=timezone.localdate(), subject_terms=[official.symbol])
    add_version(actor=actor, document=document, file_name=file_name, data=data, comment="", inspection=inspection)
    record_audit_event(actor=actor, action="content.official.language_version_added", target=official,
                       changes={"language": language, "document": document.pk})
    return document


def official_document_type(*, actor) -> DocumentType:
    """The document type of official language versions, created (and audited) the first time."""
    document_type, created = DocumentType.objects.get_or_create(code="official",
                                                                defaults={"name": "Official document"})
    if created:
        record_audit_event(actor=actor, action="content.document_type.created", target=document_type,
                           changes={"code": document_type.code})
    return document_type


def cannot_issue_here(official: OfficialDocument) -> InvalidTransition:
    return InvalidTransition(current=official.get_status_display(), requested=OfficialStatus.ISSUED.label)


@transaction.atomic
def move_official_document(*, actor, official_id: int, to_status: str, comment: str = "") -> OfficialDocument:
    """Drafting → review → (back to drafting) → translation; issuance is ``issue_official_document``,
    an embargo ``schedule_release`` and ``cancel_scheduled_release``."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.change_officialdocument", target=official,
                       action=_("move official documents through their workflow"))
    if to_status not in OfficialStatus.values:
        raise InvalidInput({"to": [_("Choose a status of the official document workflow.")]})
    if OfficialStatus.SCHEDULED in (to_status, official.status) or to_status == OfficialStatus.ISSUED:
        raise InvalidTransition(current=official.get_status_display(), requested=OfficialStatus(to_status).label)
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
    release(official, final_versions(official), actor=actor, at=timezone.now())
    return official


def final_versions(official: OfficialDocument) -> list[Document]:
    """The final language versions (locked), refused while a required language is missing or not final."""
    versions = list(official.language_versions.select_for_update(no_key=True).order_by("pk"))
    final = {document.language for document in versions if document.is_final}
    missing = [code for code in official.required_languages if code not in final]
    if missing:
        raise LanguageVersionsNotFinal(symbol=official.symbol, languages=", ".join(missing))
    return [document for document in versions if document.is_final]


def release(official: OfficialDocument, versions: list[Document], *, actor, at, **audited) -> None:
    """Issue ``official``: its final versions become public at the instant ``at``, all together."""
    official.transition_to(OfficialStatus.ISSUED)
    official.issued_on = timezone.localdate(at)
    official.save(update_fields=["status", "issued_on"])
    publish_versions(official, versions, at)
    record_audit_event(actor=actor, action="content.official.issued", target=official,
                       actor_label=None if actor else "scheduled release",
                       changes={"languages": sorted(document.language for document in versions),
                                "released_at": at.isoformat(), **audited})


@transaction.atomic
def schedule_release(*, actor, official_id: int, release_at: datetime.datetime) -> OfficialDocument:
    """Embargo: every language version is final and becomes public together at ``release_at`` (to the
    minute), by ``release_due_documents``; until then nothing of it is visible outside the documents
    roles. Refused unless in translation with every required language final, or for a past minute."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.release_official_document", target=official,
                       action=_("schedule the release of official documents"))
    if official.status != OfficialStatus.TRANSLATION:
        raise NotInTranslation(symbol=official.symbol, status=official.get_status_display())
    final_versions(official)
    if timezone.is_naive(release_at):
        raise InvalidInput(errors={"release_at": [str(_("Give the release time with its time zone."))]})
    release_at = release_at.replace(second=0, microsecond=0)
    if release_at <= timezone.now():
        raise InvalidInput(errors={"release_at": [str(_("Choose a release time in the future."))]})
    official.transition_to(OfficialStatus.SCHEDULED)
    official.release_at, official.release_scheduled_by = release_at, actor
    official.save(update_fields=["status", "release_at", "release_scheduled_by"])
    record_audit_event(actor=actor, action="content.official.release_scheduled", target=official,
                       changes={"release_at": release_at.isoformat()})
    return official


@transaction.atomic
def cancel_scheduled_release(*, actor, official_id: int) -> OfficialDocument:
    """The embargoed document goes back to translation (its language versions may change again)."""
    official = lock_official(official_id)
    require_permission(actor=actor, permission="content.release_official_document", target=official,
                       action=_("schedule the release of official documents"))
    official.transition_to(OfficialStatus.TRANSLATION)
    before, official.release_at, official.release_scheduled_by = official.release_at, None, None
    official.save(update_fields=["status", "release_at", "release_scheduled_by"])
    record_audit_event(actor=actor, action="content.official.release_cancelled", target=official,
                       changes={"release_at": before.isoformat()})
    return official


def release_due_documents() -> list[str]:
    """Issue every scheduled official document whose minute has come (the periodic task calls it).

    Each is released in its own transaction, published at its set minute — not when the task
    happened to run — so all its languages carry the same instant. Returns the released symbols.
    """
    released = []
    due = OfficialDocument.objects.filter(status=OfficialStatus.SCHEDULED, release_at__lte=timezone.now())
    for official_id in due.order_by("release_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            official = lock_official(official_id)
            if official.status != OfficialStatus.SCHEDULED:  # cancelled or released meanwhile
                continue
            release(official, final_versions(official), actor=None, at=official.release_at,
                    scheduled_by=official.release_scheduled_by_id)
            released.append(official.symbol)
    return released


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
