"""Search entries get a heading and a normalised title; PostgreSQL indexes per language (ADR 0034).

- ``heading`` (title, subject terms, author, symbol) and ``normalised_title`` are filled for the
  existing entries.
- PostgreSQL: the one GIN index over every language is replaced by one partial GIN index per
  language, so that a word is looked up only among the entries of the language whose parser
  produced it (the btree index on ``language`` goes: combined with a large bitmap it made the
  bitmap lossy and every row of the page was re-read). A generated ``heading_vector`` tells
  whether a candidate matches in its heading (it is small and stored inline: no index needed).
- SQLite: the FTS5 table gets a second column, ``heading``, and is rebuilt.
"""

from django.db import migrations, models

LANGUAGE_CONFIGS = {"ar": "arabic", "en": "english", "fr": "french", "ru": "russian", "es": "spanish",
                    "zh-hans": "simple"}


def config_case(column: str) -> str:
    branches = " ".join(f"WHEN '{code}' THEN to_tsvector('{config}'::regconfig, {column})"
                        for code, config in LANGUAGE_CONFIGS.items() if config != "simple")
    return f"CASE language {branches} ELSE to_tsvector('simple'::regconfig, {column}) END"


def index_name(code: str) -> str:
    return f"content_searchentry_vector_{code.split('-')[0]}"


POSTGRES_FORWARD = [
    "DROP INDEX content_searchentry_vector",
    "DROP INDEX content_searchentry_language",
    *(f"CREATE INDEX {index_name(code)} ON content_searchentry USING gin (search_vector) WHERE language = '{code}'"
      for code in LANGUAGE_CONFIGS),
    "ALTER TABLE content_searchentry ADD COLUMN heading_vector tsvector "
    f"GENERATED ALWAYS AS ({config_case('heading')}) STORED",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE content_searchentry DROP COLUMN heading_vector",
    *(f"DROP INDEX {index_name(code)}" for code in LANGUAGE_CONFIGS),
    "CREATE INDEX content_searchentry_vector ON content_searchentry USING gin (search_vector)",
    "CREATE INDEX content_searchentry_language ON content_searchentry (language)",
]

FTS_TRIGGERS = ("content_search_fts_insert", "content_search_fts_delete", "content_search_fts_update")


def sqlite_fts(columns: list[str]) -> list[str]:
    listed = ", ".join(columns)
    new, old = ", ".join(f"new.{c}" for c in columns), ", ".join(f"old.{c}" for c in columns)
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in FTS_TRIGGERS),
        "DROP TABLE IF EXISTS content_search_fts",
        f"""CREATE VIRTUAL TABLE content_search_fts USING fts5({listed}, content='content_searchentry',
           content_rowid='document_id', tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER content_search_fts_insert AFTER INSERT ON content_searchentry BEGIN
           INSERT INTO content_search_fts(rowid, {listed}) VALUES (new.document_id, {new}); END""",
        f"""CREATE TRIGGER content_search_fts_delete AFTER DELETE ON content_searchentry BEGIN
           INSERT INTO content_search_fts(content_search_fts, rowid, {listed})
           VALUES ('delete', old.document_id, {old}); END""",
        f"""CREATE TRIGGER content_search_fts_update AFTER UPDATE ON content_searchentry BEGIN
           INSERT INTO content_search_fts(content_search_fts, rowid, {listed})
           VALUES ('delete', old.document_id, {old});
           INSERT INTO content_search_fts(rowid, {listed}) VALUES (new.document_id, {new}); END""",
        "INSERT INTO content_search_fts(content_search_fts) VALUES ('rebuild')",
    ]


def fill_headings(apps, schema_editor):
    from secretariat.content.search import normalise_title, prepare_text

    SearchEntry = apps.get_model("content", "SearchEntry")
    entries = SearchEntry.objects.select_related("document__official_document").order_by("pk")
    batch = []
    for entry in entries.iterator(chunk_size=1000):
        document = entry.document
        symbol = document.official_document.symbol if document.official_document_id else ""
        parts = [document.title, " ".join(document.subject_terms or []), document.author or "", symbol]
        entry.heading = prepare_text("\n".join(part for part in parts if part))
        entry.normalised_title = normalise_title(document.title)
        batch.append(entry)
        if len(batch) == 1000:
            SearchEntry.objects.bulk_update(batch, ["heading", "normalised_title"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["heading", "normalised_title"])


def forward(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    statements = POSTGRES_FORWARD if postgres else sqlite_fts(["heading", "body"])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else sqlite_fts(["body"])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("content", "0004_weekly_fixity_check")]
    operations = [
        migrations.AddField(model_name="searchentry", name="heading", field=models.TextField(blank=True, default="")),
        migrations.AddField(model_name="searchentry", name="normalised_title",
                            field=models.CharField(blank=True, default="", max_length=500)),
        migrations.AddIndex(model_name="searchentry",
                            index=models.Index(fields=["normalised_title"], name="content_searchentry_title")),
        migrations.RunPython(fill_headings, migrations.RunPython.noop),
        migrations.RunPython(forward, backward),
    ]
