"""The database refuses to destroy a record before its retention ends (ADR 0031, addendum).

A declared record (and each of its versions) may be deleted only once ``retain_until`` is past:
kept through that day, due the day after, the same rule as ``selectors.retention_has_ended``. A
record without a retention end (its file not yet closed) cannot be deleted at all. The dates are
compared with the database's current date (UTC, like the application's ``TIME_ZONE``).

The triggers honour the same maintenance switch as the guards of migration 0002, so that only
the test harness's flush lifts them. Also: the disposition outcome "retention not ended" and the
hash a records officer accepted in place of a file's original (fixity).
"""

from django.db import migrations, models

NOT_ENDED = "{ref}.declared_at IS NOT NULL AND ({ref}.retain_until IS NULL OR {ref}.retain_until >= {today})"
POSTGRES_TODAY = "CURRENT_DATE"
SQLITE_TODAY = "date('now')"

POSTGRES_FORWARD = f"""
CREATE FUNCTION content_guard_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'content_document' THEN
        IF {NOT_ENDED.format(ref="OLD", today=POSTGRES_TODAY)} THEN
            RAISE EXCEPTION 'record % is kept until %: its retention has not ended, DELETE refused',
                OLD.id, COALESCE(OLD.retain_until::text, 'a date not yet set')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM content_document d WHERE d.id = OLD.document_id
                  AND {NOT_ENDED.format(ref="d", today=POSTGRES_TODAY)}) THEN
        RAISE EXCEPTION 'record % is under retention: DELETE of its versions refused', OLD.document_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER content_document_retention_guard BEFORE DELETE ON content_document
    FOR EACH ROW EXECUTE FUNCTION content_guard_retention();
CREATE TRIGGER content_version_retention_guard BEFORE DELETE ON content_documentversion
    FOR EACH ROW EXECUTE FUNCTION content_guard_retention();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER content_version_retention_guard ON content_documentversion;
DROP TRIGGER content_document_retention_guard ON content_document;
DROP FUNCTION content_guard_retention();
"""

MAINTENANCE = "NOT secretariat_audit_maintenance()"
SQLITE_FORWARD = [
    f"""CREATE TRIGGER content_record_no_delete_under_retention BEFORE DELETE ON content_document
       WHEN {MAINTENANCE} AND {NOT_ENDED.format(ref="OLD", today=SQLITE_TODAY)}
       BEGIN SELECT RAISE(ABORT, 'record under retention: its retention has not ended, DELETE refused'); END""",
    f"""CREATE TRIGGER content_version_no_delete_under_retention BEFORE DELETE ON content_documentversion
       WHEN {MAINTENANCE} AND EXISTS (SELECT 1 FROM content_document d WHERE d.id = OLD.document_id
       AND {NOT_ENDED.format(ref="d", today=SQLITE_TODAY)})
       BEGIN SELECT RAISE(ABORT, 'record under retention: DELETE of its versions refused'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER content_version_no_delete_under_retention",
                   "DROP TRIGGER content_record_no_delete_under_retention"]


def forward(apps, schema_editor):
    statements = [POSTGRES_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    statements = [POSTGRES_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [('content', '0005_search_heading_and_language_indexes')]

    operations = [
        migrations.AlterField(
            model_name="dispositionitem",
            name="outcome",
            field=models.CharField(choices=[
                ("due", "Due"), ("destroyed", "Destroyed"), ("transferred", "Transferred"),
                ("kept_for_review", "Kept for review"), ("held", "Blocked by a legal hold"),
                ("retention_not_ended", "Kept: retention has not ended")],
                default="due", max_length=20, verbose_name="outcome"),
        ),
        migrations.AddField(
            model_name="storedfile",
            name="accepted_sha256",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="accepted SHA-256"),
        ),
        migrations.RunPython(forward, backward),
    ]
