"""The one seam through which services queue background work (OCR…): after the transaction
commits, by task name, so that the services never import the tasks module — the tasks call the
services, not the reverse.

With a Celery broker the task goes to the workers. Without one (the embedded default, where
Celery would run it eagerly inside the request) and with ``CONTENT_LOCAL_WORKER`` set, it runs in
a separate local worker process (``manage.py run_content_task``), so long work such as the OCR of
a ten-page scan never holds a web request; its page shows the progress.
"""

import os
import sys
from subprocess import DEVNULL, Popen

from celery import current_app
from django.conf import settings
from django.db import transaction


def after_commit(task_name: str, *args: int) -> None:
    """Queue the task ``task_name`` with ``args`` once the current transaction has committed."""
    transaction.on_commit(lambda: dispatch(task_name, *args))


def dispatch(task_name: str, *args: int) -> None:
    if getattr(settings, "CONTENT_LOCAL_WORKER", False):
        start_local_worker(task_name, *args)
    else:
        current_app.tasks[task_name].delay(*args)


def start_local_worker(task_name: str, *args: int) -> Popen:
    """A detached process running the task with the same settings and environment; it outlives the request."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                            "secretariat.settings")}
    return Popen([sys.executable, "-m", "django", "run_content_task", task_name, *map(str, args)],
                 env=environment, stdin=DEVNULL, stdout=DEVNULL, start_new_session=True)
