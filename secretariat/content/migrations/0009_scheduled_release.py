"""Release at a set time (embargo, ADR 0037): official documents may wait, every language final,
for the minute of their release; a periodic task (every minute) releases the due ones."""

import json

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TASK_NAME = "content: release scheduled official documents"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={
        "task": "content.release_scheduled_documents", "interval": every_minute, "args": json.dumps([]),
        "kwargs": json.dumps({}), "expire_seconds": 55})  # a stalled run is redone by the next one


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0008_folded_search_text'),
        ('core', '0008_audit_keyed_chain'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='officialdocument',
            name='content_official_status_valid',
        ),
        migrations.AddField(
            model_name='officialdocument',
            name='release_at',
            field=models.DateTimeField(blank=True, help_text='The minute every language version becomes public.', null=True, verbose_name='release at'),
        ),
        migrations.AddField(
            model_name='officialdocument',
            name='release_scheduled_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='officialdocument',
            name='status',
            field=models.CharField(choices=[('drafting', 'Drafting'), ('review', 'Review'), ('translation', 'Translation'), ('scheduled', 'Scheduled for release'), ('issued', 'Issued')], default='drafting', max_length=20, verbose_name='status'),
        ),
        migrations.AddConstraint(
            model_name='officialdocument',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['drafting', 'review', 'translation', 'scheduled', 'issued'])), name='content_official_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='officialdocument',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'scheduled'), _negated=True), ('release_at__isnull', False), _connector='OR'), name='content_official_scheduled_has_time'),
        ),
        migrations.RunPython(schedule, unschedule),
    ]
