"""Budget movements are append-only (ADR 0051): the database refuses UPDATE and DELETE; on
PostgreSQL, balance identities that need exact decimal arithmetic become check constraints.

Like the audit trail, only the test harness's table flush may lift the triggers, through the same
session setting (PostgreSQL) or connection-registered SQL function (SQLite).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION budget_movement_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('secretariat.audit_maintenance', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'budget movements are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER budget_budgetmovement_append_only BEFORE UPDATE OR DELETE ON budget_budgetmovement
    FOR EACH ROW EXECUTE FUNCTION budget_movement_refuse_change();
CREATE TRIGGER budget_budgetmovement_no_truncate BEFORE TRUNCATE ON budget_budgetmovement
    FOR EACH STATEMENT EXECUTE FUNCTION budget_movement_refuse_change();
"""
# Identities that need exact decimal arithmetic: PostgreSQL's NUMERIC has it, SQLite computes in
# floating point, so there the services and the invariant tests keep them (ADR 0051).
POSTGRES_FORWARD += """
ALTER TABLE budget_allotment ADD CONSTRAINT budget_allotment_balances_foot
    CHECK (available_amount = amount - committed_amount - expended_amount);
ALTER TABLE budget_commitment ADD CONSTRAINT budget_commitment_parts_foot
    CHECK (open_amount = amount - liquidated_amount - cancelled_amount);
ALTER TABLE budget_resourceline ADD CONSTRAINT budget_resource_line_before_recosting_foots
    CHECK (estimate_before_recosting_amount = current_appropriation_amount + technical_adjustments_amount
           + new_mandates_amount + other_changes_amount);
ALTER TABLE budget_resourceline ADD CONSTRAINT budget_resource_line_after_recosting_foots
    CHECK (estimate_after_recosting_amount = estimate_before_recosting_amount + recosting_amount);
"""
POSTGRES_BACKWARD = """
ALTER TABLE budget_resourceline DROP CONSTRAINT budget_resource_line_after_recosting_foots;
ALTER TABLE budget_resourceline DROP CONSTRAINT budget_resource_line_before_recosting_foots;
ALTER TABLE budget_commitment DROP CONSTRAINT budget_commitment_parts_foot;
ALTER TABLE budget_allotment DROP CONSTRAINT budget_allotment_balances_foot;
DROP TRIGGER budget_budgetmovement_no_truncate ON budget_budgetmovement;
DROP TRIGGER budget_budgetmovement_append_only ON budget_budgetmovement;
DROP FUNCTION budget_movement_refuse_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER budget_budgetmovement_no_update BEFORE UPDATE ON budget_budgetmovement
       WHEN NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'budget movements are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER budget_budgetmovement_no_delete BEFORE DELETE ON budget_budgetmovement
       WHEN NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'budget movements are append-only: DELETE refused'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER budget_budgetmovement_no_update", "DROP TRIGGER budget_budgetmovement_no_delete"]


def forward(apps, schema_editor):
    statements = [POSTGRES_FORWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    statements = [POSTGRES_BACKWARD] if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forward, backward)]
