"""The HTML pages render for their users and refuse what they must."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.content import services
from secretariat.content.models import Document

pytestmark = pytest.mark.django_db


def test_upload_page_shows_refusals_on_the_form(client, office):
    client.force_login(office.author)
    response = client.post("/content/documents/", {
        "library": office.library.pk, "title": "Tool", "language": "en", "document_type": office.memo.pk,
        "file": SimpleUploadedFile("tool.exe", b"MZ")})
    assert response.status_code == 400
    assert "Files of type “exe” cannot be stored here" in response.content.decode()
    assert not Document.objects.exists()


def test_pages_render(client, office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="a.txt", data=b"abc",
                                        title="Alpha", language="en", document_type=office.memo)
    client.force_login(office.records_manager)
    for url in ["/content/documents/", f"/content/documents/{document.pk}/", "/content/search/?q=abc",
                "/content/official/", "/content/records/", "/content/workspaces/", "/content/public/?symbol=A"]:
        response = client.get(url)
        assert response.status_code == 200, url
    client.logout()
    assert client.get("/content/public/?symbol=A").status_code == 200  # no login needed
    assert client.get(f"/content/documents/{document.pk}/").status_code == 302  # to the login page


def test_a_document_outside_ones_access_is_not_found(client, office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="c.txt",
                                        data=b"secret", title="Secret", language="en", document_type=office.memo,
                                        classification="confidential")
    client.force_login(office.outsider)
    assert client.get(f"/content/documents/{document.pk}/").status_code == 404
    version = document.versions.get()
    assert client.get(f"/content/versions/{version.pk}/download/").status_code == 404


def contract_type():
    from secretariat.content.models import DocumentType

    return DocumentType.objects.create(code="contract", name="Contract", field_rules=[
        {"name": "contract_number", "label": "Contract number", "type": "text", "required": True,
         "pattern": r"[A-Z]{3}/\d{4}/\d+"},
        {"name": "signed_on", "label": "Signed on", "type": "date"}])


def test_the_upload_form_asks_for_the_chosen_type_s_custom_fields(client, office):
    contract = contract_type()
    client.force_login(office.author)
    page = client.get("/content/documents/", {"document_type": contract.pk}).content.decode()
    assert "Fields of this document type" in page and "Contract number" in page and 'type="date"' in page
    assert "Contract number" not in client.get("/content/documents/").content.decode()


def test_custom_fields_are_checked_and_stored_from_the_upload_page(client, office):
    contract = contract_type()
    client.force_login(office.author)
    fields = {"library": office.library.pk, "title": "Lease", "language": "en", "document_type": contract.pk}
    refused = client.post("/content/documents/", {**fields, "custom_fields.contract_number": "12",
                                                  "file": SimpleUploadedFile("lease.txt", b"terms")})
    assert refused.status_code == 400
    assert "Contract number is not in the expected form." in refused.content.decode()
    assert not Document.objects.exists()
    client.post("/content/documents/", {**fields, "custom_fields.contract_number": "PDS/2024/17",
                                        "custom_fields.signed_on": "2024-03-01",
                                        "file": SimpleUploadedFile("lease.txt", b"terms")})
    assert Document.objects.get().custom_fields == {"contract_number": "PDS/2024/17", "signed_on": "2024-03-01"}


def test_facets_narrow_the_search_and_an_applied_facet_can_be_removed(client, office):
    from secretariat.content.models import DocumentType

    report = DocumentType.objects.create(code="report", name="Report")
    for title, document_type in [("Budget memo", office.memo), ("Budget report", report)]:
        services.upload_document(actor=office.author, library=office.library, file_name="b.txt",
                                 data=b"budget figures", title=title, language="en", document_type=document_type)
    client.force_login(office.author)
    page = client.get("/content/search/", {"q": "budget"}).content.decode()
    assert "Budget memo" in page and "Budget report" in page
    # when: the user follows the "Report" facet
    narrowed = client.get("/content/search/", {"q": "budget", "document_type": "report"}).content.decode()
    assert 'href="?q=budget&amp;document_type=report"' in page
    # then
    assert "Budget report" in narrowed and "Budget memo" not in narrowed
    assert 'aria-current="true"' in narrowed and 'href="?q=budget"' in narrowed  # the way back
