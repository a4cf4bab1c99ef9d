import getpass

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.exceptions import DomainError
from secretariat.finance.services.ledger_baseline import record_ledger_baseline


class Command(BaseCommand):
    help = ("Once, right after upgrading: record in the audit trail the content hashes of posted entries "
            "that have none (posted before postings carried them), so verify_ledger can check them.")

    def handle(self, *args, **options):
        try:
            count = record_ledger_baseline(operator=f"operator:{getpass.getuser()}")
        except DomainError as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Recorded the content hashes of {count} posted entries.")
