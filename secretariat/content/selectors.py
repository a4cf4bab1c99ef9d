"""Reads of the content app, and the one rule deciding who may see a document.

``document_visibility`` is used by every list, the detail pages, downloads and search, so a
search hit is never something its reader could not open.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, Substr
from django.http import Http404
from django.utils import timezone

from secretariat.content import search
from secretariat.content.snippets import Snippet, snippet
from secretariat.content.models import (
    Classification,
    DestructionCertificate,
    DispositionRun,
    Document,
    DocumentLink,
    DocumentVersion,
    LegalHold,
    OfficialDocument,
    OfficialStatus,
    RecordClass,
    Workspace,
    WorkspaceMembership,
)
from secretariat.core.access import has_permission, permitted_scopes
from secretariat.core.models import OrgUnit
from secretariat.core.scopes import NOTHING

INTERNAL_KINDS = {"staff", "consultant"}
# Matches every row. Not ``Q()``: an empty Q vanishes when OR-ed (``Q(a) | Q()`` is ``Q(a)``), which
# turned a global role (and the superuser's implicit one) into no access at all.
EVERYTHING = Q(pk__isnull=False)
SNIPPET_SOURCE = 100_000
UNRELEASED_STATUSES = [OfficialStatus.DRAFTING, OfficialStatus.REVIEW, OfficialStatus.TRANSLATION,
                       OfficialStatus.SCHEDULED]


def scope_condition(*, actor, permission: str, model=Document) -> Q:
    """The records of ``model`` inside a scope where ``actor`` holds ``permission``."""
    condition = NOTHING
    for scope in permitted_scopes(actor=actor, permission=permission):
        if scope.is_global:
            return EVERYTHING
        condition |= scope.records_condition(model)
    return condition


def is_internal_user(actor) -> bool:
    """Secretariat staff and consultants; delegates and other external users are not."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    person = getattr(actor, "person", None)
    return person is not None and person.kind in INTERNAL_KINDS


def document_visibility(actor) -> Q:
    """Which documents ``actor`` may open.

    - published official language versions: everyone, also without a login;
    - public documents: every signed-in user;
    - workspace documents: the workspace's members (plus the above);
    - internal documents: Secretariat staff and consultants;
    - confidential: holders of ``content.view_document`` in a scope containing the owner unit;
    - strictly confidential: holders of ``content.view_strictly_confidential`` in such a scope;
    - but a language version of an official document not yet issued (nor released early) only
      holders of ``content.view_officialdocument`` (the documents roles) in a scope containing the
      author unit, whatever its classification: drafts are not for the whole Secretariat.
    Workspace membership never widens access to a library or official document.
    """
    published = Q(published_at__isnull=False)
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return published
    if actor.is_superuser:
        return EVERYTHING
    not_a_draft = Q(official_document__isnull=True) | Q(official_document__status=OfficialStatus.ISSUED)
    drafting_version = Q(official_document__status__in=UNRELEASED_STATUSES)
    return (published | (not_a_draft & classification_visibility(actor))
            | (drafting_version & scope_condition(actor=actor, permission="content.view_officialdocument")))


def classification_visibility(actor) -> Q:
    """The documents ``actor`` may open by classification and workspace membership alone."""
    condition = Q(classification=Classification.PUBLIC)
    member_of = WorkspaceMembership.objects.filter(user=actor).values("workspace_id")
    condition |= Q(workspace__in=member_of)
    outside_workspaces = Q(workspace__isnull=True)
    if is_internal_user(actor):
        condition |= outside_workspaces & Q(classification=Classification.INTERNAL)
    condition |= outside_workspaces & Q(classification__in=[Classification.INTERNAL, Classification.CONFIDENTIAL]) & (
        scope_condition(actor=actor, permission="content.view_document"))
    condition |= outside_workspaces & Q(classification=Classification.STRICTLY_CONFIDENTIAL) & scope_condition(
        actor=actor, permission="content.view_strictly_confidential")
    return condition


def visible_documents(*, actor) -> QuerySet[Document]:
    return Document.objects.filter(document_visibility(actor))


def accessible_document(*, actor, document_id: int) -> Document:
    """The document if ``actor`` may open it; not found for both missing and forbidden."""
    document = (visible_documents(actor=actor).select_related(
        "library", "workspace", "official_document", "document_type", "org_unit", "record_class", "checked_out_by")
        .filter(pk=document_id).first())
    if document is None:
        raise Http404
    return document


def accessible_version(*, actor, version_id: int) -> DocumentVersion:
    version = DocumentVersion.objects.select_related("file", "preview", "document").filter(pk=version_id).first()
    if version is None or not visible_documents(actor=actor).filter(pk=version.document_id).exists():
        raise Http404
    return version


def compare_versions(*, first: DocumentVersion, second: DocumentVersion) -> list[tuple[str, object, object]]:
    """The metadata fields that differ between two versions: (field, before, after)."""
    keys = sorted(set(first.metadata) | set(second.metadata))
    return [(key, first.metadata.get(key), second.metadata.get(key)) for key in keys
            if first.metadata.get(key) != second.metadata.get(key)]


# --- Search ---------------------------------------------------------------------------------

@dataclass
class SearchResults:
    hits: list[Document]
    ranks: dict[int, float]
    total: int
    facets: dict[str, list[tuple[object, int]]]
    # When more documents match than the window holds (ADR 0034), ``total`` is an estimate of the
    # matching documents the reader may open (never counting others), the facets count the
    # ``ranked`` candidates, and the page says "about".
    total_is_estimate: bool = False
    ranked: int = 0
    # The matching passage of each hit on the page, terms marked (empty without a text query).
    snippets: dict[int, Snippet] = field(default_factory=dict)


def org_unit_filter(code: str) -> int | None:
    """The org unit a search is narrowed to, named by code (as the facet links name it); an unknown
    code must match nothing, not everything."""
    if not code:
        return None
    return OrgUnit.objects.filter(code=code).values_list("pk", flat=True).first() or -1


def search_documents(*, actor, query: str = "", language: str | None = None, document_type: str | None = None,
                     org_unit: int | None = None, classification: str | None = None, year: int | None = None,
                     limit: int = 20, offset: int = 0, with_facets: bool = True) -> SearchResults:
    """Full-text and metadata search over exactly the documents ``actor`` may open.

    A bounded amount of work per query (ADR 0034): the index scan stops after
    ``search.RANKED_WINDOW`` matching documents the reader may open and that pass the filters
    (or after ``search.SCAN_BUDGET`` readable ones), those plus exact title matches are ranked —
    exact title first, then heading matches, then text rank — and the total beyond the window is
    extrapolated from how far the scan had to go.
    """
    wanted = Q()
    if document_type:
        wanted &= Q(document_type__code=document_type)
    if org_unit:
        wanted &= Q(org_unit_id=org_unit)
    if classification:
        wanted &= Q(classification=classification)
    if year:
        wanted &= Q(document_date__year=year)
    found, scan_end, span = ranked_candidates(readable=visible_documents(actor=actor), wanted=wanted, query=query,
                                              language=language)
    page = found[offset:offset + limit]
    documents = Document.objects.select_related("document_type", "org_unit", "official_document").in_bulk(
        [candidate.document_id for candidate in page])
    hits = [documents[candidate.document_id] for candidate in page if candidate.document_id in documents]
    total, is_estimate = estimated_total(found, scan_end, span)
    return SearchResults(hits=hits, ranks={candidate.document_id: candidate.rank for candidate in page}, total=total,
                         facets=facet_counts([candidate.document_id for candidate in found]) if with_facets else {},
                         total_is_estimate=is_estimate, ranked=len(found),
                         snippets=hit_snippets(hits, query) if search.query_terms(query) else {})


def ranked_candidates(*, readable: QuerySet, wanted: Q, query: str, language: str | None):
    """The candidates among ``readable`` documents passing ``wanted``, best first, with what extrapolates
    the total: ``(candidates, scan_end, span)`` (ADR 0034). Without query words, the newest documents."""
    terms = search.query_terms(query)
    scan_end = None
    if terms:
        backend = search.backend()
        sql, params = backend.candidates_sql(
            terms, language, title=search.normalise_title(query),
            readable=lambda column: correlated(readable, column),
            wanted=(lambda column: correlated(Document.objects.filter(wanted), column)) if wanted else None)
        found = []
        with transaction.atomic(), connection.cursor() as cursor:
            backend.prepare(cursor)
            cursor.execute(sql, params)
            for document_id, position, exact, heading, rank in cursor.fetchall():
                if document_id is None:
                    scan_end = search.ScanEnd(position=position, scanned=int(rank))
                else:
                    found.append(search.Candidate(document_id, position, bool(exact), bool(heading), float(rank or 0)))
        span = backend.scan_span
    else:
        candidates = readable.filter(wanted)
        if language:
            candidates = candidates.filter(language=language)
        newest = list(candidates.order_by("-pk").values_list("pk", flat=True)[:search.RANKED_WINDOW])
        top = newest[0] if newest else 0
        found = [search.Candidate(pk, top - pk + 1, False, False, 0.0) for pk in newest]

        def span():
            return top
    found.sort(key=lambda candidate: candidate.sort_key, reverse=True)
    return found, scan_end, span


def hit_snippets(hits: list[Document], query: str) -> dict[int, Snippet]:
    """The passage of each hit's latest text (its title when it has none) that matches ``query``.

    Only the beginning of a very long text (``SNIPPET_SOURCE`` characters) is read for it.
    """
    texts: dict[int, str] = {}
    for document_id, text in (DocumentVersion.objects.filter(document__in=hits).order_by("document_id", "-number")
                              .values_list("document_id", Substr("extracted_text", 1, SNIPPET_SOURCE))):
        texts.setdefault(document_id, text)
    return {hit.pk: snippet(texts.get(hit.pk) or hit.title, query, language=hit.language) for hit in hits}


def correlated(queryset: QuerySet, column: str) -> tuple[str, list]:
    """SQL of ``queryset`` restricted to the document whose id is in ``column`` of the outer query.

    Used inside the search scan, so each match is looked up by primary key and the rule checked
    on that one row, instead of materialising everything the reader may see.
    """
    return queryset.filter(pk=RawSQL(column, [])).order_by().values("pk").query.sql_with_params()


def estimated_total(found: list, scan_end, span) -> tuple[int, bool]:
    """The number of matching documents the reader may open (and that pass the filters).

    Exact when the scan saw every match. Otherwise the window's count scaled by how much of the
    scan it took: the scan visits matches in index order and stopped at the window's last one
    (or, when filters kept the window from filling, after ``search.SCAN_BUDGET`` readable ones).
    Only documents the reader may open enter the scan's count, so the estimate says nothing about
    the others (ADR 0034). Rounded to two significant digits, as it is an estimate.
    """
    window = [candidate.position for candidate in found if candidate.position is not None]
    if len(window) >= search.RANKED_WINDOW:
        end = max(window)
    elif scan_end is not None and scan_end.scanned >= search.SCAN_BUDGET:
        end = scan_end.position
    else:
        return len(found), False
    scaled = len(window) * max(span(), 1) / max(end or 1, 1)
    digits = max(len(str(int(scaled))) - 2, 0)
    return max(len(found), int(round(scaled, -digits))), True


def facet_counts(document_ids: list[int]) -> dict[str, list[tuple[object, int]]]:
    """Facet values and counts over the given documents (the ranked candidates)."""
    rows = (Document.objects.filter(pk__in=document_ids).annotate(year=ExtractYear("document_date"))
            .values_list("language", "classification", "document_type__code", "org_unit__code", "year"))
    counters = {name: Counter() for name in ("language", "classification", "document_type", "org_unit", "year")}
    for row in rows:
        for counter, value in zip(counters.values(), row):
            counter[value] += 1

    def by_count(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))

    return {
        "language": by_count(counters["language"]),
        "classification": by_count(counters["classification"]),
        "document_type": by_count(counters["document_type"]),
        "org_unit": by_count(counters["org_unit"]),
        "year": sorted(counters["year"].items(), key=lambda item: (item[0] is None, -(item[0] or 0))),
    }


# --- Official documents ---------------------------------------------------------------------

def official_documents_visible_to(*, actor) -> QuerySet[OfficialDocument]:
    condition = Q(status=OfficialStatus.ISSUED) | Q(language_versions__published_at__isnull=False)
    if actor is not None and actor.is_authenticated:
        condition |= scope_condition(actor=actor, permission="content.view_officialdocument", model=OfficialDocument)
    return OfficialDocument.objects.filter(condition).distinct()


def accessible_official_document(*, actor, official_id: int) -> OfficialDocument:
    official = official_documents_visible_to(actor=actor).filter(pk=official_id).first()
    if official is None:
        raise Http404
    return official


def language_versions_visible_to(*, actor, official: OfficialDocument) -> QuerySet[Document]:
    """The language versions of ``official`` that ``actor`` may open (drafts stay hidden after an
    early release of other languages)."""
    return visible_documents(actor=actor).filter(official_document=official).order_by("language")


def public_official_documents(*, query: str = "", symbol: str = "", title: str = "", organ: str = "",
                              language: str = "", issued_from=None, issued_to=None) -> QuerySet[Document]:
    """Published language versions, for the public search page and API (no login).

    ``query`` searches their full text (title, symbol and text, folded as everywhere, ADR 0036):
    the matches come best first, among the first ``search.RANKED_WINDOW`` found (ADR 0034).
    ``organ`` is the issuing organ, the first part of the symbol (A, S, E…).
    """
    wanted = Q(official_document__isnull=False)
    if symbol:
        wanted &= Q(official_document__symbol__istartswith=symbol.strip())
    if title:
        wanted &= Q(title__icontains=title.strip())
    if organ:
        wanted &= Q(official_document__body=organ.strip().upper())
    if language:
        wanted &= Q(language=language)
    if issued_from:
        wanted &= Q(official_document__issued_on__gte=issued_from)
    if issued_to:
        wanted &= Q(official_document__issued_on__lte=issued_to)
    published = visible_documents(actor=None)  # published language versions only, whoever asks
    versions = published.filter(wanted).select_related("official_document")
    if not search.query_terms(query):
        return versions.order_by("-official_document__issued_on", "official_document__symbol", "language")
    found, _scan_end, _span = ranked_candidates(readable=published, wanted=wanted, query=query,
                                                language=language or None)
    ranked = [candidate.document_id for candidate in found]
    return versions.filter(pk__in=ranked).order_by(
        Case(*(When(pk=pk, then=position) for position, pk in enumerate(ranked)), output_field=IntegerField()))


# --- Records --------------------------------------------------------------------------------

def classification_scheme() -> QuerySet[RecordClass]:
    return RecordClass.objects.select_related("parent").order_by("code")


def legal_holds_visible_to(*, actor) -> QuerySet[LegalHold]:
    """The legal holds in the reader's scope: those holding at least one document inside a scope where
    the reader manages legal holds (a hold's name and reason say what is being investigated)."""
    in_scope = Document.objects.filter(scope_condition(actor=actor, permission="content.manage_legal_holds"))
    return LegalHold.objects.filter(items__document__in=in_scope).distinct().order_by("-placed_at")


def active_holds_on(document_id: int) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True, items__document_id=document_id)


def retention_has_ended(document: Document) -> bool:
    """Whether ``document``'s retention is over today: kept through ``retain_until``, due the day
    after; a record without a retention end (its file not closed yet) is never due. The database
    applies the same rule (migration 0006)."""
    return document.retain_until is not None and document.retain_until < timezone.localdate()


def records_due_for_disposition(*, on) -> QuerySet[Document]:
    """Declared records whose retention ended before ``on``, not transferred, under no active hold.

    ``on`` never reaches past today: a run dated in the future must not list records still kept.
    """
    cutoff = min(on, timezone.localdate())
    held = LegalHold.objects.filter(released_at__isnull=True).values("items__document_id")
    return (Document.objects.filter(declared_at__isnull=False, retain_until__lt=cutoff, transferred_at__isnull=True)
            .exclude(pk__in=held).select_related("record_class").order_by("retain_until", "pk"))


def disposition_runs() -> QuerySet[DispositionRun]:
    return DispositionRun.objects.prefetch_related("items")


def destruction_certificates() -> QuerySet[DestructionCertificate]:
    return DestructionCertificate.objects.select_related("approved_by")


def may(actor, permission: str, target=None) -> bool:
    return has_permission(actor=actor, permission=permission, target=target)


# --- Workspaces and links -------------------------------------------------------------------

def workspaces_of(*, actor) -> QuerySet[Workspace]:
    if actor is None or not actor.is_authenticated:
        return Workspace.objects.none()
    if actor.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(memberships__user=actor).distinct()


def accessible_workspace(*, actor, workspace_id: int) -> Workspace:
    workspace = workspaces_of(actor=actor).filter(pk=workspace_id).first()
    if workspace is None:
        raise Http404
    return workspace


def membership_of(*, actor, workspace: Workspace) -> WorkspaceMembership | None:
    return WorkspaceMembership.objects.filter(workspace=workspace, user=actor).first()


def documents_attached_to(*, actor, target) -> QuerySet[Document]:
    """Documents attached to a business record, of those ``actor`` may open."""
    from django.contrib.contenttypes.models import ContentType

    links = DocumentLink.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
    return visible_documents(actor=actor).filter(pk__in=links.values("document_id"))


def links_of(*, document: Document) -> QuerySet[DocumentLink]:
    return document.links.select_related("target_type")
