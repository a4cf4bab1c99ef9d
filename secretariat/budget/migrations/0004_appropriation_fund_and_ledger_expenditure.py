"""Appropriations name a finance fund; movements remember the journal entry they came from (ADR 0053).

The fund codes already on appropriations are mapped to ``finance.Fund`` rows by code. A code
with no fund stops the migration with the list of missing codes: create those funds in finance
(``services.structure.create_fund``) and migrate again. No fund is created here.

On SQLite, changing the movement kinds' check constraint rebuilds ``budget_budgetmovement``,
which drops its append-only triggers (0002); they are put back at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

KINDS = ["allotted", "committed", "liquidated", "expended", "expenditure_reversed", "cancelled", "redeployed_out",
         "redeployed_in"]
SQLITE_MOVEMENT_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS budget_budgetmovement_no_update BEFORE UPDATE ON budget_budgetmovement
       WHEN NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'budget movements are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS budget_budgetmovement_no_delete BEFORE DELETE ON budget_budgetmovement
       WHEN NOT secretariat_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'budget movements are append-only: DELETE refused'); END""",
]


def map_fund_codes_to_funds(apps, schema_editor):
    Appropriation = apps.get_model("budget", "Appropriation")
    Fund = apps.get_model("finance", "Fund")
    codes = set(Appropriation.objects.values_list("fund_code", flat=True))
    funds = dict(Fund.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = sorted(codes - funds.keys())
    if missing:
        raise RuntimeError(
            "Appropriations name funds that do not exist in finance: " + ", ".join(missing)
            + ". Create them (finance.services.structure.create_fund) and run the migration again.")
    for code, fund_id in funds.items():
        Appropriation.objects.filter(fund_code=code).update(fund_id=fund_id)


def copy_fund_codes_back(apps, schema_editor):
    Appropriation = apps.get_model("budget", "Appropriation")
    for appropriation in Appropriation.objects.select_related("fund"):
        Appropriation.objects.filter(pk=appropriation.pk).update(fund_code=appropriation.fund.code)


def restore_movement_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_MOVEMENT_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("budget", "0003_roles_and_authority"), ("finance", "0003_reference_data")]

    operations = [
        # Going back, the movements table is rebuilt again (old kinds constraint): triggers last.
        migrations.RunPython(migrations.RunPython.noop, restore_movement_triggers),
        migrations.AddField(
            model_name="appropriation", name="fund",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="appropriations", to="finance.fund", verbose_name="fund"),
        ),
        migrations.RemoveConstraint(model_name="appropriation", name="budget_appropriation_unique"),
        # Nullable before it goes, so that going back can re-add it and then fill it.
        migrations.AlterField(model_name="appropriation", name="fund_code",
                              field=models.CharField(max_length=20, null=True, verbose_name="fund")),
        migrations.RunPython(map_fund_codes_to_funds, copy_fund_codes_back),
        migrations.RemoveField(model_name="appropriation", name="fund_code"),
        migrations.AlterField(
            model_name="appropriation", name="fund",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="appropriations",
                                    to="finance.fund", verbose_name="fund"),
        ),
        migrations.AddConstraint(
            model_name="appropriation",
            constraint=models.UniqueConstraint(fields=("fund", "section", "period_start_on"),
                                               name="budget_appropriation_unique"),
        ),
        migrations.AlterModelOptions(
            name="appropriation",
            options={"ordering": ["-period_start_on", "section", "fund__code"], "verbose_name": "appropriation",
                     "verbose_name_plural": "appropriations"},
        ),
        migrations.AddField(
            model_name="budgetmovement", name="journal_entry",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="budget_movements", to="finance.journalentry",
                                    verbose_name="journal entry"),
        ),
        migrations.AlterField(
            model_name="budgetmovement", name="kind",
            field=models.CharField(choices=[
                ("allotted", "Allotment issued or increased"), ("committed", "Commitment raised"),
                ("liquidated", "Commitment liquidated by expenditure"), ("expended", "Expenditure without commitment"),
                ("expenditure_reversed", "Expenditure reversed in the ledger"), ("cancelled", "Commitment cancelled"),
                ("redeployed_out", "Redeployed out"), ("redeployed_in", "Redeployed in")],
                max_length=20, verbose_name="movement"),
        ),
        migrations.RemoveConstraint(model_name="budgetmovement", name="budget_movement_kind_valid"),
        migrations.AddConstraint(
            model_name="budgetmovement",
            constraint=models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="budget_movement_kind_valid"),
        ),
        migrations.AddConstraint(
            model_name="budgetmovement",
            constraint=models.UniqueConstraint(condition=models.Q(journal_entry__isnull=False),
                                               fields=("journal_entry", "allotment"),
                                               name="budget_movement_entry_once_per_allotment"),
        ),
        migrations.RunPython(restore_movement_triggers, restore_movement_triggers),
    ]
