"""``secretariat backup_platform DESTINATION``: a consistent, checksummed backup; final JSON line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from secretariat.continuity.backup import backup_platform
from secretariat.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Back up the database and the content store, with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="Directory under which the backup is written.")
        parser.add_argument("--content-dir", type=Path, help="Content store to back up (default: the configured one).")

    def handle(self, *args, **options):
        try:
            report = backup_platform(destination=options["destination"], content_root=options["content_dir"])
        except DomainError as error:
            self.stdout.write(json.dumps({"backup": "failed", "error": str(error)}))
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps({"backup": "completed", "path": str(report.path), "vendor": report.vendor,
                                      "tables": report.tables, "rows": report.rows,
                                      "content_files": report.content_files, "backup_s": report.seconds}))
