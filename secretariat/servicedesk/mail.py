"""The e-mail channel: read a desk's mailbox by IMAP and turn each message into a ticket or a reply.

A client of the services like the pages: tickets are raised and answered through the ticket
services, and the message is recorded through ``services.record_inbound_message``.

Every message is stored raw before anything else is decided, so nothing is ever dropped: it
is either accepted (a new ticket or a reply on one) or quarantined with the reason, and the
sender gets a bounce when a ticket could not be opened for them. A message is flagged as seen
on the server only after our transaction committed.
"""

import binascii
import email
import hashlib
import imaplib
import logging
import re
from functools import partial
from email import policy
from email.utils import parseaddr

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.models import Person
from secretariat.servicedesk import selectors, services
from secretariat.servicedesk.models import Channel, InboundMessage, MailChannel, Ticket, TicketKind
from secretariat.servicedesk.mailbox_secrets import MailboxSecretMissing, mailbox_secret
from secretariat.servicedesk.notifications import send_mail_through

logger = logging.getLogger(__name__)
REFERENCE = re.compile(r"\[SD-(\d{7})\]")


class Quarantine(Exception):
    def __init__(self, reason: str, bounce: bool = False):
        super().__init__(reason)
        self.reason, self.bounce = reason, bounce


def attachments_of(message, *, limit: int) -> list[services.AttachmentUpload]:
    """The message's attachments, refusing malformed ones and those the desk would refuse (raises Quarantine).

    Checked before any ticket is raised, so such a message is quarantined rather than bounced.
    """
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or "attachment"
        malformed = Quarantine(_("The attachment %(name)s is malformed.") % {"name": name})
        try:
            content = part.get_payload(decode=True)
            if part.get("Content-Transfer-Encoding", "").lower() == "base64":
                binascii.a2b_base64("".join(part.get_payload().split()).encode("ascii"), strict_mode=True)
        except (ValueError, TypeError, binascii.Error):
            raise malformed from None
        if content is None or part.defects:
            raise malformed
        upload = services.AttachmentUpload(file_name=name, content_type=part.get_content_type(), content=content)
        try:
            services.check_attachment(upload, limit=limit)
        except services.AttachmentRefused as refusal:
            raise Quarantine(str(refusal)) from None
        found.append(upload)
    return found


def body_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def accept(channel: MailChannel, message, sender: str, now) -> Ticket:
    """Raise a ticket or add the requester's reply; raises Quarantine for what cannot be accepted."""
    person = Person.objects.filter(email__iexact=sender, is_active=True).select_related("org_unit", "user").first()
    if person is None:
        raise Quarantine(_("The sender %(sender)s is not a known user.") % {"sender": sender})
    files = attachments_of(message, limit=channel.max_attachment_bytes)
    subject = str(message.get("Subject", "") or "").strip() or _("(no subject)")
    text = body_of(message)
    if (match := REFERENCE.search(subject)) is not None:
        ticket = Ticket.objects.filter(pk=int(match.group(1))).first()
        if ticket is None:
            raise Quarantine(_("%(sender)s may not reply on %(subject)s.") % {"sender": sender, "subject": subject})
        try:
            # The service decides who may reply, as for the portal: the sender's account, or the
            # sender as a person when they have none (actor None: the channel acts for them).
            entry = services.add_requester_reply(ticket_id=ticket.pk, body=text, actor=person.user, sender=person,
                                                 author_label=sender, channel=Channel.EMAIL, now=now)
            ticket = entry.ticket  # a follow-up when the reply came too late to reopen the ticket
        except AccessDenied:
            raise Quarantine(_("%(sender)s may not reply on %(subject)s.") % {
                "sender": sender, "subject": subject}) from None
        except DomainError as error:
            raise Quarantine(str(error), bounce=True) from error
    else:
        try:
            ticket = services.raise_ticket(actor=person.user, now=now, draft=services.TicketDraft(
                requester=person, service=channel.default_service, subject=subject, description=text,
                kind=TicketKind.INCIDENT, channel=Channel.EMAIL, opened_at=now))
        except DomainError as error:
            raise Quarantine(str(error), bounce=True) from error
        entry = ticket.entries.first()
    services.attach_files_to_ticket(actor=person.user, author_label=sender, ticket_id=ticket.pk, uploads=files,
                                    entry=entry, limit=channel.max_attachment_bytes, now=now)
    return ticket


def bounce(channel: MailChannel, sender: str, subject: str, reason: str, message_id: str) -> None:
    try:
        send_mail_through(channel, to=[sender], subject="Undeliverable: " + subject, body=reason,
                          in_reply_to=message_id)
    except (OSError, MailboxSecretMissing):
        logger.exception("bounce to %s could not be sent", sender)


@transaction.atomic
def receive_email(*, channel: MailChannel, raw: bytes, now=None) -> InboundMessage:
    """Store one incoming message and accept or quarantine it; receiving it again is a no-op."""
    now = now or timezone.now()
    message = email.message_from_bytes(raw, policy=policy.default)
    message_id = str(message.get("Message-ID", "") or "").strip() or "sha256:" + hashlib.sha256(raw).hexdigest()
    existing = selectors.inbound_message(channel=channel, message_id=message_id[:255])
    if existing is not None:
        return existing
    sender = parseaddr(str(message.get("From", "")))[1]
    subject = str(message.get("Subject", "") or "")
    ticket, reason = None, ""
    try:
        with transaction.atomic():
            ticket = accept(channel, message, sender, now)
    except Quarantine as refusal:
        reason = refusal.reason
        if refusal.bounce and sender:
            transaction.on_commit(partial(bounce, channel, sender, subject[:255], refusal.reason, message_id))
    return services.record_inbound_message(channel=channel, message_id=message_id, sender=sender, subject=subject,
                                           raw=raw, received_at=now, ticket=ticket, quarantine_reason=reason)


def fetch_mail(*, channel: MailChannel) -> list[InboundMessage]:
    """Read the unseen messages of the channel's mailbox; each is flagged seen once stored."""
    client_class = imaplib.IMAP4_SSL if channel.imap_use_ssl else imaplib.IMAP4
    received = []
    with client_class(channel.imap_host, channel.imap_port) as client:
        client.login(channel.imap_username, mailbox_secret(channel, "imap_password"))
        client.select("INBOX")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in data[0].split():
            _status, parts = client.uid("FETCH", uid, "(RFC822)")
            raw = next(part[1] for part in parts if isinstance(part, tuple))
            received.append(receive_email(channel=channel, raw=raw))
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        client.logout()
    return received
