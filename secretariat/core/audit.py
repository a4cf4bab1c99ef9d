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

The chain is keyed (ADR 0006): hashes are HMAC-SHA256 with ``SECRETARIAT_AUDIT_KEY``, kept
outside the database, and each event carries a MAC of its content made when the application
wrote it; the sealer refuses events whose MAC does not verify (rows someone inserted by SQL).
Events sealed before the upgrade keep their plain SHA-256 hashes, up to the head's
``keyed_from_sequence``. Checkpoints (sequence, hash) are appended to a file outside the
database, so a chain rebuilt or truncated behind the platform's back no longer matches them.
"""

import datetime
import hashlib
import hmac
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from secretariat.core.models import AuditChainHead, AuditEvent
from secretariat.core.request_context import current_request_context

GENESIS_HASH = "0" * 64
HEAD_ID = 1
SEAL_BATCH = 1000
CHECKPOINT_FILE = "checkpoints.jsonl"

logger = logging.getLogger(__name__)


def json_ready(value):
    """Normalise a change set to what a JSON column gives back, so hashes survive a round trip."""
    return json.loads(json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else str(v)))


def content_fields(event: AuditEvent) -> dict:
    """What the event says: everything but its place in the chain."""
    return {
        "occurred_at": event.occurred_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "ip_address": event.ip_address,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "changes": event.changes,
    }


def canonical_json(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_payload(event: AuditEvent) -> bytes:
    return canonical_json({**content_fields(event), "sequence": event.sequence,
                           "previous_hash": event.previous_hash})


def keyed_digest(payload: bytes) -> str:
    return hmac.new(settings.SECRETARIAT_AUDIT_KEY.encode(), payload, hashlib.sha256).hexdigest()


def event_mac(event: AuditEvent) -> str:
    """The application's mark on an event it wrote: HMAC of its content with the audit key."""
    return keyed_digest(canonical_json(content_fields(event)))


def has_valid_mac(event: AuditEvent) -> bool:
    return bool(event.mac) and hmac.compare_digest(event.mac, event_mac(event))


def event_hash(event: AuditEvent, *, keyed: bool = True) -> str:
    """The event's link in the chain; ``keyed=False`` for events sealed before the chain was keyed."""
    payload = canonical_payload(event)
    return keyed_digest(payload) if keyed else hashlib.sha256(payload).hexdigest()


def locked_chain_head(*, skip_if_busy: bool) -> AuditChainHead | None:
    """Lock the head row; with ``skip_if_busy``, None when another sealer holds it (PostgreSQL)."""
    head = AuditChainHead.objects.select_for_update(skip_locked=skip_if_busy).filter(pk=HEAD_ID).first()
    if head is None and not AuditChainHead.objects.filter(pk=HEAD_ID).exists():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=HEAD_ID, defaults={"sequence": 0, "hash": GENESIS_HASH, "keyed_from_sequence": 1})
    return head


IP_ADDRESS_FIELD = AuditEvent._meta.get_field("ip_address")


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
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor_label if actor_label is not None else (actor.get_username() if is_user else ""))[:150],
        ip_address=IP_ADDRESS_FIELD.to_python(ip_address) or None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=json_ready(changes or {}),
    )
    event.mac = event_mac(event)
    event.save(force_insert=True)
    seal_after_commit()
    return event


def seal_after_commit() -> None:
    """Ask for one seal when the current transaction commits, however many events it writes."""
    if not any(callback is seal_audit_chain_quietly for _savepoints, callback, _robust in connection.run_on_commit):
        transaction.on_commit(seal_audit_chain_quietly)


def seal_audit_chain(*, wait: bool = True) -> int:
    """Chain every committed unsealed event the application wrote, oldest first; returns how many
    were sealed.

    An event whose MAC does not verify was not written by ``record_audit_event`` (or was written
    with another key): it is left unsealed and logged, and ``verify_audit_chain`` reports it.
    With ``wait=False`` a sealer that finds the head locked returns at once: the sealer holding
    it seals what has committed by then, and the periodic task picks up any event that committed
    just after that sealer's last look.
    """
    sealed, after_pk, refused = 0, 0, []
    with transaction.atomic():
        head = locked_chain_head(skip_if_busy=not wait)
        if head is None:
            return 0
        while True:
            batch = list(AuditEvent.objects.filter(sequence__isnull=True, pk__gt=after_pk).order_by("pk")[:SEAL_BATCH])
            if not batch:
                break
            after_pk = batch[-1].pk
            sealable = []
            for event in batch:
                if not has_valid_mac(event):
                    refused.append(event.pk)
                    continue
                event.sequence, event.previous_hash = head.sequence + 1, head.hash
                event.hash = event_hash(event)
                head.sequence, head.hash = event.sequence, event.hash
                sealable.append(event)
            write_seals(sealable)
            sealed += len(sealable)
        if sealed:
            head.save(update_fields=["sequence", "hash"])
            commit_without_waiting_for_disk()
    if refused:
        logger.warning("audit events not sealed, their MAC does not verify: %s", refused)
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
    events_refused: tuple[int, ...] = ()  # ids of unsealed events the application did not write

    @property
    def is_intact(self) -> bool:
        return self.first_broken_sequence is None and not self.events_refused


def checkpoint_path():
    return settings.SECRETARIAT_AUDIT_CHECKPOINT_DIR / CHECKPOINT_FILE


def read_checkpoints() -> dict[int, dict]:
    """The checkpoints written so far, by sequence (a missing file means none yet)."""
    try:
        with open(checkpoint_path(), encoding="utf-8") as lines:
            return {(point := json.loads(line))["sequence"]: point for line in lines if line.strip()}
    except FileNotFoundError:
        return {}


def write_audit_checkpoint() -> dict:
    """Append the chain head (sequence, hash, where keying began, when) to the checkpoint file.

    Call it only after a verification found the chain intact: the file vouches for what it
    records. It is opened for appending and synced, and lives outside the database (an
    append-only or write-once store in production), so rebuilding the chain cannot reach it.
    """
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    point = {"sequence": head.sequence if head else 0, "hash": head.hash if head else GENESIS_HASH,
             "keyed_from_sequence": head.keyed_from_sequence if head else 1,
             "at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds")}
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as checkpoints:
        checkpoints.write(json.dumps(point, sort_keys=True) + "\n")
        checkpoints.flush()
        os.fsync(checkpoints.fileno())
    return point


def verify_audit_chain(batch_size: int = 5000) -> ChainVerification:
    """Walk the whole chain in order against the key and the checkpoints; report the first event
    whose hash or link is wrong, and every unsealed event the application did not write."""
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    keyed_from = head.keyed_from_sequence if head else 1
    unsealed = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("pk"))
    pending, refused = len(unsealed), tuple(event.pk for event in unsealed if not has_valid_mac(event))

    def broken(sequence: int, reason: str) -> ChainVerification:
        return ChainVerification(checked, sequence, reason, pending, refused)

    checkpoints, checked = read_checkpoints(), 0
    for point in checkpoints.values():
        if point.get("keyed_from_sequence", keyed_from) != keyed_from:
            return broken(min(keyed_from, point["keyed_from_sequence"]),
                          "the chain's keying point differs from the checkpoints'")
    expected_previous, expected_sequence = GENESIS_HASH, 1
    sealed = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    for event in sealed.iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            return broken(expected_sequence, "missing event")
        if event.previous_hash != expected_previous:
            return broken(event.sequence, "broken link to the previous event")
        if event_hash(event, keyed=event.sequence >= keyed_from) != event.hash:
            return broken(event.sequence, "content does not match its hash")
        if event.sequence in checkpoints and checkpoints[event.sequence]["hash"] != event.hash:
            return broken(event.sequence, "does not match the checkpoint written outside the database")
        expected_previous, expected_sequence, checked = event.hash, event.sequence + 1, checked + 1
    if (head_sequence, head_hash) != (expected_sequence - 1, expected_previous):
        return broken(expected_sequence, "missing event")
    if checkpoints and max(checkpoints) > head_sequence:
        return broken(head_sequence + 1, f"missing event: a checkpoint records event {max(checkpoints)}")
    reason = f"events not written by the application, left unsealed: {list(refused)}" if refused else ""
    return ChainVerification(checked, None, reason, pending, refused)


_maintenance = {"enabled": False}


def audit_maintenance_enabled() -> bool:
    return _maintenance["enabled"]


@contextmanager
def audit_maintenance():
    """Lift the guard triggers for this connection: only the test harness's table flush uses it.

    PostgreSQL reads a session setting, honoured only for a session user who is a member of the
    guarded table's owner role (ADR 0006), so the application's role cannot lift anything;
    SQLite, which has no roles, calls back into ``audit_maintenance_enabled`` in this process.
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
