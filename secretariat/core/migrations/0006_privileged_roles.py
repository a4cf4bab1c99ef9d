"""Roles gain a privileged flag; the core roles that administer access and read the audit trail
are privileged: granting one takes four eyes and holding one a second factor."""

from django.db import migrations, models

from secretariat.core.migration_support import mark_privileged_roles

PRIVILEGED = ['administrator', 'access_administrator', 'auditor']


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_sealed_after_commit")]

    operations = [
        migrations.AddField(
            model_name="role", name="is_privileged",
            field=models.BooleanField(default=False, verbose_name="privileged"),
        ),
        migrations.RunPython(*mark_privileged_roles(PRIVILEGED)),
    ]
