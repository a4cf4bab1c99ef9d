"""The e-mail channel's record of what it read: every message stored raw, accepted or quarantined.

The platform acts (no user reads a mailbox): the audit event carries the sender. The channel
(``servicedesk.mail``) parses messages and raises or answers tickets through the ticket
services; this is its only write of its own.
"""

import datetime

from django.db import transaction

from secretariat.core.audit import record_audit_event
from secretariat.servicedesk.models import InboundMessage, InboundStatus, MailChannel, Ticket


@transaction.atomic
def record_inbound_message(*, channel: MailChannel, message_id: str, sender: str, subject: str, raw: bytes,
                           received_at: datetime.datetime, ticket: Ticket | None = None,
                           quarantine_reason: str = "") -> InboundMessage:
    """Keep a message read from ``channel``: accepted into ``ticket``, or quarantined with the reason."""
    inbound = InboundMessage.objects.create(
        channel=channel, message_id=message_id[:255], sender=sender[:255], subject=subject[:255], raw=raw,
        received_at=received_at, ticket=ticket, reason=quarantine_reason,
        status=InboundStatus.QUARANTINED if quarantine_reason else InboundStatus.ACCEPTED)
    record_audit_event(actor=None, actor_label=sender[:150], action=f"servicedesk.mail.{inbound.status}",
                       target=ticket, changes={"message_id": message_id, "reason": quarantine_reason})
    return inbound
