from django.core.management import call_command
from django.core.management.base import BaseCommand

from secretariat.servicedesk.demo import DEMO_PASSWORD, load_servicedesk_demo


class Command(BaseCommand):
    help = "Load the service-desk demo (catalogue, desks, agents, a year of tickets) on top of load_demo."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=20000, help="How many tickets over the past year.")

    def handle(self, *args, tickets, **options):
        call_command("load_demo", stdout=self.stdout)
        if load_servicedesk_demo(tickets=tickets):
            self.stdout.write(self.style.SUCCESS("Service-desk demo loaded."))
        else:
            self.stdout.write("Service-desk demo already present; nothing loaded.")
        self.stdout.write(f"Agents: agent.nyc, agent.gva, agent.vie, agent.nbo, agent.bkk, servicedesk.manager "
                          f"— password: {DEMO_PASSWORD}")
