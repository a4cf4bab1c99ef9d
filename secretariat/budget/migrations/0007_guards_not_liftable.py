"""Budget guards no session setting of the application's role can lift (ADR 0006): the movement
journal's append-only guard asks ``secretariat_maintenance_allowed`` (core 0008)."""

from django.db import migrations

from secretariat.core.guard_migrations import guards_not_liftable


class Migration(migrations.Migration):
    dependencies = [("budget", "0006_privileged_roles"), ("core", "0008_audit_keyed_chain")]

    operations = [migrations.RunPython(guards_not_liftable("budget_"))]  # irreversible on purpose
