from django.core.management.base import BaseCommand, CommandError

from secretariat.budget.demo import load_budget_demo
from secretariat.budget.selectors import footing_problems, standard_tables


class Command(BaseCommand):
    help = "Build the demo budget section 29C (OICT, 2021) on the demo organisation and check its tables."

    def handle(self, *args, **options):
        try:
            section = load_budget_demo()
        except ValueError as error:
            raise CommandError(str(error)) from error
        if section is None:
            self.stdout.write("The demo budget is already loaded.")
            return
        for table in standard_tables(section=section):
            problems = footing_problems(table)
            status = "foots" if not problems else f"DOES NOT FOOT: {problems}"
            self.stdout.write(f"{table.code}: {len(table.rows)} rows, {status}")
        self.stdout.write(self.style.SUCCESS(f"Loaded section {section.code} ({section.budget_year})."))
