import json

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.audit import seal_audit_chain, verify_audit_chain


class Command(BaseCommand):
    help = ("Seal committed audit events still awaiting it, then verify the whole audit trail's hash chain; "
            "fail on the first tampered or missing event.")

    def add_arguments(self, parser):
        parser.add_argument("--no-seal", action="store_true", help="verify only; report unsealed events")

    def handle(self, *args, **options):
        sealed = 0 if options["no_seal"] else seal_audit_chain()
        result = verify_audit_chain()
        self.stdout.write(json.dumps({"events_checked": result.events_checked, "intact": result.is_intact,
                                      "first_broken_sequence": result.first_broken_sequence,
                                      "reason": result.reason, "events_sealed_now": sealed,
                                      "events_pending": result.events_pending}))
        if not result.is_intact:
            raise CommandError(f"Audit chain broken at event {result.first_broken_sequence}: {result.reason}")
