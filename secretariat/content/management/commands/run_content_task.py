"""Run one content task in this process: the local worker started by ``services.queue`` when
there is no Celery broker (``CONTENT_LOCAL_WORKER``)."""

from celery import current_app
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run one background task of the content app (e.g. content.recognise_version_text 42)."

    def add_arguments(self, parser):
        parser.add_argument("task")
        parser.add_argument("arguments", nargs="*", type=int)

    def handle(self, *args, task: str, arguments: list[int], **options):
        if not task.startswith("content."):
            raise CommandError(f"{task} is not a content task.")
        current_app.tasks[task](*arguments)
