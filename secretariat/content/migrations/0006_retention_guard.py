"""Placeholder: the database refuses to destroy a record before its retention ends."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('content', '0005_search_heading_and_language_indexes')]

    operations = []
