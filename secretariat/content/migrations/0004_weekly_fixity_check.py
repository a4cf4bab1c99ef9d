"""Schedule the fixity check of the content store every week (celery beat, database scheduler)."""

import json

from django.db import migrations

TASK_NAME = "content: weekly fixity check"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="0", day_of_month="*", month_of_year="*", timezone="UTC")
    PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={
        "task": "content.check_fixity", "crontab": crontab, "args": json.dumps([]), "kwargs": json.dumps({})})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0003_roles_and_authority"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(schedule, unschedule)]
