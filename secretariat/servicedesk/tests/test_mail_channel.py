"""The e-mail channel against a local SMTP server (aiosmtpd) and a local IMAP server: incoming
mail opens or updates tickets, replies go out by mail, and nothing is ever dropped — unknown
senders and bad attachments are quarantined, refusals bounced."""

import base64
import ssl
import subprocess
import threading
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from secretariat.core.audit import AuditEvent
from secretariat.core.ports import free_port
from secretariat.servicedesk.mail import fetch_mail, receive_email
from secretariat.servicedesk.mailbox_secrets import MailboxSecretMissing
from secretariat.servicedesk.models import InboundMessage, MailChannel, Ticket, TicketStatus
from secretariat.servicedesk.services import reply_to_ticket, resolve_ticket
from secretariat.servicedesk.tasks import fetch_servicedesk_mail
from secretariat.servicedesk.tests.imap_server import ImapServer, Mailbox

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.received.set()
        return "250 OK"


@pytest.fixture
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


@pytest.fixture
def imap_server():
    mailbox = Mailbox("servicedesk", "s3cret")
    server = ImapServer(mailbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def channel(catalogue, smtp_server, imap_server, settings):
    controller, _collector = smtp_server
    settings.SECRETARIAT_MAILBOX_SECRETS = {"gva-desk": {"imap_password": "s3cret"}}
    return MailChannel.objects.create(
        desk=catalogue.geneva_desk, address="servicedesk@example.org", default_service=catalogue.email_service,
        imap_host="127.0.0.1", imap_port=imap_server.port, imap_use_ssl=False, imap_username="servicedesk",
        secret_name="gva-desk", smtp_host="127.0.0.1", smtp_port=controller.port, smtp_security="none",
        max_attachment_bytes=2000)


def message(sender="lucia@example.org", subject="Mi correo no funciona", body="No puedo enviar", message_id="<1@x>",
            attachment: bytes | None = None):
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"], mail["Message-ID"] = sender, "servicedesk@example.org", subject, message_id
    mail.set_content(body)
    if attachment is not None:
        mail.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="log.txt")
    return mail.as_bytes()


def test_mail_round_trip(catalogue, channel, imap_server, smtp_server, django_capture_on_commit_callbacks):
    _controller, collector = smtp_server
    # given a message from a known user waiting in the desk's mailbox
    imap_server.mailbox.deliver(message(attachment=b"trace"))
    # when the channel is read
    with django_capture_on_commit_callbacks(execute=True):
        [inbound] = fetch_mail(channel=channel)
    # then a ticket is open, the attachment kept and the message flagged seen on the server
    ticket = Ticket.objects.get()
    assert inbound.status == "accepted" and inbound.ticket == ticket
    assert (ticket.channel, ticket.subject, ticket.requester) == ("email", "Mi correo no funciona", catalogue.requester)
    assert bytes(ticket.attachments.get().content) == b"trace"
    assert imap_server.mailbox.messages[0]["seen"] is True
    # when the agent answers publicly, the answer goes out by SMTP
    with django_capture_on_commit_callbacks(execute=True):
        reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Reinicie Outlook, por favor")
    assert collector.received.wait(5)
    [sent] = collector.messages
    assert sent.rcpt_tos == ["lucia@example.org"]
    assert f"Subject: [{ticket.reference}] Mi correo no funciona" in sent.content.decode()
    # when the requester replies by mail quoting the reference, the reply joins the ticket
    imap_server.mailbox.deliver(message(subject=f"Re: [{ticket.reference}] Mi correo no funciona",
                                        body="Ya funciona, gracias", message_id="<2@x>"))
    fetch_mail(channel=channel)
    assert Ticket.objects.count() == 1
    assert ticket.entries.filter(is_from_requester=True, body__contains="Ya funciona").exists()
    # and reading again finds nothing new
    assert fetch_mail(channel=channel) == []


def test_an_unknown_sender_is_quarantined_not_dropped(channel):
    inbound = receive_email(channel=channel, raw=message(sender="stranger@example.com"))
    assert inbound.status == "quarantined"
    assert inbound.reason == "The sender stranger@example.com is not a known user."
    assert bytes(InboundMessage.objects.get().raw).startswith(b"From: stranger@example.com")
    assert not Ticket.objects.exists()


def test_an_oversized_attachment_is_quarantined(channel):
    inbound = receive_email(channel=channel, raw=message(attachment=b"x" * 2001))
    assert inbound.status == "quarantined"
    assert inbound.reason == "The attachment log.txt is larger than 2000 bytes."
    assert not Ticket.objects.exists()


def test_a_malformed_attachment_is_quarantined(channel):
    raw = message(attachment=b"good")
    encoded = base64.b64encode(b"good")
    raw = raw.replace(encoded, b"@@@not base64!!")
    inbound = receive_email(channel=channel, raw=raw)
    assert inbound.status == "quarantined"
    assert inbound.reason == "The attachment log.txt is malformed."


def test_a_refused_ticket_is_bounced_and_kept(catalogue, channel, smtp_server, django_capture_on_commit_callbacks):
    _controller, collector = smtp_server
    channel.default_service = catalogue.unsubscribed_service
    channel.save()
    with django_capture_on_commit_callbacks(execute=True):
        inbound = receive_email(channel=channel, raw=message())
    assert inbound.status == "quarantined"
    assert inbound.reason == "Conference Management does not subscribe to the service “Video conferencing”."
    assert collector.received.wait(5)
    assert collector.messages[0].rcpt_tos == ["lucia@example.org"]
    assert "Subject: Undeliverable: Mi correo no funciona" in collector.messages[0].content.decode()


def test_the_same_message_twice_is_stored_once(channel):
    first = receive_email(channel=channel, raw=message())
    second = receive_email(channel=channel, raw=message())
    assert first.pk == second.pk and Ticket.objects.count() == 1


def test_a_mailed_attachment_is_on_the_ticket_page_and_downloads_unchanged(client, catalogue, channel):
    # given a message with a binary attachment, then a reply with another one
    trace = bytes(range(256)) * 4
    receive_email(channel=channel, raw=message(attachment=trace))
    ticket = Ticket.objects.get()
    receive_email(channel=channel, raw=message(subject=f"Re: [{ticket.reference}] Mi correo no funciona",
                                               message_id="<2@x>", attachment=b"second trace"))
    # when the agent opens the ticket
    client.force_login(catalogue.agent)
    page = client.get(f"/servicedesk/tickets/{ticket.pk}/").content.decode()
    # then both files are listed, each on the message it came with, and download unchanged
    first, second = ticket.attachments.order_by("pk")
    assert page.count("log.txt") == 2 and f"/servicedesk/tickets/{ticket.pk}/attachments/{first.pk}/" in page
    assert (first.entry, second.entry) == (ticket.entries.order_by("pk").first(), ticket.entries.order_by("pk").last())
    assert b"".join(client.get(f"/servicedesk/tickets/{ticket.pk}/attachments/{first.pk}/").streaming_content) == trace
    assert AuditEvent.objects.filter(action="servicedesk.ticket.files_attached",
                                     actor_label="lucia@example.org").count() == 2


def test_an_empty_attachment_is_quarantined(channel):
    inbound = receive_email(channel=channel, raw=message(attachment=b""))
    assert inbound.status == "quarantined"
    assert inbound.reason == "The attachment log.txt is empty."
    assert not Ticket.objects.exists()


def test_the_scheduled_poll_reads_every_desk_mailbox(catalogue, channel, imap_server):
    imap_server.mailbox.deliver(message())
    assert fetch_servicedesk_mail.delay().get() == 1  # eager without a broker, as in the tests
    assert Ticket.objects.get().subject == "Mi correo no funciona"
    assert imap_server.mailbox.messages[0]["seen"] is True


def test_a_mailed_reply_to_a_resolved_ticket_reopens_it(catalogue, channel):
    # given a ticket raised by mail and resolved by the agent
    receive_email(channel=channel, raw=message())
    ticket = Ticket.objects.get()
    resolve_ticket(actor=catalogue.agent, ticket_id=ticket.pk, resolution="Reinicie Outlook")
    # when the requester answers by mail "still broken"
    inbound = receive_email(channel=channel, raw=message(subject=f"Re: [{ticket.reference}] Mi correo no funciona",
                                                         body="Sigue sin funcionar", message_id="<2@x>"))
    # then the ticket is open again, with the reply
    ticket.refresh_from_db()
    assert inbound.status == "accepted" and inbound.ticket == ticket
    assert ticket.status == TicketStatus.IN_PROGRESS and Ticket.objects.count() == 1
    assert ticket.entries.filter(is_from_requester=True, body__contains="Sigue sin funcionar").exists()


def test_the_mailbox_password_comes_from_the_settings_not_the_database(channel, imap_server, settings):
    # the channel's row holds no password anywhere
    assert "s3cret" not in repr(list(MailChannel.objects.values_list()))
    # without the setting's entry the mailbox is not read, and the reason is given
    settings.SECRETARIAT_MAILBOX_SECRETS = {}
    with pytest.raises(MailboxSecretMissing) as refusal:
        fetch_mail(channel=channel)
    assert str(refusal.value) == ("The mailbox servicedesk@example.org has no imap_password in the "
                                  "SECRETARIAT_MAILBOX_SECRETS setting.")


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1, trusted by the client's default TLS context."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_replies_leave_over_starttls_logged_in_with_the_password_from_the_settings(
        catalogue, channel, certificate, settings, django_capture_on_commit_callbacks):
    # given a relay that requires STARTTLS and authentication
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((session.ssl is not None, auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"relay-pass")

    collector = Collector()
    relay = Controller(collector, hostname="127.0.0.1", port=free_port(), tls_context=certificate,
                       require_starttls=True, authenticator=authenticator, auth_required=True)
    relay.start()
    try:
        settings.SECRETARIAT_MAILBOX_SECRETS = {"gva-desk": {"imap_password": "s3cret", "smtp_password": "relay-pass"}}
        channel.smtp_port, channel.smtp_security, channel.smtp_username = relay.port, "starttls", "desk"
        channel.save()
        receive_email(channel=channel, raw=message())
        ticket = Ticket.objects.get()
        # when the agent answers
        with django_capture_on_commit_callbacks(execute=True):
            reply_to_ticket(actor=catalogue.agent, ticket_id=ticket.pk, body="Reinicie Outlook, por favor")
        # then the relay took the reply after TLS and a login with the setting's password
        assert collector.received.wait(5)
        assert logins == [(True, b"desk", b"relay-pass")]
        assert collector.messages[0].rcpt_tos == ["lucia@example.org"]
    finally:
        relay.stop()
