"""The benchmarks' database: a good neighbour on a shared PostgreSQL server.

PostgreSQL (``DATABASE_URL`` starting with ``postgres``): a benchmark uses exactly the database
that ``DATABASE_URL`` names, never a name of its own, and never drops anything ``WITH (FORCE)``.

* The database does not exist: it is created (through the ``postgres`` maintenance database of
  the same server, with the same credentials) and dropped at the end, without FORCE.
* It exists and is empty (no tables, functions, types or schemas of its own; extensions are
  allowed): the benchmark runs in it and at the end drops every object that was not there before
  the run (tables, views, sequences, functions, types, text search objects, schemas and
  extensions); the database itself stays.
* It exists and holds objects of its own (e.g. tables): the benchmark refuses to run and touches
  nothing (``SystemExit`` with a message naming the database). The one exception is a database
  carrying the benchmark's ``reuse_marker`` table (``search.py --reuse`` on what an earlier
  ``--keep`` run left), which the caller then keeps.
* The maintenance databases (``postgres``, ``template0``, ``template1``) are refused.

If the clean-up fails (e.g. another session is still connected after a few retries), a warning on
stderr says what was left behind; the benchmark's figures are still printed.

SQLite (no ``DATABASE_URL``, or another scheme): a temporary directory as ``SECRETARIAT_VAR_DIR``
(the settings put the SQLite file there), removed at the end.
"""

import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

MAINTENANCE_DATABASES = {"postgres", "template0", "template1"}

# Objects a run may create, outside the system schemas and not members of an extension (dropping
# the extension drops those); oid >= 16384 leaves out what initdb made (e.g. the public schema).
OBJECTS = """
WITH objects(classid, objid) AS (
    SELECT 'pg_namespace'::regclass, oid FROM pg_namespace
     WHERE oid >= 16384 AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
    UNION ALL SELECT 'pg_extension'::regclass, oid FROM pg_extension WHERE oid >= 16384
    UNION ALL SELECT 'pg_class'::regclass, oid FROM pg_class
     WHERE oid >= 16384 AND relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
    UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE oid >= 16384
    UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE oid >= 16384 AND typtype IN ('d', 'e', 'r')
    UNION ALL SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config WHERE oid >= 16384
    UNION ALL SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict WHERE oid >= 16384
    UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE oid >= 16384
    UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oid >= 16384
)
SELECT o.classid::oid, o.objid, i.type, i.identity
  FROM objects o, pg_identify_object(o.classid, o.objid, 0) i
 WHERE (i.schema IS NULL OR (i.schema NOT LIKE 'pg\\_%' AND i.schema <> 'information_schema'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = o.classid AND d.objid = o.objid
                                               AND d.deptype IN ('e', 'i'))
"""
# Drop order (CASCADE, IF EXISTS: what an earlier drop took along is skipped).
DROP_ORDER = ["schema", "extension", "materialized view", "view", "foreign table", "table", "sequence",
              "aggregate", "procedure", "function", "operator", "text search configuration",
              "text search dictionary", "collation", "composite type", "type", "domain"]


def _close_django_connections() -> None:
    """Close this process's Django connections, if it uses Django (no DROP while they are open)."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


@dataclass
class PostgresDatabase:
    """The database ``DATABASE_URL`` names, prepared for a benchmark (see the module docstring)."""

    url: str
    name: str
    created: bool
    objects_before: frozenset = field(default_factory=frozenset)

    @property
    def admin_url(self) -> str:
        return urlunsplit(urlsplit(self.url)._replace(path="/postgres"))

    def exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE`` without FORCE, retrying while sessions are still closing; warns on failure."""
        import psycopg
        from psycopg import sql

        for attempt in range(5):
            try:
                with psycopg.connect(self.admin_url, autocommit=True) as admin:
                    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
                return
            except psycopg.errors.ObjectInUse as error:
                if attempt == 4:
                    print(f"bench: database {name!r} left in place, still in use: {error}", file=sys.stderr)
                    return
                time.sleep(2)

    def clean_up(self) -> None:
        """Drop the database if this run created it, else drop the objects the run added to it."""
        _close_django_connections()
        if self.created:
            self.drop_database(self.name)
            return
        import psycopg

        try:
            with psycopg.connect(self.url, autocommit=True) as connection:
                added = [row for row in connection.execute(OBJECTS).fetchall()
                         if (row[0], row[1]) not in self.objects_before]
                added.sort(key=lambda row: DROP_ORDER.index(row[2]) if row[2] in DROP_ORDER else len(DROP_ORDER))
                with connection.transaction():
                    for _classid, _objid, kind, identity in added:
                        keyword = "TYPE" if kind == "composite type" else kind.upper()
                        connection.execute(f"DROP {keyword} IF EXISTS {identity} CASCADE")
        except psycopg.Error as error:
            print(f"bench: could not remove what the run wrote to database {self.name!r}: {error}", file=sys.stderr)


def postgres_database(url: str | None = None, *, reuse_marker: str | None = None) -> PostgresDatabase | None:
    """Prepare the database ``url`` (default ``DATABASE_URL``) names; None unless it is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "") if url is None else url
    if not url.startswith("postgres"):
        return None
    import psycopg
    from psycopg import sql

    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or name in MAINTENANCE_DATABASES:
        raise SystemExit(f"bench: DATABASE_URL must name the benchmark's own database, not {name or 'none'!r}.")
    database = PostgresDatabase(url=url, name=name, created=False)
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            database.created = True
            return database
    with psycopg.connect(url, autocommit=True) as connection:
        objects = connection.execute(OBJECTS).fetchall()
        if reuse_marker and connection.execute("SELECT to_regclass(%s)", [reuse_marker]).fetchone()[0]:
            database.objects_before = frozenset((row[0], row[1]) for row in objects)
            return database
    own = [identity for _classid, _objid, kind, identity in objects if kind != "extension"]
    if own:
        raise SystemExit(
            f"bench: database {name!r} (from DATABASE_URL) already exists and is not empty ({len(own)} "
            f"objects of its own, e.g. {', '.join(sorted(own)[:3])}); the benchmark refuses to write into it. Point DATABASE_URL "
            f"at a database that does not exist (created and dropped by the run) or is empty.")
    database.objects_before = frozenset((row[0], row[1]) for row in objects)
    return database


def prepare(prefix: str) -> tuple[str, callable]:
    """Point Django (through the environment) at the benchmark's database; returns vendor, clean-up."""
    database = postgres_database()
    if database is not None:
        return "postgresql", database.clean_up
    os.environ.pop("DATABASE_URL", None)
    directory = tempfile.mkdtemp(prefix=prefix)
    os.environ["SECRETARIAT_VAR_DIR"] = directory

    def remove() -> None:
        _close_django_connections()
        shutil.rmtree(directory, ignore_errors=True)

    return "sqlite", remove
