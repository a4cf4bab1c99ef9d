import json

from django.core.management.base import BaseCommand, CommandError

from secretariat.core.audit import seal_audit_chain, verify_audit_chain, write_audit_checkpoint


class Command(BaseCommand):
    help = ("Verify the whole audit trail's keyed hash chain against the checkpoints kept outside the database; "
            "only if it is intact, seal the committed events the application wrote and append a checkpoint. "
            "Fail on the first tampered or missing event and on any event the application did not write.")

    def add_arguments(self, parser):
        parser.add_argument("--no-seal", action="store_true", help="verify only; report unsealed events")

    def handle(self, *args, **options):
        result = verify_audit_chain()
        sealed, checkpoint = 0, None
        if result.is_intact:
            if not options["no_seal"]:
                sealed = seal_audit_chain()
            checkpoint = write_audit_checkpoint()
        self.stdout.write(json.dumps({"events_checked": result.events_checked, "intact": result.is_intact,
                                      "first_broken_sequence": result.first_broken_sequence,
                                      "reason": result.reason, "events_sealed_now": sealed,
                                      "events_pending": result.events_pending,
                                      "events_refused": list(result.events_refused), "checkpoint": checkpoint}))
        if result.first_broken_sequence is not None:
            raise CommandError(f"Audit chain broken at event {result.first_broken_sequence}: {result.reason}")
        if result.events_refused:
            raise CommandError(f"Audit events not written by the application (left unsealed): "
                               f"{list(result.events_refused)}")
