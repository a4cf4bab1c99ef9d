"""Attachments through the API: upload (multipart), list and download a ticket's files, byte for
byte, for those who may see the ticket; refusals as problem+json with nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from secretariat.core.tests.factories import UserFactory
from secretariat.servicedesk.models import TicketAttachment
from secretariat.servicedesk.services import (
    MAX_ATTACHMENT_BYTES,
    TicketDraft,
    change_ticket_status,
    raise_ticket,
    resolve_ticket,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ticket(catalogue):
    return raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Factura ilegible"))


def upload(client, ticket, *files, **headers):
    return client.post(f"/api/v1/servicedesk/tickets/{ticket.pk}/attachments/", {"files": list(files)},
                       format="multipart", **headers)


def test_upload_list_and_download_a_file_unchanged(catalogue, ticket):
    # given
    requester, agent = client_for(catalogue.requester_user), client_for(catalogue.agent)
    # when the requester uploads two files
    created = upload(requester, ticket, SimpleUploadedFile("factura.pdf", PDF, "application/pdf"),
                     SimpleUploadedFile("notes.txt", b"page 2 is blank", "text/plain"))
    # then the agent lists them and downloads each byte for byte
    assert created.status_code == 201, created.content
    listed = agent.get(f"/api/v1/servicedesk/tickets/{ticket.pk}/attachments/").json()
    assert [(a["file_name"], a["content_type"], a["size"], a["attached_by"]) for a in listed] == [
        ("factura.pdf", "application/pdf", len(PDF), "lucia"), ("notes.txt", "text/plain", 15, "lucia")]
    assert [a["id"] for a in created.json()] == [a["id"] for a in listed]
    download = agent.get(listed[0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="factura.pdf"'
    # and the upload shows in the ticket's history with the file names
    entries = agent.get(f"/api/v1/servicedesk/tickets/{ticket.pk}/entries/").json()
    assert entries[-1]["body"] == "factura.pdf, notes.txt" and entries[-1]["author_label"] == "lucia"


def test_an_upload_with_an_idempotency_key_is_stored_once(catalogue, ticket):
    requester = client_for(catalogue.requester_user)
    first = upload(requester, ticket, SimpleUploadedFile("a.txt", b"once"), HTTP_IDEMPOTENCY_KEY="upload-1")
    again = upload(requester, ticket, SimpleUploadedFile("a.txt", b"once"), HTTP_IDEMPOTENCY_KEY="upload-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert TicketAttachment.objects.count() == 1


def test_a_large_upload_with_an_idempotency_key_is_accepted_and_the_key_binds_its_content(catalogue, ticket):
    requester = client_for(catalogue.requester_user)
    scan = bytes(range(256)) * (4 * 1024 * 1024 // 256)  # 4 MiB: beyond what Django keeps of a raw body
    first = upload(requester, ticket, SimpleUploadedFile("scan.tif", scan, "image/tiff"), HTTP_IDEMPOTENCY_KEY="scan-1")
    other = upload(requester, ticket, SimpleUploadedFile("scan.tif", scan[:-1] + b"!", "image/tiff"),
                   HTTP_IDEMPOTENCY_KEY="scan-1")
    assert first.status_code == 201, first.content
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert [a.size for a in TicketAttachment.objects.all()] == [len(scan)]


def test_oversized_and_empty_files_are_refused_and_nothing_is_stored(catalogue, ticket):
    requester = client_for(catalogue.requester_user)
    oversized = upload(requester, ticket, SimpleUploadedFile("ok.txt", b"fine"),
                       SimpleUploadedFile("huge.bin", b"x" * (MAX_ATTACHMENT_BYTES + 1)))
    empty = upload(requester, ticket, SimpleUploadedFile("empty.txt", b""))
    assert oversized.status_code == empty.status_code == 400
    assert oversized["Content-Type"] == "application/problem+json"
    assert [(e["pointer"], e["detail"]) for e in oversized.json()["errors"]] == [
        ("/attachments", f"The attachment huge.bin is larger than {MAX_ATTACHMENT_BYTES} bytes.")]
    assert [(e["pointer"], e["detail"]) for e in empty.json()["errors"]] == [
        ("/attachments", "The attachment empty.txt is empty.")]
    assert not TicketAttachment.objects.exists()


def test_strangers_see_nothing_and_a_closed_ticket_takes_no_files(catalogue, ticket):
    # given a file on the ticket
    upload(client_for(catalogue.requester_user), ticket, SimpleUploadedFile("a.txt", b"private"))
    attachment = TicketAttachment.objects.get()
    stranger = client_for(UserFactory(username="stranger"))
    # then a stranger can neither list, download nor add
    base = f"/api/v1/servicedesk/tickets/{ticket.pk}/attachments/"
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}{attachment.pk}/").status_code == 404
    assert upload(stranger, ticket, SimpleUploadedFile("b.txt", b"intrusion")).status_code == 404
    # and once the ticket is closed nobody adds files
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Reissued the invoice")
    change_ticket_status(actor=catalogue.agent, ticket_id=ticket.pk, status="closed")
    refused = upload(client_for(catalogue.agent), ticket, SimpleUploadedFile("late.txt", b"too late"))
    assert refused.status_code == 409
    assert refused.json()["detail"] == f"Ticket {ticket.reference} is Closed and can no longer be changed."
    assert TicketAttachment.objects.count() == 1
