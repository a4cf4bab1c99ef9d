"""Roles may read everything: the auditor's role holds every "view_*" permission of every app,
present and future, within the scope of its grant (a global auditor reads all and writes nothing)."""

from django.db import migrations, models


def auditor_reads_everything(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code="auditor").update(reads_everything=True)


def auditor_reads_its_own(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code="auditor").update(reads_everything=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_audit_keyed_chain")]

    operations = [
        migrations.AddField(
            model_name="role", name="reads_everything",
            field=models.BooleanField(default=False, verbose_name="reads everything"),
        ),
        migrations.RunPython(auditor_reads_everything, auditor_reads_its_own),
    ]
