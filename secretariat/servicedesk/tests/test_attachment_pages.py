"""Attachments on the ticket pages: files sent with a new ticket or a message are listed on the
ticket and come back byte for byte, to those who may see them only; a refused file is reported on
the form and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.core.audit import AuditEvent
from secretariat.core.tests.factories import UserFactory
from secretariat.servicedesk.models import Ticket, TicketAttachment, TicketEntry
from secretariat.servicedesk.services import MAX_ATTACHMENT_BYTES

pytestmark = pytest.mark.django_db

SCREENSHOT = bytes(range(256)) * 40  # binary, so any re-encoding on the way would show


def raise_with_files(client, catalogue, *files):
    return client.post("/servicedesk/new/", {
        "service": catalogue.email_service.pk, "kind": "incident", "subject": "Outlook se cierra", "impact": 3,
        "urgency": 2, "attachments": list(files)})


def download(client, url: str):
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def attachment_url(attachment) -> str:
    return f"/servicedesk/tickets/{attachment.ticket_id}/attachments/{attachment.pk}/"


def test_files_sent_with_a_new_ticket_are_listed_and_downloaded_unchanged(client, catalogue):
    # given
    client.force_login(catalogue.requester_user)
    # when
    response = raise_with_files(client, catalogue, SimpleUploadedFile("captura_pantalla.png", SCREENSHOT, "image/png"),
                                SimpleUploadedFile("registro.txt", "Error 0x80004005\n".encode(), "text/plain"))
    # then
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    screenshot, log = ticket.attachments.order_by("pk")
    assert f'href="{attachment_url(screenshot)}"' in page and "captura_pantalla.png" in page
    assert f'href="{attachment_url(log)}"' in page and "registro.txt" in page
    response, content = download(client, attachment_url(screenshot))
    assert content == SCREENSHOT
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="captura_pantalla.png"'
    assert download(client, attachment_url(log))[1] == "Error 0x80004005\n".encode()
    event = AuditEvent.objects.get(action="servicedesk.ticket.files_attached")
    assert event.changes["files"] == [
        {"name": "captura_pantalla.png", "content_type": "image/png", "size": len(SCREENSHOT)},
        {"name": "registro.txt", "content_type": "text/plain", "size": 17}]


def test_the_agent_and_the_requester_attach_files_to_their_messages(client, catalogue):
    # given a ticket raised by the requester
    client.force_login(catalogue.requester_user)
    raise_with_files(client, catalogue)
    ticket = Ticket.objects.get()
    # when the agent answers with a file and the requester replies with one
    client.force_login(catalogue.agent)
    answered = client.post(f"/servicedesk/tickets/{ticket.pk}/reply/", {
        "body": "Instale este parche", "is_public": "on",
        "attachments": SimpleUploadedFile("parche.reg", b"REGEDIT4\r\n", "application/octet-stream")})
    client.force_login(catalogue.requester_user)
    replied = client.post(f"/servicedesk/tickets/{ticket.pk}/requester_reply/", {
        "body": "Sigue fallando", "attachments": SimpleUploadedFile("нет_почты.txt", "ошибка".encode(), "text/plain")})
    # then both files hang on their messages and each side downloads the other's
    assert answered.status_code == replied.status_code == 302
    patch, log = ticket.attachments.order_by("pk")
    assert (patch.entry.body, log.entry.body) == ("Instale este parche", "Sigue fallando")
    assert download(client, attachment_url(patch))[1] == b"REGEDIT4\r\n"
    client.force_login(catalogue.agent)
    response, content = download(client, attachment_url(log))
    assert content == "ошибка".encode()
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%BD%D0%B5%D1%82_%D0%BF%D0%BE%D1%87%D1%82%D1%8B.txt")


def test_files_on_an_internal_note_are_for_agents_only(client, catalogue):
    # given
    client.force_login(catalogue.requester_user)
    raise_with_files(client, catalogue)
    ticket = Ticket.objects.get()
    client.force_login(catalogue.agent)
    client.post(f"/servicedesk/tickets/{ticket.pk}/reply/", {
        "body": "Vendor escalation", "attachments": SimpleUploadedFile("vendor-case.txt", b"case 1234")})
    note_file = ticket.attachments.get()
    assert "vendor-case.txt" in client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    # when the requester, then a stranger, look for it
    client.force_login(catalogue.requester_user)
    requester_page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    requester_download = client.get(attachment_url(note_file))
    client.force_login(UserFactory(username="stranger"))
    stranger_download = client.get(attachment_url(note_file))
    # then
    assert "vendor-case.txt" not in requester_page
    assert requester_download.status_code == stranger_download.status_code == 404


def test_an_oversized_file_is_refused_on_the_form_and_no_ticket_is_raised(client, catalogue):
    client.force_login(catalogue.requester_user)
    response = raise_with_files(client, catalogue, SimpleUploadedFile("ok.txt", b"fine"),
                                SimpleUploadedFile("dump.bin", b"x" * (MAX_ATTACHMENT_BYTES + 1)))
    assert response.status_code == 200
    assert (f"The attachment dump.bin is larger than {MAX_ATTACHMENT_BYTES} bytes."
            in response.content.decode())
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()


def test_an_empty_file_is_refused_with_the_message_and_nothing_is_written(client, catalogue):
    # given
    client.force_login(catalogue.requester_user)
    raise_with_files(client, catalogue)
    ticket = Ticket.objects.get()
    entries = TicketEntry.objects.count()
    # when
    response = client.post(f"/servicedesk/tickets/{ticket.pk}/requester_reply/", {
        "body": "Adjunto el registro", "attachments": SimpleUploadedFile("vacío.log", b"")})
    # then
    assert response.status_code == 400
    assert "The attachment vacío.log is empty." in response.content.decode()
    assert TicketEntry.objects.count() == entries and not TicketAttachment.objects.exists()


def test_the_forms_say_how_large_a_file_may_be(client, catalogue):
    client.force_login(catalogue.requester_user)
    page = client.get("/servicedesk/new/?service=email").content.decode()
    assert '<input type="file" name="attachments" multiple' in page
    assert 'enctype="multipart/form-data"' in page and "Each file can be up to 10.0\xa0MB." in page
