"""Files on tickets: checked, named safely and stored in the database with the ticket."""

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.servicedesk.models import EntryKind, TicketAttachment, TicketEntry
from secretariat.servicedesk.services.common import (
    add_entry,
    lock_ticket,
    refuse_if_finished,
    requester_user,
    require_on_ticket,
)

# Files are kept in the database with the ticket (``TicketAttachment.content``), like the raw
# mail they often come from: one backup, one transaction, no orphaned files.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


SAFE_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


class AttachmentRefused(InvalidInput):
    """A file that cannot be attached, reported against the form's ``attachments`` field."""

    def __init__(self, **params):
        super().__init__(**params)
        self.errors = {"attachments": [str(self)]}


class AttachmentTooLarge(AttachmentRefused):
    message = _("The attachment %(name)s is larger than %(limit)s bytes.")
    code = "attachment_too_large"


class AttachmentEmpty(AttachmentRefused):
    message = _("The attachment %(name)s is empty.")
    code = "attachment_empty"


@dataclass(frozen=True)
class AttachmentUpload:
    """A file as received (portal, API or e-mail), before it is checked and stored."""

    file_name: str
    content_type: str
    content: bytes

    @classmethod
    def from_uploaded_file(cls, uploaded, *, limit: int = MAX_ATTACHMENT_BYTES) -> "AttachmentUpload":
        # One byte past the limit is enough to refuse the file, so a huge upload is never read whole.
        return cls(file_name=uploaded.name or "", content_type=uploaded.content_type or "",
                   content=uploaded.read(limit + 1))


def stored_file_name(name: str) -> str:
    """The last path component, without control characters: never a path on the server or in a header."""
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(character for character in name if character.isprintable()).strip()
    return name[:255] or "attachment"


def stored_content_type(content_type: str) -> str:
    """The declared type if it is a plain ``type/subtype``; anything else is served as opaque bytes."""
    content_type = content_type.strip().lower()
    if len(content_type) <= 100 and SAFE_CONTENT_TYPE.fullmatch(content_type):
        return content_type
    return "application/octet-stream"


def check_attachment(upload: AttachmentUpload, *, limit: int = MAX_ATTACHMENT_BYTES) -> None:
    """Refuse an empty file or one over ``limit`` bytes (the e-mail channel has its own limit)."""
    name = stored_file_name(upload.file_name)
    if not upload.content:
        raise AttachmentEmpty(name=name)
    if len(upload.content) > limit:
        raise AttachmentTooLarge(name=name, limit=limit)


@transaction.atomic
def attach_files_to_ticket(*, actor, ticket_id: int, uploads: Sequence[AttachmentUpload],
                           entry: TicketEntry | None = None, limit: int = MAX_ATTACHMENT_BYTES,
                           author_label: str = "", now=None) -> list[TicketAttachment]:
    """Store files on a ticket: all of them or, if any is refused, none (no files: nothing to do).

    The files belong to ``entry`` (the message they came with) and are seen by whoever may see
    it: files on an internal note only by agents. Uploaded on their own they get an entry of
    their own, so the history says who attached what and when. A closed ticket takes no files.
    Whoever may add to the ticket may attach (``require_on_ticket``); ``actor=None`` is the mail channel.
    """
    if not uploads:
        return []
    for upload in uploads:
        check_attachment(upload, limit=limit)
    ticket = lock_ticket(ticket_id)
    require_on_ticket(actor=actor, ticket=ticket, action=_("attach files to this ticket"))
    refuse_if_finished(ticket)
    names = [stored_file_name(upload.file_name) for upload in uploads]
    if entry is None:
        entry = add_entry(ticket, kind=EntryKind.EVENT, actor=actor, author_label=author_label, at=now,
                          body=", ".join(names), is_from_requester=requester_user(ticket) == actor)
    elif entry.ticket_id != ticket.pk:
        raise ValueError(f"entry {entry.pk} belongs to another ticket than {ticket.reference}")
    attachments = TicketAttachment.objects.bulk_create(
        TicketAttachment(ticket=ticket, entry=entry, file_name=name, size=len(upload.content), content=upload.content,
                         content_type=stored_content_type(upload.content_type))
        for name, upload in zip(names, uploads))
    record_audit_event(actor=actor, actor_label=author_label or None, action="servicedesk.ticket.files_attached",
                       target=ticket, changes={"entry": entry.pk, "files": [
                           {"name": a.file_name, "content_type": a.content_type, "size": a.size}
                           for a in attachments]})
    return attachments
