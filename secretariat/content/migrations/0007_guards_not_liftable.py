"""Placeholder: records guards no session setting can lift."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('content', '0006_retention_guard')]

    operations = []
