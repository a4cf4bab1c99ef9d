import json

from django.core.management.base import BaseCommand, CommandError

from secretariat.finance.ledger_verification import verify_ledger


class Command(BaseCommand):
    help = ("Check every posted journal entry against the content hash recorded in the audit trail when it "
            "was posted, and the period balances against the posted lines; list each difference and fail.")

    def handle(self, *args, **options):
        result = verify_ledger()
        self.stdout.write(json.dumps({"entries_checked": result.entries_checked, "intact": result.is_intact,
                                      "findings": result.findings}, ensure_ascii=False, indent=1))
        if not result.is_intact:
            raise CommandError(f"The ledger differs from what was posted in {len(result.findings)} place(s):\n"
                               + "\n".join(result.findings))
