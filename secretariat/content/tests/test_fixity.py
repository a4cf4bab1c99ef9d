"""Fixity: a changed byte in the store is found and reported, and the command fails; the changed
file is then refused to everyone until a records officer restores or accepts it."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from secretariat.content import services, storage, tasks
from secretariat.content.models import FixityCheck
from secretariat.content.tests.factories import minimal_pdf
from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_changed_byte_is_detected(office, capsys):
    # given
    document = services.upload_document(actor=office.author, library=office.library, file_name="a.pdf",
                                        data=minimal_pdf("Intact"), title="A", language="en",
                                        document_type=office.memo)
    digest = document.versions.get().file.sha256
    assert services.check_fixity().damaged == []
    path = storage.blob_path(digest)
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01  # flip one bit
    path.write_bytes(bytes(data))
    # when
    with pytest.raises(CommandError):
        call_command("check_fixity")
    # then
    output = capsys.readouterr().out
    assert f"CHANGED {digest}" in output
    report = FixityCheck.objects.order_by("-pk").first()
    assert report.damaged == [digest] and report.missing == []
    assert document.versions.get().file.fixity_ok is False


def test_a_missing_file_is_reported(office):
    document = services.upload_document(actor=office.author, library=office.library, file_name="b.txt",
                                        data=b"plain text", title="B", language="en", document_type=office.memo)
    storage.blob_path(document.versions.get().file.sha256).unlink()
    assert services.check_fixity().missing == [document.versions.get().file.sha256]


def png_bytes() -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(output, format="PNG")
    return output.getvalue()


REFUSAL = ("“{name}” cannot be opened: the fixity check found that its stored bytes have changed. "
           "A records officer must restore the original file or accept the change.")


@pytest.fixture
def damaged(office):
    """A scanned memo whose stored file had a bit flipped, found by the fixity check."""
    original = png_bytes()
    document = services.upload_document(actor=office.author, library=office.library, file_name="scan.png",
                                        data=original, title="Scan", language="en", document_type=office.memo)
    version = document.versions.get()
    path = storage.blob_path(version.file.sha256)
    changed = bytearray(original)
    changed[-20] ^= 0x01
    path.write_bytes(bytes(changed))
    services.check_fixity()
    return SimpleNamespace(document=document, version=version, original=original, changed=bytes(changed))


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_file_flagged_by_the_fixity_check_is_refused_everywhere_and_audited(client, office, damaged):
    api = api_client(office.author)
    # when: the API download
    response = api.get(f"/api/v1/content/versions/{damaged.version.pk}/download/")
    # then
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == REFUSAL.format(name="scan.png")
    # and the page's download and preview
    client.force_login(office.author)
    for url in [f"/content/versions/{damaged.version.pk}/download/", f"/content/versions/{damaged.version.pk}/preview/"]:
        page = client.get(url)
        assert page.status_code == 409, url
        assert REFUSAL.format(name="scan.png") in page.content.decode()
    # and the document page says so
    assert "changed since it was stored" in client.get(f"/content/documents/{damaged.document.pk}/").content.decode()
    events = AuditEvent.objects.filter(action="content.fixity_refused")
    assert events.count() == 3 and {event.actor for event in events} == {office.author}


def test_no_text_is_recognised_from_a_changed_file(office, damaged):
    tasks.recognise_version_text(damaged.version.pk)
    damaged.version.refresh_from_db()
    assert damaged.version.ocr_status == "failed"
    event = AuditEvent.objects.filter(action="content.version.text_recognised").latest("pk")
    assert event.changes["failure"] == "the file failed its fixity check"


def test_a_records_officer_restores_the_original_bytes(office, damaged):
    api = api_client(office.records_manager)
    url = f"/api/v1/content/versions/{damaged.version.pk}/restore/"
    # given: the author may not, and other bytes are refused
    refused = api_client(office.author).post(url, {"file": SimpleUploadedFile("scan.png", damaged.original)},
                                             format="multipart")
    assert refused.status_code == 403
    wrong = api.post(url, {"file": SimpleUploadedFile("scan.png", damaged.changed)}, format="multipart")
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == ("These bytes are not the original of “scan.png”: their SHA-256 is "
                                      f"{storage.sha256_of(damaged.changed)}, the original's is "
                                      f"{damaged.version.file.sha256}.")
    # when
    assert api.post(url, {"file": SimpleUploadedFile("scan.png", damaged.original)},
                    format="multipart").status_code == 200
    # then
    download = api_client(office.author).get(f"/api/v1/content/versions/{damaged.version.pk}/download/")
    assert download.status_code == 200 and download.content == damaged.original
    assert services.check_fixity().damaged == []
    assert AuditEvent.objects.filter(action="content.fixity_restored", actor=office.records_manager).count() == 1


def test_a_records_officer_accepts_the_change_with_a_reason_on_the_page(client, office, damaged):
    client.force_login(office.records_manager)
    url = f"/content/versions/{damaged.version.pk}/accept-fixity/"
    # given: a reason is required
    page = client.post(url, {"reason": " "}, follow=True)
    assert "Give the reason for accepting the changed file." in page.content.decode()
    # when
    client.post(url, {"reason": "Re-saved by the scanning vendor; content checked against the paper original"})
    # then
    download = client.get(f"/content/versions/{damaged.version.pk}/download/")
    assert download.status_code == 200 and download.content == damaged.changed
    report = services.check_fixity()
    assert report.damaged == [] and report.missing == []
    event = AuditEvent.objects.get(action="content.fixity_accepted")
    assert event.actor == office.records_manager
    assert event.changes["reason"].startswith("Re-saved by the scanning vendor")
    assert event.changes["accepted_sha256"] == storage.sha256_of(damaged.changed)
    # and a further change is caught again
    storage.blob_path(damaged.version.file.sha256).write_bytes(damaged.original + b"x")
    assert services.check_fixity().damaged == [damaged.version.file.sha256]
