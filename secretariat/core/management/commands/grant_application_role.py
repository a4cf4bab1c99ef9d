import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from secretariat.core.database_roles import application_role_grants, connected_as_owner


class Command(BaseCommand):
    help = ("Run as the owner role after every migrate (PostgreSQL): give the application's role only the "
            "privileges it needs, on the tables there are now and, by default, on those to come. Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role DATABASE_URL connects as; it must exist and own nothing")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role, database, **options):
        if not re.fullmatch(r"[a-z_][a-z0-9_$]*", role):
            raise CommandError(f"Role names here are plain lower-case identifiers: {role!r} is not one.")
        with connected_as_owner(database) as connection:
            if connection.vendor != "postgresql":
                raise CommandError("Database roles exist on PostgreSQL only; the embedded SQLite default trusts "
                                   "its process (ADR 0006).")
            with transaction.atomic(using=database), connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper, pg_has_role(%s, current_user, 'MEMBER') FROM pg_roles "
                               "WHERE rolname = %s", [role, role])
                found = cursor.fetchone()
                if found is None:
                    raise CommandError(f"There is no role {role}: create it first (CREATE ROLE … LOGIN).")
                if any(found):
                    raise CommandError(f"Role {role} is a superuser or a member of the owner role: the "
                                       f"application's role must own nothing.")
                cursor.execute("SELECT current_schema(), current_database()")
                schema, name = cursor.fetchone()
                tables = connection.introspection.table_names(cursor)
                for statement in application_role_grants(role=role, schema=schema, database=name, tables=tables):
                    cursor.execute(statement)
        self.stdout.write(f"Role {role} may now use the {name} database as the application.")
