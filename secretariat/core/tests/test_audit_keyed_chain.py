"""The audit chain is keyed and anchored outside the database (ADR 0006): events the application
did not write are never sealed, a chain rebuilt without the key or cut short is detected, and
the verify command verifies before it seals."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from secretariat.core.audit import (
    audit_maintenance,
    canonical_payload,
    record_audit_event,
    seal_audit_chain,
    verify_audit_chain,
)
from secretariat.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def sealed_events(count: int) -> list[AuditEvent]:
    for index in range(count):
        record_audit_event(actor=None, action="test.event", changes={"n": index})
    seal_audit_chain()
    return list(AuditEvent.objects.order_by("sequence"))


def insert_event_by_sql(action: str) -> int:
    """What any session with INSERT on the table could do: a well-formed row, but no key."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (occurred_at, actor_label, action, target_type, target_id, target_label,"
            " changes) VALUES (%s, 'intruder', %s, '', '', '', '{}')",
            ["2026-03-01T10:00:00+00:00", action])
    return AuditEvent.objects.get(action=action).pk


def test_an_event_inserted_by_sql_is_never_sealed_and_is_reported():
    # given
    sealed_events(2)
    forged = insert_event_by_sql("test.forged")
    record_audit_event(actor=None, action="test.genuine", changes={})
    # when
    sealed_now = seal_audit_chain()
    # then the genuine event is sealed, the forged one is left out of the chain and reported
    assert sealed_now == 1
    assert AuditEvent.objects.get(pk=forged).sequence is None
    result = verify_audit_chain()
    assert (result.is_intact, result.first_broken_sequence, result.events_refused) == (False, None, (forged,))
    with pytest.raises(CommandError, match=rf"Audit events not written by the application \(left unsealed\): "
                                           rf"\[{forged}\]"):
        call_command("verify_audit_chain")


def test_the_command_verifies_before_it_seals(capsys):
    # given a tampered chain and a genuine event waiting to be sealed
    sealed_events(3)
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'test.rewritten' WHERE sequence = 2")
    waiting = record_audit_event(actor=None, action="test.waiting", changes={})
    # when
    with pytest.raises(CommandError, match="Audit chain broken at event 2: content does not match its hash"):
        call_command("verify_audit_chain")
    # then nothing was sealed on top of the broken chain
    assert AuditEvent.objects.get(pk=waiting.pk).sequence is None
    assert '"events_sealed_now": 0' in capsys.readouterr().out


def test_a_chain_rebuilt_without_the_key_is_detected():
    # given someone who can lift the triggers rewrites the last event and re-hashes it with SHA-256
    *_, last = sealed_events(3)
    last.action = "test.rewritten"
    rebuilt = hashlib.sha256(canonical_payload(last)).hexdigest()
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s",
                       [last.action, rebuilt, last.pk])
        cursor.execute("UPDATE core_auditchainhead SET hash = %s", [rebuilt])
    # when
    result = verify_audit_chain()
    # then
    assert (result.first_broken_sequence, result.reason) == (3, "content does not match its hash")


def test_a_chain_cut_short_no_longer_matches_the_checkpoint(capsys):
    # given a verified chain, checkpointed outside the database
    *_, third = sealed_events(3)
    call_command("verify_audit_chain")
    checkpoint = json.loads(capsys.readouterr().out)["checkpoint"]
    assert (checkpoint["sequence"], checkpoint["hash"]) == (3, third.hash)
    # when the newest event is removed and the head rewound to the one before
    second = AuditEvent.objects.get(sequence=2)
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE sequence = 3")
        cursor.execute("UPDATE core_auditchainhead SET sequence = 2, hash = %s", [second.hash])
    # then
    with pytest.raises(CommandError, match="Audit chain broken at event 3: missing event: a checkpoint records "
                                           "event 3"):
        call_command("verify_audit_chain")


def test_moving_the_point_where_keying_began_is_detected(capsys):
    # given
    sealed_events(2)
    call_command("verify_audit_chain")
    capsys.readouterr()
    # when someone declares every event pre-upgrade (plain SHA-256, rebuildable without the key)
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditchainhead SET keyed_from_sequence = 1000")
    # then
    result = verify_audit_chain()
    assert (result.first_broken_sequence, result.reason) == (
        1, "the chain's keying point differs from the checkpoints'")
    assert AuditChainHead.objects.get().keyed_from_sequence == 1000


def test_events_carry_the_applications_mac_and_keyed_hashes(settings):
    # given / when
    event, = sealed_events(1)
    # then a different key verifies neither the MAC nor the chain
    settings.SECRETARIAT_AUDIT_KEY = "another-key"
    result = verify_audit_chain()
    assert (result.first_broken_sequence, result.reason) == (event.sequence, "content does not match its hash")
    record_audit_event(actor=None, action="test.other_key", changes={})
    settings.SECRETARIAT_AUDIT_KEY = "test-suite-only-audit-key-not-secret"
    assert seal_audit_chain() == 0
