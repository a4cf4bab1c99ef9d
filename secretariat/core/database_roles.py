"""The two database roles of ADR 0006: the owner runs migrations and owns every table; the
application's role owns nothing and holds only the privileges granted here."""

from contextlib import contextmanager

import dj_database_url
from django.conf import settings
from django.db import connections

# Tables the application's role may change only narrowly (the rest: SELECT, INSERT, UPDATE, DELETE).
# The audit trail takes inserts and the sealer's three columns; the chain head moves forward;
# period balances are written only by the posting triggers' SECURITY DEFINER functions.
NARROW_PRIVILEGES = {
    "core_auditevent": ["SELECT", "INSERT", "UPDATE (sequence, previous_hash, hash)"],
    "core_auditchainhead": ["SELECT", "INSERT", "UPDATE (sequence, hash)"],
    "finance_periodbalance": ["SELECT"],
    "budget_budgetmovement": ["SELECT", "INSERT"],
    "django_migrations": ["SELECT"],
}
OWNER_SETTINGS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def connected_as_owner(alias: str = "default"):
    """Run the block on ``SECRETARIAT_MIGRATION_DATABASE_URL`` (the owner role) when it is set."""
    url = settings.SECRETARIAT_MIGRATION_DATABASE_URL
    connection = connections[alias]
    if not url:
        yield connection
        return
    original = {key: connection.settings_dict.get(key) for key in OWNER_SETTINGS}
    owner = dj_database_url.parse(url)
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in OWNER_SETTINGS})
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(original)


def application_role_grants(*, role: str, schema: str, database: str, tables: list[str]) -> list[str]:
    """The statements that leave ``role`` with only what the application needs; safe to repeat."""
    role, schema, database = (f'"{name}"' for name in (role, schema, database))
    statements = [
        # No temporary tables or objects of its own: they could shadow the tables the guards read.
        f"REVOKE CREATE, TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"REVOKE CREATE, TEMPORARY ON DATABASE {database} FROM {role}",
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
    for table, privileges in NARROW_PRIVILEGES.items():
        if table in tables:
            statements.append(f"REVOKE ALL ON {schema}.{table} FROM {role}")
            statements.extend(f"GRANT {privilege} ON {schema}.{table} TO {role}" for privilege in privileges)
    return statements
