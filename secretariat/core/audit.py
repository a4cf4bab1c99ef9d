"""Writing and verifying the hash-chained audit trail.

Each event's hash covers its own fields and the previous event's hash, so changing, removing
or reordering any row breaks every hash after it; the chain head row records the newest event,
so removing events at the end is detected as well. Appends are serialised by locking the head
row (SQLite runs IMMEDIATE transactions: one writer at a time).
"""

import datetime
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from secretariat.core.models import AuditChainHead, AuditEvent
from secretariat.core.request_context import current_request_context

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def json_ready(value):
    """Normalise a change set to what a JSON column gives back, so hashes survive a round trip."""
    return json.loads(json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else str(v)))


def canonical_payload(event: AuditEvent) -> bytes:
    fields = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "ip_address": event.ip_address,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "changes": event.changes,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


def locked_chain_head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=HEAD_ID, defaults={"sequence": 0, "hash": GENESIS_HASH}
    )
    return head


def target_reference(target: Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)[:255]


@transaction.atomic(savepoint=False)  # joins the caller's transaction: no extra round trips under the chain lock
def record_audit_event(
    *,
    actor,
    action: str,
    target: Model | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    ``actor`` may be None for system actions and anonymous security events (then give
    ``actor_label``, e.g. the username tried). The client address defaults to the current
    request's.
    """
    if ip_address is None and (context := current_request_context.get()) is not None:
        ip_address = context.ip_address
    head = locked_chain_head()
    target_type, target_id, target_label = target_reference(target)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor_label if actor_label is not None else (actor.get_username() if is_user else ""))[:150],
        ip_address=ip_address,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=json_ready(changes or {}),
        previous_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class ChainVerification:
    events_checked: int
    first_broken_sequence: int | None
    reason: str = ""

    @property
    def is_intact(self) -> bool:
        return self.first_broken_sequence is None


def verify_audit_chain(batch_size: int = 5000) -> ChainVerification:
    """Walk the whole chain in order; report the first event whose hash or link is wrong."""
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainVerification(checked, expected_sequence, "missing event")
        if event.previous_hash != expected_previous:
            return ChainVerification(checked, event.sequence, "broken link to the previous event")
        if event_hash(event) != event.hash:
            return ChainVerification(checked, event.sequence, "content does not match its hash")
        expected_previous, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (expected_sequence - 1, expected_previous):
        return ChainVerification(checked, expected_sequence, "missing event")
    return ChainVerification(checked, None)


_maintenance = {"enabled": False}


def audit_maintenance_enabled() -> bool:
    return _maintenance["enabled"]


@contextmanager
def audit_maintenance():
    """Lift the append-only triggers for this connection: only the test harness's table flush uses it.

    PostgreSQL reads a session setting; SQLite calls back into ``audit_maintenance_enabled``.
    """
    _maintenance["enabled"] = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('secretariat.audit_maintenance', 'on', false)")
    try:
        yield
    finally:
        _maintenance["enabled"] = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('secretariat.audit_maintenance', 'off', false)")
