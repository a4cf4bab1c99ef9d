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
def test_a_very_common_word_ranks_a_bounded_window_and_says_so(office, monkeypatch):
    # given: more matches than the candidate window
    from secretariat.content import search

    monkeypatch.setattr(search, "CANDIDATES", 2)
    documents = [put(office, f"Fuel {index}", "fuel delivery", "en") for index in range(3)]
    # when
    results = selectors.search_documents(actor=office.author, query="fuel")
    # then
    assert results.is_capped and results.total == 2
    assert len(results.hits) == 2 and {hit.pk for hit in results.hits} < {document.pk for document in documents}
    assert selectors.search_documents(actor=office.author, query="delivery fuel 2").is_capped is False
