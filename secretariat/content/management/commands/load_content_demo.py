"""``manage.py load_content_demo``: demo classification scheme, official documents and records."""

from django.core.management.base import BaseCommand, CommandError

from secretariat.content.demo import load_content_demo


class Command(BaseCommand):
    help = "Load demo content (run load_demo first): records scheme, official documents in six languages, records."

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(username="admin").exists():
            raise CommandError("Load the demo organisation first (manage.py load_demo).")
        if load_content_demo():
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Demo content already present; nothing loaded.")
