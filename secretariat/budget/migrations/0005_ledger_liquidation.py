"""Journal lines that name a commitment liquidate it at posting (ADR 0053).

A new movement kind (``liquidation_reversed``: a ledger reversal gives a liquidation back to its
commitment), and an entry's movements are unique per allotment for direct charges and per
commitment for liquidations, since one entry may do both on one allotment.

On SQLite, changing the kinds' check constraint rebuilds ``budget_budgetmovement``, which drops
its append-only triggers (0002); they are put back at the end (and, going back, at the start).
"""

import importlib

from django.db import migrations, models

ledger_expenditure = importlib.import_module(
    "secretariat.budget.migrations.0004_appropriation_fund_and_ledger_expenditure")
KINDS = ["allotted", "committed", "liquidated", "expended", "expenditure_reversed", "liquidation_reversed",
         "cancelled", "redeployed_out", "redeployed_in"]
restore_movement_triggers = ledger_expenditure.restore_movement_triggers


class Migration(migrations.Migration):
    dependencies = [("budget", "0004_appropriation_fund_and_ledger_expenditure"),
                    ("finance", "0004_journal_line_obligation")]

    operations = [
        # Going back, the movements table is rebuilt again (old kinds constraint): triggers last.
        migrations.RunPython(migrations.RunPython.noop, restore_movement_triggers),
        migrations.RemoveConstraint(model_name="budgetmovement", name="budget_movement_kind_valid"),
        migrations.RemoveConstraint(model_name="budgetmovement", name="budget_movement_entry_once_per_allotment"),
        migrations.AlterField(
            model_name="budgetmovement", name="kind",
            field=models.CharField(choices=[
                ("allotted", "Allotment issued or increased"), ("committed", "Commitment raised"),
                ("liquidated", "Commitment liquidated by expenditure"), ("expended", "Expenditure without commitment"),
                ("expenditure_reversed", "Expenditure reversed in the ledger"),
                ("liquidation_reversed", "Liquidation reversed in the ledger"), ("cancelled", "Commitment cancelled"),
                ("redeployed_out", "Redeployed out"), ("redeployed_in", "Redeployed in")],
                max_length=20, verbose_name="movement"),
        ),
        migrations.AddConstraint(
            model_name="budgetmovement",
            constraint=models.CheckConstraint(condition=models.Q(kind__in=KINDS), name="budget_movement_kind_valid"),
        ),
        migrations.AddConstraint(
            model_name="budgetmovement",
            constraint=models.UniqueConstraint(
                condition=models.Q(journal_entry__isnull=False, commitment__isnull=True),
                fields=("journal_entry", "allotment"), name="budget_movement_entry_once_per_allotment"),
        ),
        migrations.AddConstraint(
            model_name="budgetmovement",
            constraint=models.UniqueConstraint(
                condition=models.Q(journal_entry__isnull=False, commitment__isnull=False),
                fields=("journal_entry", "commitment"), name="budget_movement_entry_once_per_commitment"),
        ),
        migrations.RunPython(restore_movement_triggers, migrations.RunPython.noop),
    ]
