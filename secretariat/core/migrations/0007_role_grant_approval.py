"""Placeholder: role grants awaiting a second access administrator's approval."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('core', '0006_privileged_roles')]

    operations = []
