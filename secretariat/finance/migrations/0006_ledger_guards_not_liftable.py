"""Ledger guards no session setting of the application's role can lift, and period balances kept
by the database (ADR 0006, amending ADRs 0010 and 0011).

* The immutability guard yields only to the owner role's maintenance switch
  (``secretariat_maintenance_allowed``, core 0008).
* A line's UPDATE or DELETE is re-checked for the entry's balance at commit, as its INSERT is.
* An entry becomes posted (inserted as posted, or its status changed) only into an open period,
  read from the period row; a line joins a posted entry only while that entry's period is open.
* ``finance_periodbalance`` is kept by the database: posting an entry (its status becoming
  posted, or lines inserted into an entry posted in that statement's transaction) adds its lines.
  The functions doing so are SECURITY DEFINER, so the application's role needs no write
  privilege on the table (``grant_application_role`` grants SELECT only), and a guard refuses
  every write that does not come from them (trigger depth), whoever the user.

SQLite (no roles: the embedded default trusts its process) gets the same balance re-check,
closed-period check and balance maintenance as row triggers. A later migration that rebuilds
``finance_journalline`` on SQLite must drop and re-create the triggers here that mention it.
"""

from django.db import migrations

LEDGER = "('posted', 'reversed')"

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION finance_refuse_posted_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
BEGIN
    IF secretariat_maintenance_allowed(TG_RELID) THEN
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

-- The balance check now follows every change of a line: the entries it leaves and joins.
CREATE OR REPLACE FUNCTION finance_check_entry_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_entry_ids bigint[];
    v_entry_id bigint;
    v_status text;
BEGIN
    IF TG_TABLE_NAME = 'finance_journalentry' THEN
        v_entry_ids := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        v_entry_ids := ARRAY[NEW.entry_id];
    ELSIF TG_OP = 'DELETE' THEN
        v_entry_ids := ARRAY[OLD.entry_id];
    ELSE
        v_entry_ids := ARRAY[NEW.entry_id, OLD.entry_id];
    END IF;
    FOREACH v_entry_id IN ARRAY v_entry_ids LOOP
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
    END LOOP;
    RETURN NULL;
END $$;
DROP TRIGGER finance_line_entry_balanced ON finance_journalline;
CREATE CONSTRAINT TRIGGER finance_line_entry_balanced AFTER INSERT OR UPDATE OR DELETE ON finance_journalline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_check_entry_balance();

-- Posting is gated on the period's own status, not on anything the entry row claims.
CREATE FUNCTION finance_refuse_posting_into_closed_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_period_status text;
BEGIN
    IF NEW.status IN ('posted', 'reversed') AND (TG_OP = 'INSERT' OR OLD.status NOT IN ('posted', 'reversed')) THEN
        SELECT status INTO v_period_status FROM finance_fiscalperiod WHERE id = NEW.period_id;
        IF v_period_status IS DISTINCT FROM 'open' THEN
            RAISE EXCEPTION 'fiscal period % is not open: journal entry % cannot be posted into it',
                NEW.period_id, NEW.number USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER finance_journalentry_posted_into_open_period BEFORE INSERT OR UPDATE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_posting_into_closed_period();

CREATE OR REPLACE FUNCTION finance_refuse_line_into_posted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
    v_posted_at timestamptz;
    v_period_status text;
BEGIN
    SELECT e.status, e.posted_at, p.status INTO v_status, v_posted_at, v_period_status
    FROM finance_journalentry e JOIN finance_fiscalperiod p ON p.id = e.period_id WHERE e.id = NEW.entry_id;
    IF v_status IN ('posted', 'reversed')
       AND (v_posted_at IS NULL OR v_posted_at < now() OR v_period_status IS DISTINCT FROM 'open') THEN
        RAISE EXCEPTION 'lines of posted journal entries are immutable: INSERT refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- Period balances: added by the database when lines become part of the ledger.
CREATE FUNCTION finance_balances_add_inserted_lines() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
BEGIN
    INSERT INTO finance_periodbalance (period_id, fund_id, account_id, debit_usd, credit_usd)
    SELECT e.period_id, l.fund_id, l.account_id, SUM(l.debit_usd), SUM(l.credit_usd)
    FROM new_lines l JOIN finance_journalentry e ON e.id = l.entry_id
    WHERE e.status = 'posted'
    GROUP BY e.period_id, l.fund_id, l.account_id
    ORDER BY e.period_id, l.fund_id, l.account_id
    ON CONFLICT (period_id, fund_id, account_id) DO UPDATE
    SET debit_usd = finance_periodbalance.debit_usd + excluded.debit_usd,
        credit_usd = finance_periodbalance.credit_usd + excluded.credit_usd;
    RETURN NULL;
END $$;
CREATE TRIGGER finance_journalline_into_period_balances AFTER INSERT ON finance_journalline
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION finance_balances_add_inserted_lines();

CREATE FUNCTION finance_balances_add_posted_entries() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
BEGIN
    INSERT INTO finance_periodbalance (period_id, fund_id, account_id, debit_usd, credit_usd)
    SELECT n.period_id, l.fund_id, l.account_id, SUM(l.debit_usd), SUM(l.credit_usd)
    FROM new_entries n JOIN old_entries o ON o.id = n.id JOIN finance_journalline l ON l.entry_id = n.id
    WHERE n.status = 'posted' AND o.status NOT IN ('posted', 'reversed')
    GROUP BY n.period_id, l.fund_id, l.account_id
    ORDER BY n.period_id, l.fund_id, l.account_id
    ON CONFLICT (period_id, fund_id, account_id) DO UPDATE
    SET debit_usd = finance_periodbalance.debit_usd + excluded.debit_usd,
        credit_usd = finance_periodbalance.credit_usd + excluded.credit_usd;
    RETURN NULL;
END $$;
CREATE TRIGGER finance_journalentry_into_period_balances AFTER UPDATE ON finance_journalentry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION finance_balances_add_posted_entries();

CREATE FUNCTION finance_refuse_balance_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 OR secretariat_maintenance_allowed(TG_RELID) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'period balances are kept by posting journal entries: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER finance_periodbalance_kept_by_posting BEFORE INSERT OR UPDATE OR DELETE ON finance_periodbalance
    FOR EACH ROW EXECUTE FUNCTION finance_refuse_balance_change();
CREATE TRIGGER finance_periodbalance_no_truncate BEFORE TRUNCATE ON finance_periodbalance
    FOR EACH STATEMENT EXECUTE FUNCTION finance_refuse_balance_change();
"""

SQLITE_UNBALANCED = """
    EXISTS (SELECT 1 FROM finance_journalline WHERE entry_id = {entry} GROUP BY fund_id
            HAVING ABS(SUM(debit_usd) - SUM(credit_usd)) >= 0.00005 OR SUM(debit_usd) = 0)
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER finance_entry_posted_into_open_period BEFORE UPDATE OF status ON finance_journalentry
       WHEN NEW.status IN {LEDGER} AND OLD.status NOT IN {LEDGER}
            AND (SELECT status FROM finance_fiscalperiod WHERE id = NEW.period_id) IS NOT 'open'
       BEGIN SELECT RAISE(ABORT, 'the fiscal period is not open: the journal entry cannot be posted into it'); END""",
    f"""CREATE TRIGGER finance_line_update_balanced AFTER UPDATE ON finance_journalline
       WHEN ((SELECT status FROM finance_journalentry WHERE id = NEW.entry_id) IN {LEDGER}
             AND {SQLITE_UNBALANCED.format(entry="NEW.entry_id")})
         OR ((SELECT status FROM finance_journalentry WHERE id = OLD.entry_id) IN {LEDGER}
             AND {SQLITE_UNBALANCED.format(entry="OLD.entry_id")})
       BEGIN SELECT RAISE(ABORT, 'journal entry does not balance in USD per fund'); END""",
    f"""CREATE TRIGGER finance_entry_into_period_balances AFTER UPDATE OF status ON finance_journalentry
       WHEN NEW.status = 'posted' AND OLD.status NOT IN {LEDGER}
       BEGIN
         INSERT INTO finance_periodbalance (period_id, fund_id, account_id, debit_usd, credit_usd)
         SELECT NEW.period_id, fund_id, account_id, SUM(debit_usd), SUM(credit_usd)
         FROM finance_journalline WHERE entry_id = NEW.id
         GROUP BY fund_id, account_id ORDER BY fund_id, account_id
         ON CONFLICT (period_id, fund_id, account_id) DO UPDATE
         SET debit_usd = finance_periodbalance.debit_usd + excluded.debit_usd,
             credit_usd = finance_periodbalance.credit_usd + excluded.credit_usd;
       END""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT quote_ident(current_schema())")
            schema = cursor.fetchone()[0]
        schema_editor.execute(POSTGRES_FORWARD.replace("{schema}", schema), params=None)
    else:
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("finance", "0005_privileged_roles"), ("core", "0008_audit_keyed_chain")]
    operations = [migrations.RunPython(forward)]  # irreversible: weakening the guards is not a migration
