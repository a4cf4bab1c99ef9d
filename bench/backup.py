"""Benchmark: consistent backup, restore and verification of the platform.

    .venv/bin/python bench/backup.py [--quick]

Uses its own database (PostgreSQL: exactly the database DATABASE_URL names, created and dropped,
or, if it already exists, used only when empty and emptied again, see ``bench_database.py``; the
restore goes to ``<that name>_restored``, which must not exist and is dropped afterwards; else a
temporary SQLite file), migrates it, fills it with drill probe rows and a content store of random
files, then times ``backup_platform`` and ``restore_platform`` (which verifies row counts,
per-table checksums and content hashes). The physical limit on the same machine in the same run
is a plain copy of the backup's bytes (``copy_s``).

Last line: JSON with "bench": "backup", backup_s, restore_s, verified.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_database import postgres_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")
WORK = Path(tempfile.mkdtemp(prefix="bench-backup-"))
os.environ["SECRETARIAT_VAR_DIR"] = str(WORK / "var")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    arguments = parser.parse_args()
    rows, files, file_size = (20_000, 20, 64 * 1024) if arguments.quick else (500_000, 400, 256 * 1024)

    database = postgres_database()
    restored_database = f"{database.name}_restored" if database else None
    if database and database.exists(restored_database):
        database.clean_up()
        raise SystemExit(f"bench: the restore target {restored_database!r} already exists; drop it or point "
                         f"DATABASE_URL at another database.")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from secretariat.continuity.backup import backup_platform, restore_platform
        from secretariat.continuity.models import DrillProbe

        for app_label in ("core", "continuity"):
            call_command("migrate", app_label, verbosity=0)
        batch = 10_000
        for start in range(0, rows, batch):
            DrillProbe.objects.bulk_create(DrillProbe(run_label="bench", sequence=n)
                                           for n in range(start, min(start + batch, rows)))
        store = WORK / "content"
        for n in range(files):
            path = store / f"{n % 256:02x}" / f"{n:08x}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(file_size))

        started = time.monotonic()
        report = backup_platform(destination=WORK / "backups", content_root=store)
        backup_s = time.monotonic() - started
        backup_bytes = sum(p.stat().st_size for p in report.path.rglob("*") if p.is_file())

        started = time.monotonic()
        shutil.copytree(report.path, WORK / "plain-copy")
        copy_s = time.monotonic() - started

        target = restored_database or str(WORK / "restored.sqlite3")
        started = time.monotonic()
        restored = restore_platform(backup=report.path, target_database=target, content_root=WORK / "restored")
        restore_s = time.monotonic() - started
        summary = {"bench": "backup", "vendor": report.vendor, "rows": report.rows, "tables": report.tables,
                   "content_files": report.content_files, "backup_bytes": backup_bytes,
                   "backup_s": round(backup_s, 3), "restore_s": round(restore_s, 3), "copy_s": round(copy_s, 3),
                   "verified": restored.verified}
    finally:
        if database:
            database.clean_up()
            database.drop_database(restored_database)  # did not exist before the run (checked above)
        shutil.rmtree(WORK, ignore_errors=True)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
