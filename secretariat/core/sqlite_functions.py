"""SQL functions the SQLite triggers call (registered on every new connection)."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from secretariat.core.audit import audit_maintenance_enabled


@receiver(connection_created)
def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "secretariat_audit_maintenance", 0, lambda: int(audit_maintenance_enabled()), deterministic=False
        )
