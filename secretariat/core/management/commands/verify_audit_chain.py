import json

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.audit import verify_audit_chain


class Command(BaseCommand):
    help = "Verify the whole audit trail's hash chain; fail on the first tampered or missing event."

    def handle(self, *args, **options):
        result = verify_audit_chain()
        self.stdout.write(json.dumps({"events_checked": result.events_checked, "intact": result.is_intact,
                                      "first_broken_sequence": result.first_broken_sequence,
                                      "reason": result.reason}))
        if not result.is_intact:
            raise CommandError(f"Audit chain broken at event {result.first_broken_sequence}: {result.reason}")
