"""The API's main flows: upload, check out/in, search, official release, public search, errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from secretariat.content import services
from secretariat.content.tests.conftest import staff_user

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_upload_check_out_check_in_and_search(office):
    client = client_for(office.author)
    # when: upload
    response = client.post("/api/v1/content/documents/", {
        "file": SimpleUploadedFile("minutes.txt", "Minutes of the Fifth Committee".encode()),
        "library": office.library.pk, "title": "Minutes", "language": "en", "document_type": "memo",
        "subject_terms": ["minutes", "committee"]}, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")
    # then
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    assert response.json()["versions"][0]["number"] == 1
    assert client.post(f"/api/v1/content/documents/{document_id}/check-out/").status_code == 200
    response = client.post(f"/api/v1/content/documents/{document_id}/check-in/", {
        "file": SimpleUploadedFile("minutes.txt", b"Minutes, revised"), "comment": "Corrections"},
        format="multipart")
    assert response.status_code == 201
    assert [v["comment"] for v in response.json()["versions"]] == ["", "Corrections"]
    found = client.get("/api/v1/content/documents/search/", {"q": "revised"}).json()
    assert [hit["id"] for hit in found["results"]] == [document_id]
    assert found["facets"]["language"] == [{"value": "en", "count": 1}]


def test_refusals_are_problem_json(office):
    client = client_for(office.author)
    response = client.post("/api/v1/content/documents/", {
        "file": SimpleUploadedFile("broken.pdf", b"%PDF-1.4 garbage"), "library": office.library.pk,
        "title": "Broken", "language": "en", "document_type": "memo"}, format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == "The file “broken.pdf” is damaged or is not really a pdf file."
    response = client.post("/api/v1/content/official-documents/", {
        "symbol": "A/62", "title": "Bad", "org_unit": office.unit.pk}, format="json")
    assert response.status_code in (400, 403)


def test_official_release_through_the_api_and_public_search(office):
    officer = staff_user("olga.documents", office.unit, "documents_officer")
    client = client_for(officer)
    official = client.post("/api/v1/content/official-documents/", {
        "symbol": "A/RES/63/262", "title": "ICT resolution", "org_unit": office.unit.pk,
        "required_languages": ["en", "fr"]}, format="json").json()
    for language in ["en", "fr"]:
        response = client.post(f"/api/v1/content/official-documents/{official['id']}/language-versions/", {
            "language": language, "title": f"ICT {language}", "document_type": "memo",
            "file": SimpleUploadedFile(f"{language}.txt", b"text")}, format="multipart")
        assert response.status_code == 200, response.content
    for step in ["review", "translation"]:
        client.post(f"/api/v1/content/official-documents/{official['id']}/move/", {"to": step}, format="json")
    client.post(f"/api/v1/content/official-documents/{official['id']}/final/en/")
    refused = client.post(f"/api/v1/content/official-documents/{official['id']}/issue/")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "A/RES/63/262 cannot be issued: the fr version(s) are not final."
    assert APIClient().get("/api/v1/content/public/official-documents/", {"symbol": "A/RES"}).json()["count"] == 0
    client.post(f"/api/v1/content/official-documents/{official['id']}/final/fr/")
    assert client.post(f"/api/v1/content/official-documents/{official['id']}/issue/").json()["status"] == "issued"
    public = APIClient().get("/api/v1/content/public/official-documents/", {"symbol": "A/RES"}).json()
    assert sorted(row["language"] for row in public["results"]) == ["en", "fr"]


def test_documents_are_found_from_the_business_record(office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="po.txt",
                                        data=b"Purchase order scan", title="PO scan", language="en",
                                        document_type=office.memo)
    client = client_for(office.author)
    response = client.post(f"/api/v1/content/documents/{document.pk}/attach/", {
        "target_type": "core.orgunit", "target_id": str(office.unit.pk)}, format="json")
    assert response.status_code == 201
    listed = client.get(f"/api/v1/content/documents/attached-to/core.orgunit/{office.unit.pk}/").json()
    assert [row["id"] for row in listed] == [document.pk]
