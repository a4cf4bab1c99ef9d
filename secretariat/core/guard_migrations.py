"""Migration helper for ADR 0006: rewrite an app's PostgreSQL guard functions so that the test
harness's maintenance switch is honoured only for members of the guarded table's owner role.

The functions are rewritten from their current definitions (``pg_get_functiondef``), so a guard
another migration redefined keeps everything else it does.
"""

LIFTABLE_BY_ANY_SESSION = "current_setting('secretariat.audit_maintenance', true) = 'on'"
LIFTABLE_BY_THE_OWNER = "secretariat_maintenance_allowed(TG_RELID)"


def guards_not_liftable(prefix: str):
    """A RunPython forward function for the guard functions whose names start with ``prefix``."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite's switch is an in-process flag: no SQL session can set it
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE %s AND p.prosrc LIKE %s ORDER BY p.proname",
                [prefix.replace("_", r"\_") + "%", "%" + LIFTABLE_BY_ANY_SESSION.replace("_", r"\_") + "%"])
            definitions = [row[0] for row in cursor.fetchall()]
        for definition in definitions:
            schema_editor.execute(definition.replace(LIFTABLE_BY_ANY_SESSION, LIFTABLE_BY_THE_OWNER), params=None)

    return forward
