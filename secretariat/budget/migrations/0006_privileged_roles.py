"""The budget roles that control funds are privileged:
granting one takes four eyes and holding one a second factor."""

from django.db import migrations

from secretariat.core.migration_support import mark_privileged_roles

PRIVILEGED = ['budget_officer', 'certifying_unit_officer']


class Migration(migrations.Migration):
    dependencies = [("budget", "0005_ledger_liquidation"), ("core", "0006_privileged_roles")]

    operations = [
        migrations.RunPython(*mark_privileged_roles(PRIVILEGED)),
    ]
