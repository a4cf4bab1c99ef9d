"""Database triggers that keep the ledger honest whatever writes to it (ADR 0010).

* A posted (or reversed) entry balances in USD per fund and has lines — checked at commit on
  PostgreSQL by DEFERRABLE INITIALLY DEFERRED constraint triggers on entries and lines; on
  SQLite when an entry's status becomes posted (an entry cannot be inserted as posted there, and
  no line can be added to a posted entry).
* Posted entries and their lines are immutable: no UPDATE or DELETE of lines, and the only
  change to a posted entry is its status becoming "reversed".

Like the audit trail's triggers, they yield only to the test harness's table flush
(``secretariat.audit_maintenance`` session setting / ``secretariat_audit_maintenance()``).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION finance_check_entry_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_entry_id bigint;
    v_status text;
BEGIN
    IF TG_TABLE_NAME = 'finance_journalentry' THEN
        v_entry_id := NEW.id;
    ELSE
        v_entry_id := NEW.entry_id;
    END IF;
    SELECT status INTO v_status FROM finance_journalentry WHERE id = v_entry_id;
    -- The entry's lines are fetched first (materialized, through the entry_id index), then
    -- grouped: the planner must not walk a whole fund's lines to group them.
    IF v_status IN ('posted', 'reversed') AND (
        NOT EXISTS (SELECT 1 FROM finance_journalline WHERE entry_id = v_entry_id)
        OR EXISTS (WITH entry_lines AS MATERIALIZED (
                       SELECT fund_id, debit_usd, credit_usd FROM finance_journalline WHERE entry_id = v_entry_id)
                   SELECT 1 FROM entry_lines GROUP BY fund_id
                   HAVING SUM(debit_usd) <> SUM(credit_usd) OR SUM(debit_usd) = 0)) THEN
        RAISE EXCEPTION 'journal entry % does not balance in USD per fund', v_entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER finance_entry_balanced AFTER INSERT OR UPDATE ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_check_entry_balance();
CREATE CONSTRAINT TRIGGER finance_line_entry_balanced AFTER INSERT ON finance_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_check_entry_balance();

CREATE FUNCTION finance_refuse_posted_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_TABLE_NAME = 'finance_journalentry' THEN
        IF OLD.status IN ('posted', 'reversed') THEN
            IF TG_OP = 'UPDATE' AND OLD.status = 'posted' AND NEW.status = 'reversed'
               AND NEW.number = OLD.number AND NEW.period_id = OLD.period_id AND NEW.fund_id = OLD.fund_id
               AND NEW.entry_on = OLD.entry_on AND NEW.total_usd = OLD.total_usd
               AND NEW.sequence_number = OLD.sequence_number AND NEW.journal_id = OLD.journal_id THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'posted journal entry % is immutable: % refused', OLD.number, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END IF;
    SELECT status INTO v_status FROM finance_journalentry WHERE id = COALESCE(OLD.entry_id, NEW.entry_id);
    IF v_status IN ('posted', 'reversed') THEN
        RAISE EXCEPTION 'lines of posted journal entries are immutable: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.entry_id <> OLD.entry_id THEN
        SELECT status INTO v_status FROM finance_journalentry WHERE id = NEW.entry_id;
        IF v_status IN ('posted', 'reversed') THEN
            RAISE EXCEPTION 'lines of posted journal entries are immutable: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;

CREATE TRIGGER finance_journalentry_immutable BEFORE UPDATE OR DELETE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_posted_change();
CREATE TRIGGER finance_journalline_immutable BEFORE UPDATE OR DELETE ON finance_journalline
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_posted_change();

-- Lines may be added to a posted entry only in the transaction that posts it (posted_at is then
-- not before the transaction's start); an entry posted earlier is closed.
CREATE FUNCTION finance_refuse_line_into_posted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
    v_posted_at timestamptz;
BEGIN
    SELECT status, posted_at INTO v_status, v_posted_at FROM finance_journalentry WHERE id = NEW.entry_id;
    IF v_status IN ('posted', 'reversed') AND (v_posted_at IS NULL OR v_posted_at < now()) THEN
        RAISE EXCEPTION 'lines of posted journal entries are immutable: INSERT refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER finance_journalline_no_insert_into_posted BEFORE INSERT ON finance_journalline
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_line_into_posted();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER finance_journalline_no_insert_into_posted ON finance_journalline;
DROP FUNCTION finance_refuse_line_into_posted();
DROP TRIGGER finance_journalline_immutable ON finance_journalline;
DROP TRIGGER finance_journalentry_immutable ON finance_journalentry;
DROP FUNCTION finance_refuse_posted_change();
DROP TRIGGER finance_line_entry_balanced ON finance_journalline;
DROP TRIGGER finance_entry_balanced ON finance_journalentry;
DROP FUNCTION finance_check_entry_balance();
"""

SQLITE_UNBALANCED = """
    NOT EXISTS (SELECT 1 FROM finance_journalline WHERE entry_id = NEW.id)
    OR EXISTS (SELECT 1 FROM finance_journalline WHERE entry_id = NEW.id GROUP BY fund_id
               HAVING ABS(SUM(debit_usd) - SUM(credit_usd)) >= 0.00005 OR SUM(debit_usd) = 0)
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER finance_entry_no_posted_insert BEFORE INSERT ON finance_journalentry
       WHEN NEW.status IN ('posted', 'reversed')
       BEGIN SELECT RAISE(ABORT, 'journal entries are inserted as drafts and posted by a status change'); END""",
    f"""CREATE TRIGGER finance_entry_balanced_on_posting BEFORE UPDATE OF status ON finance_journalentry
       WHEN NEW.status = 'posted' AND OLD.status <> 'posted' AND ({SQLITE_UNBALANCED})
       BEGIN SELECT RAISE(ABORT, 'journal entry does not balance in USD per fund'); END""",
    """CREATE TRIGGER finance_entry_immutable BEFORE UPDATE ON finance_journalentry
       WHEN OLD.status IN ('posted', 'reversed') AND NOT secretariat_audit_maintenance()
            AND NOT (OLD.status = 'posted' AND NEW.status = 'reversed' AND NEW.number = OLD.number
                     AND NEW.period_id = OLD.period_id AND NEW.fund_id = OLD.fund_id AND NEW.entry_on = OLD.entry_on
                     AND NEW.total_usd = OLD.total_usd AND NEW.sequence_number = OLD.sequence_number
                     AND NEW.journal_id = OLD.journal_id)
       BEGIN SELECT RAISE(ABORT, 'posted journal entries are immutable: UPDATE refused'); END""",
    """CREATE TRIGGER finance_entry_no_delete BEFORE DELETE ON finance_journalentry
       WHEN OLD.status IN ('posted', 'reversed') AND NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'posted journal entries are immutable: DELETE refused'); END""",
    """CREATE TRIGGER finance_line_no_insert_into_posted BEFORE INSERT ON finance_journalline
       WHEN (SELECT status FROM finance_journalentry WHERE id = NEW.entry_id) IN ('posted', 'reversed')
       BEGIN SELECT RAISE(ABORT, 'lines of posted journal entries are immutable: INSERT refused'); END""",
    """CREATE TRIGGER finance_line_immutable BEFORE UPDATE ON finance_journalline
       WHEN ((SELECT status FROM finance_journalentry WHERE id = OLD.entry_id) IN ('posted', 'reversed')
             OR (SELECT status FROM finance_journalentry WHERE id = NEW.entry_id) IN ('posted', 'reversed'))
            AND NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'lines of posted journal entries are immutable: UPDATE refused'); END""",
    """CREATE TRIGGER finance_line_no_delete BEFORE DELETE ON finance_journalline
       WHEN (SELECT status FROM finance_journalentry WHERE id = OLD.entry_id) IN ('posted', 'reversed')
            AND NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'lines of posted journal entries are immutable: DELETE refused'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER finance_entry_no_posted_insert", "DROP TRIGGER finance_entry_balanced_on_posting",
    "DROP TRIGGER finance_entry_immutable", "DROP TRIGGER finance_entry_no_delete",
    "DROP TRIGGER finance_line_no_insert_into_posted", "DROP TRIGGER finance_line_immutable",
    "DROP TRIGGER finance_line_no_delete",
]


def forward(apps, schema_editor):
    statements = [POSTGRES_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    statements = [POSTGRES_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_ledger")]
    operations = [migrations.RunPython(forward, backward)]
