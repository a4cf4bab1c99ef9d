from django.core.management.base import BaseCommand, CommandError

from secretariat.servicedesk import services
from secretariat.servicedesk.models import Desk


class Command(BaseCommand):
    help = ("Follow the sun: hand the unassigned open tickets of a desk (--desk) or of every desk now closed "
            "over to the desks open now. Runs as the platform, like the scheduled hand-over.")

    def add_arguments(self, parser):
        parser.add_argument("--desk", help="code of the desk whose shift ends (default: every closed desk)")

    def handle(self, *args, desk=None, **options):
        if desk:
            found = Desk.objects.filter(code=desk, is_active=True).select_related("duty_station").first()
            if found is None:
                raise CommandError(f"No active desk {desk}.")
            moved = {found.code: services.hand_over_shift(actor=None, desk=found)}
        else:
            moved = services.hand_over_closed_desks()
        for code, count in sorted(moved.items()):
            self.stdout.write(f"{code}: {count} handed over")
        if not moved:
            self.stdout.write("No closed desk has tickets waiting.")
