"""Records guards no session setting of the application's role can lift (ADR 0006): every
content guard function asks ``secretariat_maintenance_allowed`` (core 0008) instead of reading
the maintenance setting alone. Rewritten from the functions' current definitions, so the
retention guard of 0006 keeps what it adds."""

from django.db import migrations

from secretariat.core.guard_migrations import guards_not_liftable


class Migration(migrations.Migration):
    dependencies = [('content', '0006_retention_guard'), ('core', '0008_audit_keyed_chain')]

    operations = [migrations.RunPython(guards_not_liftable("content_"))]  # irreversible on purpose
