"""The finance roles are privileged:
granting one takes four eyes and holding one a second factor."""

from django.db import migrations

from secretariat.core.migration_support import mark_privileged_roles

PRIVILEGED = ['finance_officer', 'finance_certifier', 'finance_approver', 'chief_accountant', 'treasury_officer', 'contributions_officer']


class Migration(migrations.Migration):
    dependencies = [("finance", "0004_journal_line_obligation"), ("core", "0006_privileged_roles")]

    operations = [
        migrations.RunPython(*mark_privileged_roles(PRIVILEGED)),
    ]
