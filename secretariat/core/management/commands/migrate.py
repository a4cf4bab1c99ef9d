from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from secretariat.core.database_roles import connected_as_owner


class Command(DjangoMigrateCommand):
    """Django's migrate, run as the owner role when ``SECRETARIAT_MIGRATION_DATABASE_URL`` is set
    (ADR 0006): the application's own role may not create or alter tables."""

    def handle(self, *args, **options):
        with connected_as_owner(options["database"]):
            return super().handle(*args, **options)
