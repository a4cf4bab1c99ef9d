"""Who sees an official document and its language versions: drafting-stage versions only the
documents roles (and administrators, who hold every permission everywhere); after issue, everyone
the classification allows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from secretariat.content import selectors, services
from secretariat.content.tests.conftest import staff_user
from secretariat.core.tests.factories import UserFactory, delegation

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def officer(office):
    return staff_user("olga.documents", office.unit, "documents_officer")


@pytest.fixture
def plain_staff(office):
    """A Secretariat staff member of the authoring unit with no role at all."""
    return staff_user("sam.staff", office.unit)


@pytest.fixture
def drafting(office, officer):
    official = services.register_official_document(actor=officer, symbol="A/64/6/Add.1", title="Budget fascicle",
                                                    org_unit=office.unit, required_languages=["en", "fr"])
    for language in ["en", "fr"]:
        services.add_language_version(actor=officer, official_id=official.pk, language=language,
                                      title=f"Budget fascicle ({language})", file_name=f"{language}.txt",
                                      data=f"Unreleased draft figures {language}".encode(),
                                      document_type=office.memo)
    return official


def test_plain_staff_see_no_drafting_language_version_anywhere(client, office, drafting, plain_staff):
    # given
    english = drafting.language_versions.get(language="en")
    version = english.versions.get()
    api = client_for(plain_staff)
    client.force_login(plain_staff)
    # then: list, detail, download, search — page and API
    assert api.get("/api/v1/content/documents/").json()["count"] == 0
    assert api.get(f"/api/v1/content/documents/{english.pk}/").status_code == 404
    assert api.get(f"/api/v1/content/versions/{version.pk}/download/").status_code == 404
    assert api.get("/api/v1/content/documents/search/", {"q": "draft figures"}).json()["results"] == []
    assert "Budget fascicle" not in client.get("/content/documents/").content.decode()
    assert client.get(f"/content/documents/{english.pk}/").status_code == 404
    assert client.get(f"/content/versions/{version.pk}/download/").status_code == 404
    assert "Budget fascicle" not in client.get("/content/search/?q=draft+figures").content.decode()


def test_the_documents_officer_sees_and_downloads_drafting_versions(office, drafting, officer):
    english = drafting.language_versions.get(language="en")
    api = client_for(officer)
    assert api.get(f"/api/v1/content/documents/{english.pk}/").status_code == 200
    download = api.get(f"/api/v1/content/versions/{english.versions.get().pk}/download/")
    assert download.status_code == 200 and download.content == b"Unreleased draft figures en"
    found = api.get("/api/v1/content/documents/search/", {"q": "draft figures"}).json()
    assert sorted(hit["language"] for hit in found["results"]) == ["en", "fr"]


def test_on_issue_the_versions_become_visible_per_their_classification(office, drafting, officer, plain_staff):
    # given
    services.move_official_document(actor=officer, official_id=drafting.pk, to_status="review")
    services.move_official_document(actor=officer, official_id=drafting.pk, to_status="translation")
    for document in drafting.language_versions.all():
        services.mark_language_version_final(actor=officer, document_id=document.pk)
    assert not selectors.visible_documents(actor=plain_staff).exists()
    # when
    services.issue_official_document(actor=officer, official_id=drafting.pk)
    # then
    assert sorted(selectors.visible_documents(actor=plain_staff).values_list("language", flat=True)) == ["en", "fr"]


def test_the_superuser_registers_and_carries_an_official_document_through_every_step(client, office):
    # given: an administrator with no role assignments and no staff record
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    api = client_for(root)
    official = api.post("/api/v1/content/official-documents/", {
        "symbol": "A/RES/63/262", "title": "ICT resolution", "org_unit": office.unit.pk,
        "required_languages": ["en"]}, format="json").json()
    base = f"/api/v1/content/official-documents/{official['id']}"
    # when / then: every later step answers
    assert api.get(f"{base}/").status_code == 200
    assert api.post(f"{base}/language-versions/", {
        "language": "en", "title": "ICT resolution", "document_type": "memo",
        "file": SimpleUploadedFile("en.txt", b"text")}, format="multipart").status_code == 200
    assert api.post(f"{base}/move/", {"to": "review"}, format="json").json()["status"] == "review"
    assert api.post(f"{base}/move/", {"to": "translation"}, format="json").json()["status"] == "translation"
    assert api.post(f"{base}/final/en/").json()["languages"]["en"]["is_final"] is True
    client.force_login(root)
    page = client.get(f"/content/official/{official['id']}/")
    assert page.status_code == 200 and "A/RES/63/262" in page.content.decode()
    assert api.post(f"{base}/issue/").json()["status"] == "issued"


def test_a_documents_officer_with_a_global_role_reaches_a_drafting_document(office):
    officer = staff_user("gloria.global", office.other_unit, "documents_officer", scope=None)
    official = services.register_official_document(actor=officer, symbol="A/62/510", title="Report",
                                                    org_unit=office.unit)
    assert client_for(officer).get(f"/api/v1/content/official-documents/{official.pk}/").status_code == 200


def test_an_early_release_of_one_language_shows_plain_staff_only_that_one(client, office, drafting, officer,
                                                                          plain_staff):
    # given
    services.move_official_document(actor=officer, official_id=drafting.pk, to_status="review")
    services.move_official_document(actor=officer, official_id=drafting.pk, to_status="translation")
    english = drafting.language_versions.get(language="en")
    services.mark_language_version_final(actor=officer, document_id=english.pk)
    delegation(officer, "official_document_release", office.unit, limit=None)
    # when
    services.release_language_subset(actor=officer, official_id=drafting.pk, languages=["en"], reason="Deadline")
    # then
    shown = client_for(plain_staff).get(f"/api/v1/content/official-documents/{drafting.pk}/").json()
    assert list(shown["languages"]) == ["en"]
    client.force_login(plain_staff)
    page = client.get(f"/content/official/{drafting.pk}/").content.decode()
    assert "Budget fascicle (en)" in page and "Budget fascicle (fr)" not in page
