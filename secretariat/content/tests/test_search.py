"""Search: full text in six languages, facets, and results that respect permissions exactly."""

import os

import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.django import TestCase

from secretariat.content import selectors, services
from secretariat.content.models import Document
from secretariat.content.tests.conftest import delegate_user, staff_user
from secretariat.content.tests.factories import DocumentTypeFactory, LibraryFactory
from secretariat.core.tests.factories import DutyStationFactory, EntityFactory, OrgUnitFactory

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def put(office, title, text, language="en", classification=None, library=None, **extra):
    return services.upload_document(actor=office.author, library=library or office.library, file_name="t.txt",
                                    data=text.encode(), title=title, language=language, document_type=office.memo,
                                    classification=classification, **extra)


def hit_ids(actor, query, **filters):
    return {document.pk for document in selectors.search_documents(actor=actor, query=query, **filters).hits}


@pytest.mark.django_db
def test_finds_words_in_six_languages(office):
    documents = {
        "en": put(office, "Budget", "The programme budget was approved.", "en"),
        "fr": put(office, "Budget", "Le budget-programme a été approuvé.", "fr"),
        "es": put(office, "Presupuesto", "El presupuesto por programas fue aprobado.", "es"),
        "ru": put(office, "Бюджет", "Бюджет по программам был утвержден.", "ru"),
        "ar": put(office, "الميزانية", "تمت الموافقة على الميزانية البرنامجية.", "ar"),
        "zh-hans": put(office, "预算", "方案预算已获批准。", "zh-hans"),
    }
    assert hit_ids(office.author, "presupuesto") == {documents["es"].pk}
    assert hit_ids(office.author, "утвержден") == {documents["ru"].pk}
    assert hit_ids(office.author, "الميزانية") == {documents["ar"].pk}
    assert hit_ids(office.author, "budget", language="fr") == {documents["fr"].pk}
    # Chinese: any substring of two or more characters is found
    assert hit_ids(office.author, "预算已获") == {documents["zh-hans"].pk}
    assert hit_ids(office.author, "获批") == {documents["zh-hans"].pk}
    assert hit_ids(office.author, "预算批准") == set()


@pytest.mark.django_db
def test_stemming_for_european_languages(office):
    english = put(office, "Treaties", "Two treaties were ratified.", "en")
    french = put(office, "Traités", "Les conventions internationales ont été ratifiées.", "fr")
    assert hit_ids(office.author, "treaty") == {english.pk}
    assert hit_ids(office.author, "ratified", language="en") == {english.pk}
    if ON_POSTGRES:  # the snowball stemmers of PostgreSQL; SQLite's porter stemmer is English only
        assert hit_ids(office.author, "convention", language="fr") == {french.pk}


@pytest.mark.skipif(not ON_POSTGRES, reason="Arabic stemming needs PostgreSQL's arabic configuration")
@pytest.mark.django_db
def test_arabic_stemming_on_postgresql(office):
    document = put(office, "معاهدات", "تم التصديق على المعاهدات الدولية.", "ar")
    assert hit_ids(office.author, "معاهدة") == {document.pk}


@pytest.mark.django_db
def test_facets_and_metadata_filters(office):
    put(office, "Alpha report", "fuel report", "en", classification="public")
    put(office, "Beta report", "fuel report", "fr", classification="confidential")
    put(office, "Gamma", "fuel", "fr", classification="internal")
    results = selectors.search_documents(actor=office.author, query="fuel")
    assert results.total == 3
    assert results.facets["language"] == [("fr", 2), ("en", 1)]
    assert dict(results.facets["classification"]) == {"public": 1, "confidential": 1, "internal": 1}
    assert results.facets["document_type"] == [("memo", 3)]
    filtered = selectors.search_documents(actor=office.author, query="report", classification="confidential")
    assert [hit.title for hit in filtered.hits] == ["Beta report"]


class SearchRespectsPermissionsExactly(TestCase):
    """Whatever the mix of classifications, units and workspaces, a reader's hits are exactly the
    matching documents they may open."""

    @given(layout=st.lists(st.tuples(
        st.sampled_from(["public", "internal", "confidential", "strictly_confidential"]),
        st.sampled_from(["home", "away", "workspace"]), st.booleans()), min_size=1, max_size=8))
    @settings(max_examples=25, deadline=None)
    def test_hits_are_exactly_what_the_reader_may_open(self, layout):
        # given
        station = DutyStationFactory(code="GVA")
        home = OrgUnitFactory(entity=EntityFactory(code="UNOG", headquarters=station), code="HOME")
        away = OrgUnitFactory(entity=EntityFactory(code="UNON", headquarters=station), code="AWAY")
        writer = staff_user("writer.one", home, "knowledge_worker", scope=None)  # may write anywhere
        readers = [staff_user("reader.home", home, "knowledge_worker"),
                   staff_user("reader.away", away, "knowledge_worker"),
                   staff_user("keeper.home", home, "records_manager"), delegate_user("delegate.fr")]
        libraries = {"home": LibraryFactory(org_unit=home), "away": LibraryFactory(org_unit=away)}
        workspace = services.create_workspace(actor=writer, name="Committee", template="committee", org_unit=home)
        services.add_workspace_member(actor=writer, workspace_id=workspace.pk, user=readers[3])
        memo = DocumentTypeFactory()
        for index, (classification, place, matches) in enumerate(layout):
            services.upload_document(
                actor=writer, file_name="d.txt", data=("harbour" if matches else "lighthouse").encode(),
                title=f"Doc {index}", language="en", document_type=memo, classification=classification,
                library=libraries.get(place), workspace=workspace if place == "workspace" else None)
        # when / then
        for reader in readers:
            hits = hit_ids(reader, "harbour")
            openable = set(selectors.visible_documents(actor=reader).values_list("pk", flat=True))
            matching = set(Document.objects.filter(search_entry__body__contains="harbour").values_list("pk", flat=True))
            assert hits == openable & matching
            assert hits == {pk for pk in matching if expected_visible(reader, Document.objects.get(pk=pk))}


def expected_visible(reader, document) -> bool:
    """The access rule written out independently of the selector, as the specification reads."""
    username = reader.username
    if document.classification == "public" or document.published_at:
        return True
    if document.workspace_id:
        return username in ("writer.one", "delegate.fr")
    unit = document.org_unit.code
    if document.classification == "internal":
        return username != "delegate.fr"
    if document.classification == "confidential":
        return (username, unit) in {("reader.home", "HOME"), ("keeper.home", "HOME"), ("reader.away", "AWAY")}
    return (username, unit) == ("keeper.home", "HOME")


@pytest.mark.django_db
def test_a_very_common_word_ranks_a_bounded_window_and_estimates_the_total(office, monkeypatch):
    # given: more matches than the window
    from secretariat.content import search

    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    documents = [put(office, f"Memo {index}", "fuel delivery", "en") for index in range(4)]
    # when
    results = selectors.search_documents(actor=office.author, query="fuel")
    # then: the first two matches in index order are ranked; the total is extrapolated from them
    assert results.total_is_estimate and results.ranked == 2
    assert {hit.pk for hit in results.hits} == {documents[0].pk, documents[1].pk}
    assert results.total >= 2
    assert sum(count for _value, count in results.facets["language"]) == 2
    narrow = selectors.search_documents(actor=office.author, query="delivery fuel 2")
    assert narrow.total_is_estimate is False and narrow.total == 1 and narrow.hits == [documents[2]]


@pytest.mark.django_db
def test_an_exact_title_ranks_first_even_beyond_the_window(office, monkeypatch):
    # given: documents mentioning the words many times, then one whose title is exactly the query
    # — last in index order, outside the window
    from secretariat.content import search

    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    for index in range(4):
        put(office, f"Memo {index}", "peacekeeping budget " * 20, "en")
    exact = put(office, "Peacekeeping Budget", "the approved figures", "en")
    # when
    results = selectors.search_documents(actor=office.author, query="peacekeeping  budget")
    # then
    assert results.hits[0].pk == exact.pk
    assert results.total_is_estimate and results.ranked == 4
    assert selectors.search_documents(actor=office.author, query="peacekeeping budget", language="fr").hits == []


@pytest.mark.django_db
def test_title_matches_rank_above_text_matches(office):
    # given: the text-only document mentions the words far more often (a higher text rank)
    text_only = put(office, "Memo", "fuel audit " * 40, "en")
    in_title = put(office, "Fuel contract audit", "findings of the contract review " * 40, "en")
    results = selectors.search_documents(actor=office.author, query="fuel audit")
    assert [hit.pk for hit in results.hits] == [in_title.pk, text_only.pk]
    assert results.total == 2 and results.total_is_estimate is False


@pytest.mark.django_db
def test_the_window_holds_only_documents_the_reader_may_open(office, monkeypatch):
    # given: the first matches in index order are confidential documents of another unit
    from secretariat.content import search

    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    away = LibraryFactory(org_unit=office.other_unit)
    writer = staff_user("writer.anywhere", office.library.org_unit, "knowledge_worker", scope=None)
    for index in range(3):
        services.upload_document(actor=writer, library=away, file_name="c.txt", data=b"harbour works",
                                 title=f"Secret {index}", language="en", document_type=office.memo,
                                 classification="confidential")
    mine = [put(office, f"Harbour note {index}", "harbour works", "en", classification="internal")
            for index in range(2)]
    delegate = delegate_user("delegate.window")
    # when
    results = selectors.search_documents(actor=office.author, query="harbour")
    # then: the window filled with what the reader may open, and the estimate counts only those
    assert {hit.pk for hit in results.hits} == {document.pk for document in mine}
    assert results.total_is_estimate
    assert all(hit.classification == "internal" for hit in results.hits)
    nothing = selectors.search_documents(actor=delegate, query="harbour")
    assert nothing.hits == [] and nothing.total == 0 and nothing.total_is_estimate is False


@pytest.mark.django_db
def test_a_narrow_filter_on_a_common_word_scans_a_bounded_number_of_matches(office, monkeypatch):
    # given: many readable matches, of which only the last passes the filter, beyond the budget
    from secretariat.content import search

    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    monkeypatch.setattr(search, "SCAN_BUDGET", 3)
    notes = [put(office, f"Note {index}", "fuel", "en", classification="internal") for index in range(4)]
    public = put(office, "Public note", "fuel", "en", classification="public")
    # when
    cut = selectors.search_documents(actor=office.author, query="fuel", classification="public")
    within = selectors.search_documents(actor=office.author, query="fuel", classification="internal")
    # then: the scan stopped after three readable matches, none public: an estimate, not "none"
    assert cut.hits == [] and cut.total_is_estimate
    assert {hit.pk for hit in within.hits} == {notes[0].pk, notes[1].pk} and within.total_is_estimate
    monkeypatch.setattr(search, "SCAN_BUDGET", 10)
    assert selectors.search_documents(actor=office.author, query="fuel", classification="public").hits == [public]
    # and a title found by the exact title lookup still passes the filters
    assert selectors.search_documents(actor=office.author, query="public note", classification="internal").hits == []


@pytest.mark.django_db
def test_estimated_totals_do_not_depend_on_documents_the_reader_may_not_open(office, monkeypatch):
    # given: the reader's documents mention both words; hidden documents between them mention only
    # "harbour" (the same length of text either way)
    from secretariat.content import search

    monkeypatch.setattr(search, "RANKED_WINDOW", 2)
    away = LibraryFactory(org_unit=office.other_unit)
    writer = staff_user("writer.anywhere", office.library.org_unit, "knowledge_worker", scope=None)
    for index in range(6):
        put(office, f"Note {index}", "harbour lantern", "en", classification="internal")
        services.upload_document(actor=writer, library=away, file_name="c.txt", data=b"harbour lanterx",
                                 title=f"Note {index}", language="en", document_type=office.memo,
                                 classification="confidential")
    # when
    with_hidden_matches = selectors.search_documents(actor=office.author, query="harbour")
    without = selectors.search_documents(actor=office.author, query="lantern")
    # then
    assert with_hidden_matches.total_is_estimate and without.total_is_estimate
    assert with_hidden_matches.total == without.total
    assert with_hidden_matches.facets == without.facets
    assert [hit.pk for hit in with_hidden_matches.hits] == [hit.pk for hit in without.hits]


@pytest.mark.django_db
def test_an_unknown_language_matches_nothing(office):
    put(office, "Fuel", "fuel", "en")
    assert selectors.search_documents(actor=office.author, query="fuel", language="xx' OR 'a'='a").hits == []
    assert selectors.search_documents(actor=office.author, query="fuel", language="en").total == 1


@pytest.mark.django_db
def test_accents_arabic_forms_and_irregular_plurals_are_forgiven(office):
    # given: documents written with accents, the Arabic article and an irregular plural
    french = put(office, "Rapport", "Les élections et la sécurité régionale.", "fr")
    spanish = put(office, "Informe", "La educación primaria universal.", "es")
    english = put(office, "Report", "Children's rights in armed conflict.", "en")
    arabic = put(office, "تقرير", "إمدادات المياه في المدن.", "ar")
    # when / then: what a reader types without accents or article, in any language
    assert hit_ids(office.author, "election") == {french.pk}
    assert hit_ids(office.author, "securite") == {french.pk}
    assert hit_ids(office.author, "educacion") == {spanish.pk}
    assert hit_ids(office.author, "child") == {english.pk}
    assert hit_ids(office.author, "مياه") == {arabic.pk}
    assert hit_ids(office.author, "امدادات") == {arabic.pk}  # alef without hamza
    assert hit_ids(office.author, "ÉLECTIONS") == {french.pk}


@pytest.mark.django_db
def test_the_results_page_shows_the_matching_passage_with_the_terms_marked(client, office):
    # given
    put(office, "Rapport annuel", "Introduction. " * 40 + "Les élections présidentielles se sont déroulées "
        "sans incident. " + "Annexe. " * 40, "fr")
    put(office, "تقرير", "لا تزال المياه الصالحة للشرب بعيدة المنال.", "ar")
    client.force_login(office.author)
    # when
    french = client.get("/content/search/", {"q": "election presidentielle"}).content.decode()
    arabic = client.get("/content/search/", {"q": "مياه"}).content.decode()
    # then: the passage, in the document's language and direction, terms marked, cut with ellipses
    assert ('<p class="small mb-0 search-snippet" lang="fr" dir="ltr">…' in french)
    assert "<mark>élections</mark> <mark>présidentielles</mark> se sont déroulées" in french
    assert 'lang="ar" dir="rtl">لا تزال <mark>المياه</mark> الصالحة' in arabic


@pytest.mark.django_db
def test_the_api_gives_each_hit_its_passage_and_highlight_offsets(office):
    from rest_framework.test import APIClient

    put(office, "Memo", "Safe drinking water for millions.", "en")
    client = APIClient()
    client.force_authenticate(office.author)
    found = client.get("/api/v1/content/documents/search/", {"q": "waters"}).json()
    snippet = found["results"][0]["snippet"]
    assert snippet["language"] == "en" and snippet["direction"] == "ltr"
    assert [snippet["text"][start:end] for start, end in snippet["highlights"]] == ["water"]
