"""``manage.py check_fixity``: re-hash every stored file; exit 1 if any changed or vanished."""

from django.core.management.base import BaseCommand, CommandError

from secretariat.content.services import check_fixity


class Command(BaseCommand):
    help = "Re-hash every file in the content store and report any whose bytes changed or are missing."

    def handle(self, *args, **options):
        report = check_fixity()
        for digest in report.damaged:
            self.stdout.write(f"CHANGED {digest}")
        for digest in report.missing:
            self.stdout.write(f"MISSING {digest}")
        self.stdout.write(f"{report.files_checked} files checked, {len(report.damaged)} changed, "
                          f"{len(report.missing)} missing")
        if report.damaged or report.missing:
            raise CommandError("fixity check failed")
