"""Writing, sealing and verifying the hash-chained audit trail.

Each event's hash covers its own fields and the previous event's hash, so changing, removing
or reordering any row breaks every hash after it; the chain head row records the newest event,
so removing events at the end is detected as well.

Events are written in the transaction of the change they describe but chained afterwards
(ADR 0005): ``record_audit_event`` inserts the event unsealed, and once that transaction
commits ``seal_audit_chain`` gives the committed unsealed events their sequence and hashes in a
short transaction of its own. Business transactions therefore never queue on the chain head;
only the sealer does, and a sealer that finds another one at work leaves the events to it.
The database lets an unsealed event be sealed once and refuses every other change.
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
SEAL_BATCH = 1000


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


def locked_chain_head(*, skip_if_busy: bool) -> AuditChainHead | None:
    """Lock the head row; with ``skip_if_busy``, None when another sealer holds it (PostgreSQL)."""
    head = AuditChainHead.objects.select_for_update(skip_locked=skip_if_busy).filter(pk=HEAD_ID).first()
    if head is None and not AuditChainHead.objects.filter(pk=HEAD_ID).exists():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=HEAD_ID, defaults={"sequence": 0, "hash": GENESIS_HASH})
    return head


def target_reference(target: Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    return target._meta.label_lower, str(target.pk), str(target)[:255]


@transaction.atomic(savepoint=False)
def record_audit_event(
    *,
    actor,
    action: str,
    target: Model | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one event inside the caller's transaction; it is sealed into the chain after commit.

    ``actor`` may be None for system actions and anonymous security events (then give
    ``actor_label``, e.g. the username tried). The client address defaults to the current
    request's.
    """
    if ip_address is None and (context := current_request_context.get()) is not None:
        ip_address = context.ip_address
    target_type, target_id, target_label = target_reference(target)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor_label if actor_label is not None else (actor.get_username() if is_user else ""))[:150],
        ip_address=ip_address,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=json_ready(changes or {}),
    )
    seal_after_commit()
    return event


def seal_after_commit() -> None:
    """Ask for one seal when the current transaction commits, however many events it writes."""
    if not any(callback is seal_audit_chain_quietly for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(seal_audit_chain_quietly)


def seal_audit_chain(*, wait: bool = True) -> int:
    """Chain every committed unsealed event, oldest first; returns how many were sealed.

    With ``wait=False`` a sealer that finds the head locked returns at once: the sealer holding
    it seals what has committed by then, and the periodic task picks up any event that committed
    just after that sealer's last look.
    """
    sealed = 0
    with transaction.atomic():
        head = locked_chain_head(skip_if_busy=not wait)
        if head is None:
            return 0
        batch = [None] * SEAL_BATCH
        while len(batch) == SEAL_BATCH:
            batch = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("pk")[:SEAL_BATCH])
            for event in batch:
                event.sequence, event.previous_hash = head.sequence + 1, head.hash
                event.hash = event_hash(event)
                head.sequence, head.hash = event.sequence, event.hash
            write_seals(batch)
            sealed += len(batch)
        if sealed:
            head.save(update_fields=["sequence", "hash"])
            commit_without_waiting_for_disk()
    return sealed


def write_seals(events: list[AuditEvent]) -> None:
    """One prepared UPDATE per event, pipelined: a fraction of the cost of ``bulk_update``'s CASE."""
    if events:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {AuditEvent._meta.db_table} SET sequence = %s, previous_hash = %s, hash = %s WHERE id = %s",
                [(event.sequence, event.previous_hash, event.hash, event.pk) for event in events])


def commit_without_waiting_for_disk() -> None:
    """A seal lost in a crash loses nothing: the events stay committed, unsealed, and are sealed
    again by the next sealer. So the seal need not wait for its WAL flush (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def seal_audit_chain_quietly() -> None:
    """After-commit hook: seal without queueing behind another sealer."""
    seal_audit_chain(wait=False)


@dataclass(frozen=True)
class ChainVerification:
    events_checked: int
    first_broken_sequence: int | None
    reason: str = ""
    events_pending: int = 0  # written and committed, not yet sealed into the chain

    @property
    def is_intact(self) -> bool:
        return self.first_broken_sequence is None


def verify_audit_chain(batch_size: int = 5000) -> ChainVerification:
    """Walk the whole chain in order; report the first event whose hash or link is wrong."""
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    pending = AuditEvent.objects.filter(sequence__isnull=True).count()
    sealed = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    for event in sealed.iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return ChainVerification(checked, expected_sequence, "missing event", pending)
        if event.previous_hash != expected_previous:
            return ChainVerification(checked, event.sequence, "broken link to the previous event", pending)
        if event_hash(event) != event.hash:
            return ChainVerification(checked, event.sequence, "content does not match its hash", pending)
        expected_previous, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (expected_sequence - 1, expected_previous):
        return ChainVerification(checked, expected_sequence, "missing event", pending)
    return ChainVerification(checked, None, events_pending=pending)


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
