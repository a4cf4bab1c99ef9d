"""Audit events are sealed into the chain after their transaction commits (ADR 0005).

The columns the sealer fills become nullable; the triggers now let an unsealed event be sealed
exactly once, with its content untouched, and the head move forward by any number of events.
On SQLite, altering the columns rebuilds the table, which drops its triggers: they are created
again here.
"""

from django.conf import settings
from django.db import migrations, models

POSTGRES = """
CREATE FUNCTION core_audit_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash IS NOT NULL
       AND NEW.previous_hash IS NOT NULL
       AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_label, NEW.ip_address, NEW.action, NEW.target_type,
            NEW.target_id, NEW.target_label, NEW.changes)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_label, OLD.ip_address, OLD.action, OLD.target_type,
            OLD.target_id, OLD.target_label, OLD.changes) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_audit_seal_only();

CREATE OR REPLACE FUNCTION core_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.sequence > OLD.sequence THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       WHEN NOT secretariat_audit_maintenance() AND NOT (
           OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND NEW.hash IS NOT NULL
           AND NEW.previous_hash IS NOT NULL
           AND NEW.id IS OLD.id AND NEW.occurred_at IS OLD.occurred_at AND NEW.actor_id IS OLD.actor_id
           AND NEW.actor_label IS OLD.actor_label AND NEW.ip_address IS OLD.ip_address AND NEW.action IS OLD.action
           AND NEW.target_type IS OLD.target_type AND NEW.target_id IS OLD.target_id
           AND NEW.target_label IS OLD.target_label AND NEW.changes IS OLD.changes)
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       WHEN NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused'); END""",
    "DROP TRIGGER core_auditchainhead_forward_only",
    """CREATE TRIGGER core_auditchainhead_forward_only BEFORE UPDATE ON core_auditchainhead
       WHEN NEW.sequence <= OLD.sequence AND NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward: UPDATE refused'); END""",
]


def seal_only_triggers(apps, schema_editor):
    statements = [POSTGRES] if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_audit_chain_head'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['-pk'], 'permissions': [('export_auditevent', 'Can export the audit trail')], 'verbose_name': 'audit event', 'verbose_name_plural': 'audit events'},
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True, verbose_name='sequence'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('sequence__isnull', True)), fields=['id'], name='core_audit_unsealed'),
        ),
        migrations.RunPython(seal_only_triggers, migrations.RunPython.noop),
    ]
