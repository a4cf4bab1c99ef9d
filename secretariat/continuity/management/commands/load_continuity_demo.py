"""``secretariat load_continuity_demo``: the continuity registry's demo data (after ``load_demo``)."""

from django.core.management.base import BaseCommand, CommandError

from secretariat.continuity.demo import load_continuity_demo


class Command(BaseCommand):
    help = ("Load the continuity demo: Brindisi and Valencia data centres, the platform's own applications, "
            "BIAs, DR plans with approved versions and a recorded failover drill.")

    def handle(self, *args, **options):
        try:
            counts = load_continuity_demo()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if counts is None:
            self.stdout.write("The continuity demo is already loaded.")
            return
        self.stdout.write(self.style.SUCCESS("Loaded the continuity demo: " + ", ".join(
            f"{count} {what.replace('_', ' ')}" for what, count in counts.items()) + "."))
