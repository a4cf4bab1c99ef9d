"""The audit trail is append-only and hash-chained: tampering is refused or detected."""

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given, settings, strategies as st
from hypothesis.extra.django import TestCase

from secretariat.core.audit import audit_maintenance, record_audit_event, verify_audit_chain
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory


def write_events(count: int, actor=None) -> list[AuditEvent]:
    return [record_audit_event(actor=actor, action="test.event", changes={"n": index}) for index in range(count)]


@pytest.mark.django_db
def test_events_chain_to_their_predecessor():
    first, second = write_events(2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.previous_hash == first.hash
    assert verify_audit_chain().is_intact and verify_audit_chain().events_checked == 2


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
def test_raw_sql_update_and_delete_are_refused():
    write_events(2)
    for statement in ("UPDATE core_auditevent SET action = 'forged' WHERE sequence = 1",
                      "DELETE FROM core_auditevent WHERE sequence = 2"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="TRUNCATE exists on PostgreSQL only")
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
