"""Official documents: symbol registration, the drafting → review → translation → issuance workflow,
simultaneous release in six languages, and an authorised early release of some languages."""

import pytest

from secretariat.content import selectors, services
from secretariat.content.models import Document
from secretariat.content.services import LanguageVersionsNotFinal, NotInTranslation, SymbolTaken
from secretariat.content.symbols import MalformedSymbol
from secretariat.content.tests.conftest import staff_user
from secretariat.content.tests.factories import minimal_pdf
from secretariat.core.authority import AuthorityNotHeld
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import delegation

pytestmark = pytest.mark.django_db
TITLES = {"en": "Report of the Fifth Committee", "fr": "Rapport de la Cinquième Commission",
          "es": "Informe de la Quinta Comisión", "ru": "Доклад Пятого комитета", "ar": "تقرير اللجنة الخامسة",
          "zh-hans": "第五委员会的报告"}


@pytest.fixture
def officer(office):
    return staff_user("olga.documents", office.unit, "documents_officer")


@pytest.fixture
def in_translation(office, officer):
    official = services.register_official_document(actor=officer, symbol="A/C.5/63/24", title=TITLES["en"],
                                                    org_unit=office.unit)
    for language, title in TITLES.items():
        services.add_language_version(actor=officer, official_id=official.pk, language=language, title=title,
                                      file_name=f"{language}.txt", data=title.encode(), document_type=office.memo)
    services.move_official_document(actor=officer, official_id=official.pk, to_status="review")
    services.move_official_document(actor=officer, official_id=official.pk, to_status="translation")
    return official


def test_registration_parses_the_symbol(office, officer):
    official = services.register_official_document(actor=officer, symbol="A/RES/63/262", title="Resolution",
                                                    org_unit=office.unit)
    assert (official.body, official.session, official.document_kind, official.number) == ("A", "63", "RES", "262")
    with pytest.raises(SymbolTaken):
        services.register_official_document(actor=officer, symbol="A/RES/63/262", title="Again", org_unit=office.unit)
    with pytest.raises(MalformedSymbol):
        services.register_official_document(actor=officer, symbol="A/RES/63", title="Bad", org_unit=office.unit)


def test_nothing_is_public_until_every_language_is_final(office, officer, in_translation):
    # given: five of six languages final
    versions = {document.language: document for document in in_translation.language_versions.all()}
    for language in ["en", "fr", "es", "ru", "ar"]:
        services.mark_language_version_final(actor=officer, document_id=versions[language].pk)
    # when
    with pytest.raises(LanguageVersionsNotFinal) as refusal:
        services.issue_official_document(actor=officer, official_id=in_translation.pk)
    # then
    assert str(refusal.value) == "A/C.5/63/24 cannot be issued: the zh-hans version(s) are not final."
    assert not selectors.public_official_documents(symbol="A/C.5/63/24").exists()
    assert not selectors.visible_documents(actor=None).exists()


def test_issuance_releases_all_six_languages_at_the_same_instant(office, officer, in_translation):
    # given
    for document in in_translation.language_versions.all():
        services.mark_language_version_final(actor=officer, document_id=document.pk)
    # when
    services.issue_official_document(actor=officer, official_id=in_translation.pk)
    # then
    published = selectors.public_official_documents(symbol="A/C.5/")
    assert sorted(published.values_list("language", flat=True)) == ["ar", "en", "es", "fr", "ru", "zh-hans"]
    assert len(set(published.values_list("published_at", flat=True))) == 1
    assert [d.title for d in selectors.public_official_documents(language="ar")] == [TITLES["ar"]]
    in_translation.refresh_from_db()
    assert in_translation.status == "issued" and in_translation.issued_on is not None
    trail = list(AuditEvent.objects.filter(target_type="content.officialdocument", target_id=str(in_translation.pk))
                 .order_by("sequence").values_list("action", flat=True))
    assert trail[0] == "content.official.registered" and trail[-1] == "content.official.issued"
    assert trail.count("content.official.language_final") == 6 and trail.count("content.official.moved") == 2


def test_finalising_needs_the_translation_stage(office, officer):
    official = services.register_official_document(actor=officer, symbol="A/62/510", title="Report",
                                                    org_unit=office.unit)
    document = services.add_language_version(actor=officer, official_id=official.pk, language="en", title="Report",
                                             file_name="en.pdf", data=minimal_pdf("Report"), document_type=office.memo)
    with pytest.raises(NotInTranslation) as refusal:
        services.mark_language_version_final(actor=officer, document_id=document.pk)
    assert str(refusal.value) == "A/62/510 must be in translation for this step (it is Drafting)."


def test_an_authorised_officer_may_release_a_subset_with_a_reason(office, officer, in_translation):
    versions = {document.language: document for document in in_translation.language_versions.all()}
    services.mark_language_version_final(actor=officer, document_id=versions["en"].pk)
    services.mark_language_version_final(actor=officer, document_id=versions["fr"].pk)
    with pytest.raises(AuthorityNotHeld):
        services.release_language_subset(actor=officer, official_id=in_translation.pk, languages=["en", "fr"],
                                         reason="Urgent")
    delegation(officer, "official_document_release", office.unit, limit=None)
    with pytest.raises(LanguageVersionsNotFinal):
        services.release_language_subset(actor=officer, official_id=in_translation.pk, languages=["en", "es"],
                                         reason="Urgent")
    # when
    services.release_language_subset(actor=officer, official_id=in_translation.pk, languages=["en", "fr"],
                                     reason="Security Council deadline")
    # then
    assert set(Document.objects.filter(published_at__isnull=False).values_list("language", flat=True)) == {"en", "fr"}
    event = AuditEvent.objects.get(action="content.official.subset_released")
    assert event.changes["reason"] == "Security Council deadline" and event.changes["languages"] == ["en", "fr"]
