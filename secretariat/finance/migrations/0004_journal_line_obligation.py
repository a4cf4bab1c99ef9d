"""Journal lines (and vendor invoices) may name the obligation an expense liquidates (ADR 0053).

On SQLite, adding a column that is not nullable rebuilds ``finance_journalline``. The rebuild
drops the lines' integrity triggers (0002), and SQLite refuses to rename the rebuilt table while a
trigger on ``finance_journalentry`` refers to the lines: every trigger that mentions the lines
goes first and comes back after (in both directions). On PostgreSQL the column is added with a
constant default: no row is rewritten and the triggers stay.
"""

import importlib
import re

from django.db import migrations, models

ledger_integrity = importlib.import_module("secretariat.finance.migrations.0002_ledger_integrity_triggers")
SQLITE_TRIGGERS_ON_LINES = [statement for statement in ledger_integrity.SQLITE_FORWARD
                            if "finance_journalline" in statement]


def drop_triggers_on_lines(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS_ON_LINES:
            name = re.search(r"CREATE TRIGGER (\w+)", statement).group(1)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


def create_triggers_on_lines(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS_ON_LINES:
            schema_editor.execute(statement, params=None)


def obligation_field():
    return models.CharField(blank=True, default="", db_default="", max_length=50, verbose_name="obligation",
                            help_text="Number of the obligation (commitment) this expense liquidates.")


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_reference_data")]

    operations = [
        migrations.RunPython(drop_triggers_on_lines, create_triggers_on_lines),
        migrations.AddField(model_name="journalline", name="obligation", field=obligation_field()),
        migrations.AddField(model_name="vendorinvoice", name="obligation", field=obligation_field()),
        migrations.AddIndex(
            model_name="journalline",
            index=models.Index(condition=~models.Q(obligation=""), fields=["obligation"],
                               name="finance_line_obligation"),
        ),
        migrations.RunPython(create_triggers_on_lines, drop_triggers_on_lines),
    ]
