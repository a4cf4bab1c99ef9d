"""The audit chain is keyed, and no session setting the application's role can make lifts a guard
(ADR 0006).

* Events still unsealed are sealed first, the old way (plain SHA-256), as the old sealer would
  have; the head then records that events from the next sequence on are chained with HMAC.
* Each event gets a ``mac`` column, which the sealer checks; the triggers keep it unchanged.
* ``secretariat_maintenance_allowed(table)`` (PostgreSQL): the test harness's switch is honoured
  only for a session user who is a member of the role owning the guarded table. Every guard
  function of core is redefined to ask it; finance, budget and content redefine theirs.
"""

import hashlib

from django.db import migrations, models

from secretariat.core.audit import audit_maintenance, canonical_payload

GENESIS_HASH = "0" * 64

POSTGRES = """
CREATE OR REPLACE FUNCTION secretariat_maintenance_allowed(p_table oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(current_setting('secretariat.audit_maintenance', true), '') = 'on'
       AND pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = p_table), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION core_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF secretariat_maintenance_allowed(TG_RELID) THEN
        RETURN COALESCE(NEW, OLD);  -- NULL for TRUNCATE, where it is ignored
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION core_audit_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF secretariat_maintenance_allowed(TG_RELID) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash IS NOT NULL
       AND NEW.previous_hash IS NOT NULL
       AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_label, NEW.ip_address, NEW.action, NEW.target_type,
            NEW.target_id, NEW.target_label, NEW.changes, NEW.mac)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_label, OLD.ip_address, OLD.action, OLD.target_type,
            OLD.target_id, OLD.target_label, OLD.changes, OLD.mac) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION core_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF secretariat_maintenance_allowed(TG_RELID) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.sequence > OLD.sequence AND NEW.id = OLD.id
       AND NEW.keyed_from_sequence IS NOT DISTINCT FROM OLD.keyed_from_sequence THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER core_auditchainhead_no_truncate BEFORE TRUNCATE ON core_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_head_forward_only();
"""
SQLITE = [
    "DROP TRIGGER core_auditevent_no_update",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       WHEN NOT secretariat_audit_maintenance() AND NOT (
           OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash IS NOT NULL
           AND NEW.previous_hash IS NOT NULL
           AND NEW.id IS OLD.id AND NEW.occurred_at IS OLD.occurred_at AND NEW.actor_id IS OLD.actor_id
           AND NEW.actor_label IS OLD.actor_label AND NEW.ip_address IS OLD.ip_address AND NEW.action IS OLD.action
           AND NEW.target_type IS OLD.target_type AND NEW.target_id IS OLD.target_id
           AND NEW.target_label IS OLD.target_label AND NEW.changes IS OLD.changes AND NEW.mac IS OLD.mac)
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END""",
    "DROP TRIGGER core_auditchainhead_forward_only",
    """CREATE TRIGGER core_auditchainhead_forward_only BEFORE UPDATE ON core_auditchainhead
       WHEN (NEW.sequence <= OLD.sequence OR NEW.id IS NOT OLD.id
             OR NEW.keyed_from_sequence IS NOT OLD.keyed_from_sequence) AND NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward: UPDATE refused'); END""",
]


def seal_pending_events_unkeyed(apps, schema_editor):
    """What the sealer before this release would have done with events still waiting for it."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"sequence": 0, "hash": GENESIS_HASH})
    pending = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("pk"))
    for event in pending:
        event.sequence, event.previous_hash = head.sequence + 1, head.hash
        event.hash = hashlib.sha256(canonical_payload(event)).hexdigest()
        event.save(update_fields=["sequence", "previous_hash", "hash"])
        head.sequence, head.hash = event.sequence, event.hash
    if pending:
        head.save(update_fields=["sequence", "hash"])


def key_the_chain_from_here(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    head = AuditChainHead.objects.get(pk=1)
    head.keyed_from_sequence = head.sequence + 1
    with audit_maintenance():  # the old head trigger lets only the sequence move; we are the owner
        head.save(update_fields=["keyed_from_sequence"])
    statements = [POSTGRES] if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [('core', '0007_role_grant_approval')]

    operations = [
        migrations.RunPython(seal_pending_events_unkeyed, migrations.RunPython.noop),
        migrations.AddField(
            model_name='auditchainhead',
            name='keyed_from_sequence',
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='mac',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.RunPython(key_the_chain_from_here, migrations.RunPython.noop),
    ]
