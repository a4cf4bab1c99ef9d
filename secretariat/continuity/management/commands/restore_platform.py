"""``secretariat restore_platform BACKUP --target-database NAME --content-dir DIR``; final JSON line.

The backup is verified before anything is overwritten; the restored database and content store
are verified against the manifest afterwards. Any difference fails the command (exit status 1).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.continuity.backup import restore_platform, verify_backup
from secretariat.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Restore the platform from a backup made by backup_platform, and verify it."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup directory (secretariat-backup-…).")
        parser.add_argument("--target-database", help="PostgreSQL database name, or SQLite file, to rebuild.")
        parser.add_argument("--content-dir", type=Path, help="Content store directory to rebuild.")
        parser.add_argument("--replace", action="store_true", help="Overwrite an existing target (after verifying).")
        parser.add_argument("--verify-only", action="store_true", help="Only check the backup against its manifest.")

    def handle(self, *args, **options):
        try:
            if options["verify_only"]:
                manifest = verify_backup(options["backup"])
                self.stdout.write(json.dumps({"restore": "backup verified", "tables": len(manifest["tables"]),
                                              "content_files": len(manifest["content"]), "verified": True}))
                return
            if not options["target_database"] or not options["content_dir"]:
                raise CommandError("--target-database and --content-dir are required to restore.")
            report = restore_platform(backup=options["backup"], target_database=options["target_database"],
                                      content_root=options["content_dir"], replace=options["replace"])
        except DomainError as error:
            self.stdout.write(json.dumps({"restore": "failed", "error": str(error), "verified": False}))
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps({"restore": "completed", "database": report.database, "tables": report.tables,
                                      "rows": report.rows, "content_files": report.content_files,
                                      "restore_s": report.seconds, "verified": report.verified}))
