"""``secretariat failover_drill``: run the two-site failover drill on loopback and record it.

Prints progress, then a final JSON line with the figures. The drill is recorded as a completed
exercise of the platform's DR plan (``--plan``, or the plan of the application named
"Secretariat platform") unless ``--no-record``.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from secretariat.continuity import services
from secretariat.continuity.drill import run_failover_drill
from secretariat.continuity.models import RecoveryPlan
from secretariat.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Run a failover drill (synchronous and asynchronous standby) on loopback PostgreSQL clusters."

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=["both", "synchronous", "asynchronous"], default="both")
        parser.add_argument("--load-seconds", type=float, default=3.0, help="Write load before the kill.")
        parser.add_argument("--plan", type=int, help="DR plan to record the drill against.")
        parser.add_argument("--no-record", action="store_true", help="Do not record the drill as an exercise.")

    def handle(self, *args, **options):
        modes = ("synchronous", "asynchronous") if options["mode"] == "both" else (options["mode"],)
        started_at = timezone.now()
        try:
            figures = run_failover_drill(modes=modes, load_seconds=options["load_seconds"])
        except DomainError as error:
            self.stdout.write(json.dumps({"drill": "failed", "error": str(error)}))
            raise CommandError(str(error)) from error
        figures["recorded_exercise"] = None
        if not options["no_record"] and "synchronous" in modes:
            plan = (RecoveryPlan.objects.filter(pk=options["plan"]).first() if options["plan"] else
                    RecoveryPlan.objects.filter(application__name=services.PLATFORM_APPLICATION_NAME).first())
            if plan is None:
                figures["not_recorded"] = "no DR plan for the application named " + services.PLATFORM_APPLICATION_NAME
            else:
                figures["recorded_exercise"] = services.record_failover_drill(
                    plan=plan, run_at=started_at, figures={k: v for k, v in figures.items() if k != "modes"}).pk
        for mode, result in figures["modes"].items():
            self.stdout.write(f"{mode}: {result['acknowledged']} acknowledged, {result['lost_acknowledged']} lost, "
                              f"RTO {result['rto_s']} s, loss window {result['loss_window_s']} s")
        del figures["modes"]
        self.stdout.write(json.dumps({"drill": "completed", **figures}))
