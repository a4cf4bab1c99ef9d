"""Role grants get a status: a privileged role's grant waits (pending) for a second access
administrator's approval. Existing grants stay in force; revoked ones are marked revoked."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_revoked(apps, schema_editor):
    apps.get_model("core", "RoleAssignment").objects.filter(revoked_at__isnull=False).update(status="revoked")


class Migration(migrations.Migration):
    dependencies = [('core', '0006_privileged_roles'), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.AddField(
            model_name="roleassignment", name="status",
            field=models.CharField(
                choices=[("pending", "Awaiting approval"), ("active", "In force"), ("rejected", "Rejected"),
                         ("revoked", "Revoked")],
                default="active", max_length=10, verbose_name="status"),
        ),
        migrations.AddField(
            model_name="roleassignment", name="decided_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="decided by"),
        ),
        migrations.AddField(
            model_name="roleassignment", name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
        ),
        migrations.RunPython(mark_revoked, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=["pending", "active", "rejected", "revoked"]),
                name="core_role_assignment_status_valid"),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(status="revoked", revoked_at__isnull=False)
                | (~models.Q(status="revoked") & models.Q(revoked_at__isnull=True)),
                name="core_role_assignment_revoked_when_revoked_at"),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(condition=~models.Q(decided_by=models.F("granted_by")),
                                              name="core_role_assignment_decider_not_granter"),
        ),
        migrations.AddConstraint(
            model_name="roleassignment",
            constraint=models.CheckConstraint(condition=~models.Q(decided_by=models.F("user")),
                                              name="core_role_assignment_decider_not_grantee"),
        ),
    ]
