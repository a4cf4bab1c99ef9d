"""The audit trail is append-only and hash-chained: tampering is refused or detected."""

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings, strategies as st
from hypothesis.extra.django import TestCase

from secretariat.core.audit import (
    audit_maintenance, record_audit_event, seal_audit_chain, verify_audit_chain,
)
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory


def write_events(count: int, actor=None) -> list[AuditEvent]:
    """Write and seal ``count`` events (inside a test's transaction nothing commits to seal them)."""
    events = [record_audit_event(actor=actor, action="test.event", changes={"n": index}) for index in range(count)]
    seal_audit_chain()
    return list(AuditEvent.objects.filter(pk__in=[event.pk for event in events]).order_by("sequence"))


@pytest.mark.django_db
def test_events_chain_to_their_predecessor():
    first, second = write_events(2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.previous_hash == first.hash
    assert verify_audit_chain().is_intact and verify_audit_chain().events_checked == 2


@pytest.mark.django_db
def test_unsealed_events_are_reported_and_sealed_in_the_order_written():
    first, = write_events(1)
    later = [record_audit_event(actor=None, action="test.later", changes={"n": n}) for n in range(3)]
    assert verify_audit_chain().events_pending == 3 and verify_audit_chain().is_intact
    assert seal_audit_chain() == 3
    sealed = AuditEvent.objects.filter(pk__in=[event.pk for event in later]).order_by("sequence")
    assert [event.changes["n"] for event in sealed] == [0, 1, 2]
    assert sealed[0].previous_hash == first.hash
    result = verify_audit_chain()
    assert (result.is_intact, result.events_checked, result.events_pending) == (True, 4, 0)


@pytest.mark.django_db(transaction=True)
def test_events_are_sealed_as_soon_as_their_transaction_commits():
    with transaction.atomic():
        record_audit_event(actor=None, action="test.one", changes={})
        record_audit_event(actor=None, action="test.two", changes={})
        assert AuditEvent.objects.filter(sequence__isnull=True).count() == 2
    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 0
    assert verify_audit_chain().is_intact


@pytest.mark.django_db(transaction=True)
def test_events_of_a_rolled_back_transaction_leave_no_trace():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_audit_event(actor=None, action="test.rolled_back", changes={})
        1 / 0
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()


@pytest.mark.django_db
def test_who_when_from_where_and_what_are_kept(rf):
    user = UserFactory(username="olga")
    event = record_audit_event(actor=user, action="test.changed", target=user, changes={"limit": "5.00"},
                               ip_address="192.0.2.7")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_label, stored.ip_address, stored.target_type, stored.target_id, stored.changes) == (
        "olga", "192.0.2.7", "auth.user", str(user.pk), {"limit": "5.00"})
    assert stored.occurred_at.utcoffset().total_seconds() == 0


@pytest.mark.django_db
def test_orm_update_and_delete_are_refused_by_the_database():
    event, = write_events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
def test_an_unsealed_event_cannot_be_changed_or_sealed_with_other_content():
    event = record_audit_event(actor=None, action="test.unsealed", changes={"n": 1})
    for statement in ("UPDATE core_auditevent SET action = 'test.forged' WHERE id = %s",
                      "UPDATE core_auditevent SET sequence = 99, previous_hash = 'x', hash = 'y', "
                      "action = 'test.forged' WHERE id = %s",
                      "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    seal_audit_chain()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET sequence = sequence + 100 WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.unsealed" and verify_audit_chain().is_intact


@pytest.mark.django_db
def test_raw_sql_update_and_delete_are_refused():
    write_events(2)
    for statement in ("UPDATE core_auditevent SET action = 'forged' WHERE sequence = 1",
                      "DELETE FROM core_auditevent WHERE sequence = 2"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.postgres  # TRUNCATE exists on PostgreSQL only
def test_truncate_is_refused_on_postgresql():
    write_events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_chain_head_cannot_be_rewound():
    write_events(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditchainhead SET sequence = 1")
    assert verify_audit_chain().is_intact


def tamper(sql: str, params: list) -> None:
    """What someone with the power to lift the triggers (a DBA) could do behind the platform's back."""
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(sql, params)


TAMPERINGS = {
    "action": ("UPDATE core_auditevent SET action = 'test.forged' WHERE sequence = %s", "content does not match"),
    "changes": ("UPDATE core_auditevent SET changes = '{\"n\": 999}' WHERE sequence = %s", "content does not match"),
    "actor": ("UPDATE core_auditevent SET actor_label = 'someone-else' WHERE sequence = %s", "content does not match"),
    "delete": ("DELETE FROM core_auditevent WHERE sequence = %s", "missing event"),
}


class TamperingIsDetected(TestCase):
    @settings(max_examples=30, deadline=None)
    @given(length=st.integers(min_value=1, max_value=8), data=st.data(), kind=st.sampled_from(sorted(TAMPERINGS)))
    def test_verification_names_the_first_tampered_event(self, length, data, kind):
        # given
        write_events(length)
        position = data.draw(st.integers(min_value=1, max_value=length))
        sql, reason = TAMPERINGS[kind]
        # when
        tamper(sql, [position])
        result = verify_audit_chain()
        # then
        assert result.first_broken_sequence == position
        assert reason in result.reason


@pytest.mark.django_db
def test_the_periodic_task_and_the_verify_command_seal_what_is_left(capsys):
    from django.core.management import call_command

    from secretariat.core.tasks import seal_audit_events

    record_audit_event(actor=None, action="test.left", changes={})
    assert seal_audit_events.delay().get() == 1
    record_audit_event(actor=None, action="test.left", changes={})
    call_command("verify_audit_chain", "--no-seal")
    assert '"events_pending": 1' in capsys.readouterr().out
    call_command("verify_audit_chain")
    assert '"events_sealed_now": 1' in capsys.readouterr().out
    assert not AuditEvent.objects.filter(sequence__isnull=True).exists()
