"""``secretariat failover_drill``: run the two-site failover drill on loopback and record it.

Prints progress, then a final JSON line with the figures. Every drill that runs is recorded as a
completed exercise of the platform's DR plan (``--plan``, or the plan of the application named
"Secretariat platform"), whatever its modes; when it cannot be, the command says why before the
drill starts and again in the JSON line (``not_recorded``). ``--plan`` naming no plan is refused
before anything runs.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from secretariat.continuity import services
from secretariat.continuity.drill import run_failover_drill
from secretariat.continuity.models import RecoveryPlan
from secretariat.core.exceptions import DomainError


def recording_plan(*, plan_id: int | None, no_record: bool) -> tuple[RecoveryPlan | None, str | None]:
    """The plan the drill will be recorded against, or None and the reason it will not be."""
    if no_record:
        return None, "--no-record was given"
    if plan_id is not None:
        plan = RecoveryPlan.objects.filter(pk=plan_id).first()
        if plan is None:
            raise CommandError(f"There is no DR plan {plan_id}; nothing was run.")
        return plan, None
    plan = RecoveryPlan.objects.filter(application__name=services.PLATFORM_APPLICATION_NAME).order_by("pk").first()
    if plan is None:
        return None, (f'no DR plan covers the application named "{services.PLATFORM_APPLICATION_NAME}": register '
                      "the application and its plan (docs/operations/failover-drill.md), or pass --plan")
    return plan, None


class Command(BaseCommand):
    help = "Run a failover drill (synchronous and asynchronous standby) on loopback PostgreSQL clusters."

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=["both", "synchronous", "asynchronous"], default="both")
        parser.add_argument("--load-seconds", type=float, default=3.0, help="Write load before the kill.")
        parser.add_argument("--plan", type=int, help="DR plan to record the drill against.")
        parser.add_argument("--no-record", action="store_true", help="Do not record the drill as an exercise.")

    def handle(self, *args, **options):
        modes = ("synchronous", "asynchronous") if options["mode"] == "both" else (options["mode"],)
        plan, not_recorded = recording_plan(plan_id=options["plan"], no_record=options["no_record"])
        if not_recorded:
            self.stderr.write(f"This drill will not be recorded: {not_recorded}.")
        started_at = timezone.now()
        try:
            figures = run_failover_drill(modes=modes, load_seconds=options["load_seconds"])
        except DomainError as error:
            self.stdout.write(json.dumps({"drill": "failed", "error": str(error)}))
            raise CommandError(str(error)) from error
        modes_run = figures.pop("modes")
        recorded = services.record_failover_drill(plan=plan, run_at=started_at, figures=figures) if plan else None
        figures["recorded_exercise"] = recorded.pk if recorded else None
        if recorded is None:
            figures["not_recorded"] = not_recorded
            self.stderr.write(f"The drill was not recorded: {not_recorded}.")
        for mode, result in modes_run.items():
            self.stdout.write(f"{mode}: {result['acknowledged']} acknowledged, {result['lost_acknowledged']} lost, "
                              f"promotion {result['promote_s']} s, RTO {result['rto_s']} s, "
                              f"loss window {result['loss_window_s']} s")
        self.stdout.write(json.dumps({"drill": "completed", **figures}))
