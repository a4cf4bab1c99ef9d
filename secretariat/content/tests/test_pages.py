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
