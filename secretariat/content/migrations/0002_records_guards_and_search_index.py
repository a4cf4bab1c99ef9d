"""Database guards for records management and the search index objects (ADR 0031, ADR 0032).

- A declared record's key metadata cannot change, and it cannot stop being a record.
- Retention of a record may be extended, never shortened.
- Versions are immutable, and no version is added to a declared record.
- A document (or version) under an active legal hold cannot be deleted, by anyone; the items of
  an active hold cannot be changed or removed.
- Search: PostgreSQL gets a generated tsvector column (language-specific configuration) with a
  GIN index; SQLite gets an external-content FTS5 table kept in step by triggers.

The test harness's flush lifts the guards through the same switch as the audit trail.
"""

from django.db import migrations

HELD = ("EXISTS (SELECT 1 FROM content_legalholditem i JOIN content_legalhold h ON h.id = i.hold_id "
        "WHERE i.document_id = {ref} AND h.released_at IS NULL)")
KEY_COLUMNS = ["title", "language", "classification", "document_type_id", "subject_terms", "custom_fields",
               "author", "document_date", "org_unit_id", "record_class_id", "library_id", "workspace_id",
               "official_document_id"]

POSTGRES_FORWARD = f"""
ALTER TABLE content_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    CASE language
        WHEN 'ar' THEN to_tsvector('arabic'::regconfig, body)
        WHEN 'en' THEN to_tsvector('english'::regconfig, body)
        WHEN 'fr' THEN to_tsvector('french'::regconfig, body)
        WHEN 'ru' THEN to_tsvector('russian'::regconfig, body)
        WHEN 'es' THEN to_tsvector('spanish'::regconfig, body)
        ELSE to_tsvector('simple'::regconfig, body)
    END) STORED;
CREATE INDEX content_searchentry_vector ON content_searchentry USING gin (search_vector);
CREATE INDEX content_searchentry_language ON content_searchentry (language);

CREATE FUNCTION content_guard_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF {HELD.format(ref="OLD.id")} THEN
            RAISE EXCEPTION 'document % is under a legal hold: DELETE refused', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.declared_at IS NOT NULL THEN
        IF NEW.declared_at IS NULL OR {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in KEY_COLUMNS)} THEN
            RAISE EXCEPTION 'document % is a declared record: its key metadata is immutable', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.retain_until IS NOT NULL AND (NEW.retain_until IS NULL OR NEW.retain_until < OLD.retain_until) THEN
            RAISE EXCEPTION 'retention of record % may be extended, never shortened', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER content_document_guard BEFORE UPDATE OR DELETE ON content_document
    FOR EACH ROW EXECUTE FUNCTION content_guard_document();

CREATE FUNCTION content_guard_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM content_document WHERE id = NEW.document_id AND declared_at IS NOT NULL) THEN
            RAISE EXCEPTION 'document % is a declared record: no new version', NEW.document_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF {HELD.format(ref="OLD.document_id")} THEN
            RAISE EXCEPTION 'document % is under a legal hold: DELETE refused', OLD.document_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.file_id <> OLD.file_id OR NEW.number <> OLD.number OR NEW.document_id <> OLD.document_id
       OR NEW.metadata IS DISTINCT FROM OLD.metadata THEN
        RAISE EXCEPTION 'document versions are immutable' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER content_version_guard BEFORE INSERT OR UPDATE OR DELETE ON content_documentversion
    FOR EACH ROW EXECUTE FUNCTION content_guard_version();

CREATE FUNCTION content_guard_hold_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF EXISTS (SELECT 1 FROM content_legalhold WHERE id = OLD.hold_id AND released_at IS NULL) THEN
        RAISE EXCEPTION 'the items of an active legal hold cannot change' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER content_hold_item_guard BEFORE UPDATE OR DELETE ON content_legalholditem
    FOR EACH ROW EXECUTE FUNCTION content_guard_hold_item();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER content_hold_item_guard ON content_legalholditem;
DROP FUNCTION content_guard_hold_item();
DROP TRIGGER content_version_guard ON content_documentversion;
DROP FUNCTION content_guard_version();
DROP TRIGGER content_document_guard ON content_document;
DROP FUNCTION content_guard_document();
DROP INDEX content_searchentry_language;
DROP INDEX content_searchentry_vector;
ALTER TABLE content_searchentry DROP COLUMN search_vector;
"""

MAINTENANCE = "NOT secretariat_audit_maintenance()"
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE content_search_fts USING fts5(body, content='content_searchentry',
       content_rowid='document_id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER content_search_fts_insert AFTER INSERT ON content_searchentry BEGIN
       INSERT INTO content_search_fts(rowid, body) VALUES (new.document_id, new.body); END""",
    """CREATE TRIGGER content_search_fts_delete AFTER DELETE ON content_searchentry BEGIN
       INSERT INTO content_search_fts(content_search_fts, rowid, body) VALUES ('delete', old.document_id, old.body);
       END""",
    """CREATE TRIGGER content_search_fts_update AFTER UPDATE ON content_searchentry BEGIN
       INSERT INTO content_search_fts(content_search_fts, rowid, body) VALUES ('delete', old.document_id, old.body);
       INSERT INTO content_search_fts(rowid, body) VALUES (new.document_id, new.body); END""",
    f"""CREATE TRIGGER content_document_no_delete_held BEFORE DELETE ON content_document
       WHEN {MAINTENANCE} AND {HELD.format(ref="OLD.id")}
       BEGIN SELECT RAISE(ABORT, 'document under a legal hold: DELETE refused'); END""",
    f"""CREATE TRIGGER content_record_key_metadata BEFORE UPDATE ON content_document
       WHEN {MAINTENANCE} AND OLD.declared_at IS NOT NULL AND (NEW.declared_at IS NULL OR
       {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in KEY_COLUMNS)})
       BEGIN SELECT RAISE(ABORT, 'declared record: key metadata is immutable'); END""",
    f"""CREATE TRIGGER content_record_retention_kept BEFORE UPDATE ON content_document
       WHEN {MAINTENANCE} AND OLD.declared_at IS NOT NULL AND OLD.retain_until IS NOT NULL
       AND (NEW.retain_until IS NULL OR NEW.retain_until < OLD.retain_until)
       BEGIN SELECT RAISE(ABORT, 'retention may be extended, never shortened'); END""",
    f"""CREATE TRIGGER content_version_not_on_record BEFORE INSERT ON content_documentversion
       WHEN {MAINTENANCE} AND EXISTS (SELECT 1 FROM content_document WHERE id = NEW.document_id
       AND declared_at IS NOT NULL)
       BEGIN SELECT RAISE(ABORT, 'declared record: no new version'); END""",
    f"""CREATE TRIGGER content_version_immutable BEFORE UPDATE ON content_documentversion
       WHEN {MAINTENANCE} AND (NEW.file_id IS NOT OLD.file_id OR NEW.number IS NOT OLD.number
       OR NEW.document_id IS NOT OLD.document_id OR NEW.metadata IS NOT OLD.metadata)
       BEGIN SELECT RAISE(ABORT, 'document versions are immutable'); END""",
    f"""CREATE TRIGGER content_version_no_delete_held BEFORE DELETE ON content_documentversion
       WHEN {MAINTENANCE} AND {HELD.format(ref="OLD.document_id")}
       BEGIN SELECT RAISE(ABORT, 'document under a legal hold: DELETE refused'); END""",
    f"""CREATE TRIGGER content_hold_item_no_update BEFORE UPDATE ON content_legalholditem
       WHEN {MAINTENANCE} AND EXISTS (SELECT 1 FROM content_legalhold WHERE id = OLD.hold_id
       AND released_at IS NULL)
       BEGIN SELECT RAISE(ABORT, 'the items of an active legal hold cannot change'); END""",
    f"""CREATE TRIGGER content_hold_item_no_delete BEFORE DELETE ON content_legalholditem
       WHEN {MAINTENANCE} AND EXISTS (SELECT 1 FROM content_legalhold WHERE id = OLD.hold_id
       AND released_at IS NULL)
       BEGIN SELECT RAISE(ABORT, 'the items of an active legal hold cannot change'); END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER {name}" for name in (
        "content_hold_item_no_delete", "content_hold_item_no_update", "content_version_no_delete_held",
        "content_version_immutable", "content_version_not_on_record", "content_record_retention_kept",
        "content_record_key_metadata", "content_document_no_delete_held", "content_search_fts_update",
        "content_search_fts_delete", "content_search_fts_insert")
] + ["DROP TABLE content_search_fts"]


def forward(apps, schema_editor):
    statements = [POSTGRES_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    statements = [POSTGRES_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
