"""``secretariat load_finance_demo``: two fiscal years of demo postings on the demo organisation."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from secretariat.finance.demo import load_finance_demo


class Command(BaseCommand):
    help = "Load the demo ledger (run load_demo first; before or after load_budget_demo): postings, " \
           "assessments and receipts, invoices and payments, bank statements."

    def add_arguments(self, parser):
        parser.add_argument("--entries-per-month", type=int, default=12,
                            help="General-journal entries per month (the volume; invoices are a third of it).")
        parser.add_argument("--member-states", type=int, default=None,
                            help="How many Member States of the demo scale are assessed (default: all 36).")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the random amounts and dates.")

    def handle(self, *args, entries_per_month, member_states, seed, **options):
        try:
            summary = load_finance_demo(entries_per_month=entries_per_month, member_states=member_states,
                                        seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if summary is None:
            self.stdout.write(_("The finance demo is already loaded; nothing loaded."))
            return
        self.stdout.write(self.style.SUCCESS(_(
            "Finance demo loaded: %(entries)s journal entries posted, %(invoices)s vendor invoices, "
            "%(assessments)s assessments, %(receipts)s receipts, %(lines)s bank statement lines of which "
            "%(matched)s matched.") % {
                "entries": summary.entries_posted, "invoices": summary.invoices,
                "assessments": summary.assessments, "receipts": summary.receipts,
                "lines": summary.statement_lines, "matched": summary.matched_lines}))
