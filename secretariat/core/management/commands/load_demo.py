from django.core.management.base import BaseCommand

from secretariat.core.demo import DEMO_PASSWORD, DEMO_USERS, STAFF_COUNT, load_demo


class Command(BaseCommand):
    help = "Load the demo organisation, its staff and one demo user per role (once)."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=STAFF_COUNT, help="How many demo staff to generate.")

    def handle(self, *args, staff, **options):
        if load_demo(staff_count=staff):
            self.stdout.write(self.style.SUCCESS("Demo organisation loaded."))
        else:
            self.stdout.write("Demo organisation already present; nothing loaded.")
        users = ", ".join(user.username for user in DEMO_USERS)
        self.stdout.write(f"Demo users: {users} — password: {DEMO_PASSWORD}")
