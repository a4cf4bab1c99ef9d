"""Placeholder: the audit chain keyed and guarded against session settings."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('core', '0007_role_grant_approval')]

    operations = []
