"""Public search: full text over issued documents, for everyone, with filters named for what they are."""

import pytest
from rest_framework.test import APIClient

from secretariat.content import services
from secretariat.content.tests.conftest import staff_user

pytestmark = pytest.mark.django_db
TEXTS = {"en": "The Security Council considered the situation concerning the elections.",
         "fr": "Le Conseil de sécurité a examiné la situation concernant les élections.",
         "ar": "نظر مجلس الأمن في الحالة المتعلقة بالانتخابات."}


def official(office, officer, symbol, *, issue=True, texts=TEXTS):
    document = services.register_official_document(actor=officer, symbol=symbol, title=f"Record {symbol}",
                                                    org_unit=office.unit, required_languages=list(texts))
    for language, text in texts.items():
        services.add_language_version(actor=officer, official_id=document.pk, language=language,
                                      title=f"Record {symbol}", file_name=f"{language}.txt", data=text.encode(),
                                      document_type=office.memo)
    if issue:
        services.move_official_document(actor=officer, official_id=document.pk, to_status="review")
        services.move_official_document(actor=officer, official_id=document.pk, to_status="translation")
        for version in document.language_versions.all():
            services.mark_language_version_final(actor=officer, document_id=version.pk)
        services.issue_official_document(actor=officer, official_id=document.pk)
    return document


@pytest.fixture
def officer(office):
    return staff_user("olga.documents", office.unit, "documents_officer")


def test_full_text_over_issued_documents_with_the_organ_filter(office, officer):
    # given: two issued records of different organs, and one still in drafting that says the same
    official(office, officer, "S/PV.8000")
    official(office, officer, "A/75/PV.1", texts={"en": "The General Assembly held elections."})
    official(office, officer, "S/PV.8001", issue=False)
    client = APIClient()
    # when: the text is searched without accents, narrowed to the Security Council
    found = client.get("/api/v1/content/public/official-documents/", {"q": "elections securite"}).json()
    by_organ = client.get("/api/v1/content/public/official-documents/", {"q": "elections", "organ": "S"}).json()
    # then: only issued documents, and the passage that matched
    assert [(row["symbol"], row["language"]) for row in found["results"]] == [("S/PV.8000", "fr")]
    snippet = found["results"][0]["snippet"]
    assert [snippet["text"][start:end] for start, end in snippet["highlights"]] == ["sécurité", "élections"]
    assert sorted((row["symbol"], row["language"]) for row in by_organ["results"]) == [
        ("S/PV.8000", "en"), ("S/PV.8000", "fr")]
    assert client.get("/api/v1/content/public/official-documents/", {"q": "الانتخابات", "organ": "A"}).json()[
        "count"] == 0


def test_the_public_page_searches_the_text_and_shows_the_passage(client, office, officer):
    official(office, officer, "S/PV.8000")
    page = client.get("/content/public/", {"q": "انتخابات"}).content.decode()
    assert "S/PV.8000" in page
    assert 'lang="ar" dir="rtl">نظر مجلس الأمن في الحالة المتعلقة <mark>بالانتخابات</mark>' in page
    assert "No issued document matches." in client.get("/content/public/", {"q": "budget"}).content.decode()
