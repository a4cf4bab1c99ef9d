"""Search entries are rewritten in their folded form (accents, Arabic letter forms and article, ADR 0036).

The stored ``body`` and ``heading`` are already prepared text (CJK bigrams); folding them again
gives what ``search.prepare_text`` now writes, so the documents need not be read.
"""

from django.db import migrations


def refold(apps, schema_editor):
    from secretariat.content.folding import fold
    from secretariat.content.search import normalise_title

    SearchEntry = apps.get_model("content", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.order_by("pk").iterator(chunk_size=1000):
        entry.body, entry.heading = fold(entry.body), fold(entry.heading)
        entry.normalised_title = normalise_title(entry.normalised_title)
        batch.append(entry)
        if len(batch) == 1000:
            SearchEntry.objects.bulk_update(batch, ["body", "heading", "normalised_title"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["body", "heading", "normalised_title"])


class Migration(migrations.Migration):
    dependencies = [("content", "0007_guards_not_liftable")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
