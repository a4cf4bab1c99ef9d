"""Consistent backup of the platform and a verified restore.

A backup is a directory holding the database (``pg_dump`` custom format taken on an exported
snapshot, or an SQLite online-backup copy), a copy of the content store, and ``manifest.json``
listing every file's SHA-256 and size, each table's row count and checksum — the checksums are
computed inside the same snapshot as the dump. ``manifest.sha256`` seals the manifest.

Restore verifies the whole backup against its manifest *before* anything is overwritten, loads
it, then recomputes every table checksum and content hash on the restored platform and fails
loudly on any difference.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from django.db import connection
from django.utils import timezone

from secretariat.continuity.clusters import PG_BIN
from secretariat.content.storage import store_root
from secretariat.continuity.exceptions import (
    BackupFailed,
    CorruptBackup,
    RestoreTargetExists,
    RestoreVerificationFailed,
)

MANIFEST = "manifest.json"
MANIFEST_SEAL = "manifest.sha256"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


def content_store_root() -> Path:
    """Where the content app's content-addressed store keeps its files."""
    return store_root()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def normalised(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                       "ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def table_fingerprints(cursor, vendor: str) -> dict[str, dict]:
    """Row count and an order-independent SHA-256 of every table, read through ``cursor``.

    Each row is hashed from its Python representation; the table checksum hashes the sorted
    row digests, so the physical row order (which a restore may change) does not matter.
    """
    fingerprints = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f'SELECT * FROM "{table}"')
        digests = []
        while rows := cursor.fetchmany(5000):
            digests.extend(hashlib.sha256(repr(tuple(normalised(v) for v in row)).encode()).digest() for row in rows)
        digests.sort()
        fingerprints[table] = {"rows": len(digests), "sha256": hashlib.sha256(b"".join(digests)).hexdigest()}
    return fingerprints


def content_hashes(root: Path) -> dict[str, dict]:
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): {"sha256": file_digest(path), "size": path.stat().st_size}
            for path in sorted(root.rglob("*")) if path.is_file()}


def postgres_parameters(settings_dict: dict, dbname: str | None = None) -> dict:
    parameters = {"host": settings_dict.get("HOST") or "127.0.0.1", "port": settings_dict.get("PORT") or 5432,
                  "user": settings_dict.get("USER") or "postgres", "dbname": dbname or settings_dict["NAME"]}
    if settings_dict.get("PASSWORD"):
        parameters["password"] = settings_dict["PASSWORD"]
    return parameters


def client_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def run_client(arguments: list[str], settings_dict: dict) -> None:
    completed = subprocess.run(arguments, capture_output=True, text=True, env=client_env(settings_dict))
    if completed.returncode != 0:
        raise RuntimeError(f"{Path(arguments[0]).name} failed: {completed.stderr.strip()[-2000:]}")


@dataclass
class BackupReport:
    path: Path
    vendor: str
    tables: int
    rows: int
    content_files: int
    seconds: float


def backup_platform(*, destination: Path, content_root: Path | None = None) -> BackupReport:
    """Write a consistent backup of the database and the content store under ``destination``."""
    started = time.monotonic()
    content_root = content_root or content_store_root()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(destination) / f"secretariat-backup-{stamp}"
    target.mkdir(parents=True)
    vendor = connection.vendor
    settings_dict = connection.settings_dict
    try:
        if vendor == "postgresql":
            database_file = "database.dump"
            with psycopg.connect(**postgres_parameters(settings_dict)) as source:
                source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]
                parameters = postgres_parameters(settings_dict)
                run_client([str(PG_BIN / "pg_dump"), "--format=custom", f"--snapshot={snapshot}",
                            f"--file={target / database_file}", "--host", str(parameters["host"]),
                            "--port", str(parameters["port"]), "--username", parameters["user"],
                            parameters["dbname"]], settings_dict)
                tables = table_fingerprints(source.cursor(), vendor)
                source.rollback()
        else:
            database_file = "database.sqlite3"
            # SQLite's online backup copies a consistent image even while others write.
            connection.ensure_connection()
            copy = sqlite3.connect(target / database_file)
            try:
                if connection.in_atomic_block:
                    # The online backup would wait forever for its own source connection's open
                    # write transaction; a backup runs on its own, never inside a transaction.
                    raise RuntimeError("an SQLite backup cannot run inside an open transaction")
                connection.connection.backup(copy)
                tables = table_fingerprints(copy.cursor(), vendor)
            finally:
                copy.close()
        # Content files are immutable and content-addressed: copying after the snapshot can
        # only add files the database does not reference yet, never miss one it does.
        content = {}
        for relative, facts in content_hashes(content_root).items():
            destination_file = target / "content" / relative
            destination_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(content_root / relative, destination_file)
            content[relative] = facts
    except (RuntimeError, OSError, psycopg.Error, sqlite3.Error) as error:
        shutil.rmtree(target, ignore_errors=True)
        raise BackupFailed(reason=str(error)) from error
    manifest = {
        "format": FORMAT_VERSION, "created_at": timezone.now().isoformat(), "vendor": vendor,
        "database_file": database_file,
        "files": {database_file: {"sha256": file_digest(target / database_file),
                                  "size": (target / database_file).stat().st_size}},
        "tables": tables, "content": content,
    }
    manifest_bytes = json.dumps(manifest, indent=1, sort_keys=True).encode()
    (target / MANIFEST).write_bytes(manifest_bytes)
    (target / MANIFEST_SEAL).write_text(hashlib.sha256(manifest_bytes).hexdigest() + "\n")
    return BackupReport(target, vendor, len(tables), sum(t["rows"] for t in tables.values()), len(content),
                        round(time.monotonic() - started, 3))


def verify_backup(path: Path) -> dict:
    """The backup's manifest, after checking every file against it; CorruptBackup otherwise."""
    path = Path(path)
    problems = []
    try:
        manifest_bytes = (path / MANIFEST).read_bytes()
        seal = (path / MANIFEST_SEAL).read_text().strip()
    except OSError:
        raise CorruptBackup(path=str(path), problems="the manifest or its seal is missing") from None
    if hashlib.sha256(manifest_bytes).hexdigest() != seal:
        raise CorruptBackup(path=str(path), problems="the manifest does not match its seal")
    manifest = json.loads(manifest_bytes)
    expected = {**manifest["files"], **{f"content/{name}": facts for name, facts in manifest["content"].items()}}
    for relative, facts in expected.items():
        file = path / relative
        if not file.is_file():
            problems.append(f"{relative} is missing")
        elif file.stat().st_size != facts["size"]:
            problems.append(f"{relative} has {file.stat().st_size} bytes, expected {facts['size']}")
        elif file_digest(file) != facts["sha256"]:
            problems.append(f"{relative} does not match its checksum")
    if problems:
        raise CorruptBackup(path=str(path), problems="; ".join(problems[:10]))
    return manifest


@dataclass
class RestoreReport:
    database: str
    tables: int
    rows: int
    content_files: int
    seconds: float
    verified: bool


def differences(expected: dict, actual: dict, what: str) -> list[str]:
    found = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            found.append(f"{what} {name} is missing")
        elif name not in expected:
            found.append(f"{what} {name} is not in the backup")
        elif expected[name] != actual[name]:
            found.append(f"{what} {name}: expected {expected[name]}, found {actual[name]}")
    return found


def restore_platform(*, backup: Path, target_database: str, content_root: Path, replace: bool = False
                     ) -> RestoreReport:
    """Rebuild the database ``target_database`` and the content store ``content_root`` from a backup.

    Nothing is touched until the backup has been verified against its manifest; the restored
    platform is then verified table by table and file by file.
    """
    started = time.monotonic()
    backup = Path(backup)
    manifest = verify_backup(backup)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise CorruptBackup(path=str(backup), problems=f"it is a {manifest['vendor']} backup, not {vendor}")
    settings_dict = connection.settings_dict
    content_root = Path(content_root)
    if content_root.exists() and any(content_root.iterdir()) and not replace:
        raise RestoreTargetExists(target=str(content_root))
    dump = backup / manifest["database_file"]
    if vendor == "postgresql":
        with psycopg.connect(**postgres_parameters(settings_dict, "postgres"), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target_database]).fetchone()
            if exists and not replace:
                raise RestoreTargetExists(target=target_database)
            quoted = sql.Identifier(target_database)
            if exists:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(quoted))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
        parameters = postgres_parameters(settings_dict, target_database)
        run_client([str(PG_BIN / "pg_restore"), "--exit-on-error", "--no-owner", "--host", str(parameters["host"]),
                    "--port", str(parameters["port"]), "--username", parameters["user"], "--dbname", target_database,
                    str(dump)], settings_dict)
        with psycopg.connect(**parameters) as restored:
            tables = table_fingerprints(restored.cursor(), vendor)
    else:
        target_file = Path(target_database)
        if target_file.exists() and not replace:
            raise RestoreTargetExists(target=target_database)
        for suffix in ("-wal", "-shm"):
            Path(f"{target_file}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(dump, target_file)
        restored = sqlite3.connect(target_file)
        try:
            tables = table_fingerprints(restored.cursor(), vendor)
        finally:
            restored.close()
    if content_root.exists():
        shutil.rmtree(content_root)
    content_root.mkdir(parents=True)
    for relative in manifest["content"]:
        (content_root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backup / "content" / relative, content_root / relative)
    found = differences(manifest["tables"], tables, "table") + differences(
        manifest["content"], content_hashes(content_root), "content file")
    if found:
        raise RestoreVerificationFailed(differences="; ".join(found[:10]))
    return RestoreReport(target_database, len(tables), sum(t["rows"] for t in tables.values()),
                         len(manifest["content"]), round(time.monotonic() - started, 3), True)
