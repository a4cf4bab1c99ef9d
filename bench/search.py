"""Benchmark of document search (issue 6).

Indexes generated documents in six languages (1,000,000 by default on PostgreSQL; ``--quick``
far fewer), then runs a fixed query set through the same selector the search page and the API
use (``content.selectors.search_documents``: full text, permission filter, ranking, top 20) as a
user with a scoped role, and the same queries as an unindexed ``ILIKE`` scan over the same text.

Ingest goes through the indexing path of the application (``search.prepare_text`` into
``SearchEntry`` body and heading, the generated ``tsvector`` columns and their GIN indexes, or
the FTS5 triggers on SQLite) in bulk batches — COPY on PostgreSQL, with the search indexes built
once after the load and their build counted in the ingest time; file storage, previews and OCR are
not part of it. A small sample is also uploaded through the full ``upload_document`` service to
report that rate.

    .venv/bin/python bench/search.py [--quick] [--documents N] [--keep | --reuse]

PostgreSQL when ``DATABASE_URL`` is set (exactly the database it names: created and dropped, or,
if it already exists, used only when empty and emptied again; see ``bench_database.py``),
otherwise a temporary SQLite file. The last line printed is a JSON object.

``--keep`` leaves the built database in place (the PostgreSQL database of ``DATABASE_URL``, or
SQLite under ``$TMPDIR/bench-search``); ``--reuse`` times the queries on such a database without
ingesting again (after applying any new migrations; ``--documents`` is then ignored) and keeps
it. A reused run reports ``"reused": true`` and no ingest rate. A run without ``--reuse``
refuses a PostgreSQL database that is not empty, so remove a kept one with ``dropdb NAME``; on
SQLite a run without either flag removes it.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_database import postgres_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")

CORPUS_TABLE = "bench_search_corpus"  # what a --keep run built (marks a database --reuse may use)
LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
FAKER_LOREM = {"ar": "ar_AA", "zh-hans": "zh_CN", "en": "en_US", "fr": "fr_FR", "ru": "ru_RU", "es": "es_ES"}
# Domain words mixed into the generated text, so queries look like what users type.
DOMAIN_WORDS = {
    "en": ["budget", "peacekeeping", "resolution", "committee", "assessment", "procurement", "mandate", "treaty",
           "refugees", "sustainable", "development", "secretariat", "audit", "contribution", "mission"],
    "fr": ["budget", "maintien", "paix", "résolution", "commission", "contribution", "achats", "mandat", "traité",
           "réfugiés", "durable", "développement", "secrétariat", "audit", "mission"],
    "es": ["presupuesto", "mantenimiento", "paz", "resolución", "comisión", "cuotas", "adquisiciones", "mandato",
           "tratado", "refugiados", "sostenible", "desarrollo", "secretaría", "auditoría", "misión"],
    "ru": ["бюджет", "поддержание", "мира", "резолюция", "комитет", "взносы", "закупки", "мандат", "договор",
           "беженцы", "устойчивое", "развитие", "секретариат", "ревизия", "миссия"],
    "ar": ["الميزانية", "حفظ", "السلام", "القرار", "اللجنة", "الأنصبة", "المشتريات", "الولاية", "المعاهدة",
           "اللاجئين", "المستدامة", "التنمية", "الأمانة", "المراجعة", "البعثة"],
    "zh-hans": ["预算", "维持和平", "决议", "委员会", "分摊会费", "采购", "任务", "条约", "难民", "可持续", "发展",
                "秘书处", "审计", "特派团", "报告"],
}
QUERIES = [
    ("en", "peacekeeping budget"), ("en", "treaties"), ("en", "procurement audit"), ("en", "refugees mandate"),
    ("fr", "maintien paix"), ("fr", "traités"), ("fr", "réfugiés durable"),
    ("es", "presupuesto misión"), ("es", "tratados"), ("es", "adquisiciones auditoría"),
    ("ru", "бюджет миссия"), ("ru", "договор"), ("ru", "беженцы мандат"),
    ("ar", "الميزانية البعثة"), ("ar", "المعاهدة"), ("ar", "اللاجئين الولاية"),
    ("zh-hans", "维持和平预算"), ("zh-hans", "条约"), ("zh-hans", "难民任务"),
    (None, "secretariat audit"), (None, "budget"),
]


def configure_database(reuse: bool) -> tuple[str, callable]:
    """Point Django at the benchmark database (fresh unless ``reuse``); return its vendor and a clean-up."""
    database = postgres_database(reuse_marker=CORPUS_TABLE if reuse else None)
    if database is not None:
        return "postgresql", database.clean_up
    os.environ.pop("DATABASE_URL", None)
    directory = Path(tempfile.gettempdir()) / "bench-search"
    if not reuse:
        shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(exist_ok=True)
    os.environ["SECRETARIAT_VAR_DIR"] = str(directory)
    return "sqlite", lambda: shutil.rmtree(directory, ignore_errors=True)


def built_corpus() -> dict | None:
    """What an earlier ``--keep`` run left behind (documents ingested and at what rate), if complete."""
    from django.db import connection

    if CORPUS_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT documents, ingest_per_s FROM {CORPUS_TABLE}")
        row = cursor.fetchone()
    return {"documents": row[0], "ingest_per_s": row[1]} if row else None


def record_corpus(documents: int, ingest_per_s: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {CORPUS_TABLE} (documents integer, ingest_per_s real)")
        cursor.execute(f"INSERT INTO {CORPUS_TABLE} VALUES (%s, %s)", [documents, ingest_per_s])


def existing_organisation():
    from django.contrib.auth import get_user_model

    from secretariat.content.models import DocumentType, Library
    from secretariat.core.models import OrgUnit

    reader = get_user_model().objects.get(username="bench.reader")
    units = list(OrgUnit.objects.filter(code__regex=r"^E[0-9]-U[0-9]$").order_by("pk"))
    libraries = list(Library.objects.filter(code__startswith="lib-e").order_by("pk"))
    types = [DocumentType.objects.get(code=code) for code in ("report", "memo", "letter", "note", "minutes")]
    return reader, units, libraries, types


def vocabularies(seed: int) -> dict[str, list[str]]:
    import importlib

    words = {}
    for language, locale in FAKER_LOREM.items():
        provider = importlib.import_module(f"faker.providers.lorem.{locale}").Provider
        words[language] = sorted(set(provider.word_list)) + DOMAIN_WORDS[language]
    return words


class TextMaker:
    """Zipf-like word choice from each language's vocabulary; lengths like abstracts to short reports."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.words = vocabularies(seed)
        self.weights = {}
        for language, words in self.words.items():
            self.random.shuffle(words)
            self.weights[language] = [1.0 / (rank + 10) for rank in range(len(words))]
        self.cumulative = {language: list(_accumulate(weights)) for language, weights in self.weights.items()}

    def words_for(self, language: str, count: int) -> list[str]:
        return self.random.choices(self.words[language], cum_weights=self.cumulative[language], k=count)

    def document(self, language: str) -> tuple[str, str]:
        separator = "" if language == "zh-hans" else " "
        title = separator.join(self.words_for(language, self.random.randint(3, 8)))
        length = int(min(self.random.lognormvariate(5.0, 0.6), 1500))  # median ~150 words, long tail
        body = separator.join(self.words_for(language, max(length, 20)))
        return title[:500], body


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def build_organisation():
    from secretariat.content.models import DocumentType, Library
    from secretariat.core.models import Country, DutyStation, Entity, OrgUnit, Person, Role, RoleAssignment
    from django.contrib.auth import get_user_model

    station = DutyStation.objects.create(code="NYC", name="New York", country=Country.objects.get(alpha2="US"),
                                         city="New York", time_zone="America/New_York", work_days=[1, 2, 3, 4, 5])
    units = []
    for index in range(6):
        entity = Entity.objects.create(code=f"E{index}", name=f"Entity {index}", kind="secretariat",
                                       headquarters=station)
        for sub in range(4):
            unit = OrgUnit.objects.create(entity=entity, code=f"E{index}-U{sub}", name=f"Unit {index}.{sub}",
                                          level="division", duty_station=station)
            unit.path = f"/{unit.pk}/"
            unit.save(update_fields=["path"])
            units.append(unit)
    User = get_user_model()
    reader = User.objects.create_user("bench.reader", password="x")
    Person.objects.create(user=reader, given_name="Bench", family_name="Reader", gender="other",
                          nationality=Country.objects.get(alpha2="KE"), email="reader@example.org",
                          org_unit=units[0])
    RoleAssignment.objects.create(user=reader, role=Role.objects.get(code="knowledge_worker"), scope_kind="entity",
                                  scope_id=units[0].entity_id, valid_from="2000-01-01")
    libraries = [Library.objects.create(code=f"lib-{unit.code.lower()}", name=f"Library {unit.code}", org_unit=unit)
                 for unit in units]
    types = [DocumentType.objects.create(code=code, name=code.title()) for code in ("report", "memo", "letter",
                                                                                      "note", "minutes")]
    return reader, units, libraries, types


def ingest(count: int, reader, libraries, types, batch_size: int) -> float:
    import datetime

    from django.db import transaction

    from secretariat.content import search
    from secretariat.content.models import Document, SearchEntry

    maker = TextMaker(seed=62510)
    rng = random.Random(63262)
    classifications = ["public", "internal", "internal", "internal", "confidential", "strictly_confidential"]
    started = time.perf_counter()
    made = 0
    while made < count:
        size = min(batch_size, count - made)
        documents, bodies = [], []
        for _ in range(size):
            language = rng.choice(LANGUAGES)
            library = rng.choice(libraries)
            title, body = maker.document(language)
            documents.append(Document(
                library=library, title=title, language=language, org_unit_id=library.org_unit_id,
                document_type=rng.choice(types), classification=rng.choice(classifications), created_by=reader,
                document_date=datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000))))
            bodies.append(body)
        with transaction.atomic():
            Document.objects.bulk_create(documents)
            SearchEntry.objects.bulk_create(
                SearchEntry(document=document, language=document.language,
                            body=search.prepare_text(f"{document.title}\n{body}"),
                            heading=search.prepare_text(document.title),
                            normalised_title=search.normalise_title(document.title))
                for document, body in zip(documents, bodies))
        made += size
        if made % (batch_size * 20) == 0:
            print(f"  {made} documents, {made / (time.perf_counter() - started):.0f}/s", file=sys.stderr)
    return time.perf_counter() - started


def ingest_with_copy(count: int, reader, libraries, types, batch_size: int) -> None:
    """PostgreSQL: the same rows streamed with COPY (explicit ids), far less per-row overhead."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from secretariat.content import search

    maker = TextMaker(seed=62510)
    rng = random.Random(63262)
    classifications = ["public", "internal", "internal", "internal", "confidential", "strictly_confidential"]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM content_document")
        next_id = cursor.fetchone()[0] + 1
    started, made = time.perf_counter(), 0
    while made < count:
        size = min(batch_size, count - made)
        documents, entries = [], []
        for offset in range(size):
            language = rng.choice(LANGUAGES)
            library = rng.choice(libraries)
            title, body = maker.document(language)
            document_id = next_id + made + offset
            documents.append((document_id, library.pk, title, language, library.org_unit_id, "",
                              rng.choice(types).pk,
                              datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000)), "[]",
                              rng.choice(classifications), "{}", reader.pk, now, now, False))
            entries.append((document_id, language, search.prepare_text(f"{title}\n{body}"), search.prepare_text(title),
                            search.normalise_title(title)))
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy("COPY content_document (id, library_id, title, language, org_unit_id, author, "
                          "document_type_id, document_date, subject_terms, classification, custom_fields, "
                          "created_by_id, created_at, updated_at, is_final) FROM STDIN") as copy:
                for row in documents:
                    copy.write_row(row)
            with raw.copy("COPY content_searchentry (document_id, language, body, heading, normalised_title) "
                          "FROM STDIN") as copy:
                for row in entries:
                    copy.write_row(row)
        made += size
        if made % (batch_size * 25) == 0:
            print(f"  {made} documents, {made / (time.perf_counter() - started):.0f}/s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('content_document', 'id'), %s)", [next_id + count])


def upload_sample(reader, libraries, types, count: int) -> float:
    from secretariat.content import services

    maker = TextMaker(seed=1)
    started = time.perf_counter()
    for index in range(count):
        language = LANGUAGES[index % 6]
        title, body = maker.document(language)
        services.upload_document(actor=reader, library=libraries[0], file_name="doc.txt", data=body.encode(),
                                 title=title, language=language, document_type=types[0])
    return count / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_searches(reader, rounds: int) -> tuple[list[float], list[int]]:
    from secretariat.content.selectors import search_documents

    timings, totals = [], []
    for language, query in QUERIES:  # warm-up
        search_documents(actor=reader, query=query, language=language, with_facets=False)
    for _ in range(rounds):
        for language, query in QUERIES:
            started = time.perf_counter()
            results = search_documents(actor=reader, query=query, language=language, with_facets=False)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(len(results.hits))
    return timings, totals


def time_facets(reader) -> list[float]:
    from secretariat.content.selectors import search_documents

    timings = []
    for language, query in QUERIES:
        started = time.perf_counter()
        search_documents(actor=reader, query=query, language=language, with_facets=True)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_ilike(queries) -> list[float]:
    """The same queries as an unindexed scan counting the entries where every word appears (ILIKE '%word%')."""
    from django.db import connection

    from secretariat.content import search

    timings = []
    operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    for language, query in queries:
        words = [" ".join(term.words) for term in search.query_terms(query)]
        where = " AND ".join(f"body {operator} %s" for _ in words)
        params = [f"%{word}%" for word in words]
        if language:
            where += " AND language = %s"
            params.append(language)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM content_searchentry WHERE {where}", params)
            cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus, well under a minute")
    parser.add_argument("--documents", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database for --reuse")
    parser.add_argument("--reuse", action="store_true",
                        help="time the queries on the database an earlier --keep run built (kept again)")
    arguments = parser.parse_args()
    keep = arguments.keep or arguments.reuse
    vendor, clean_up = configure_database(arguments.reuse)
    count = arguments.documents or (20_000 if arguments.quick else 1_000_000)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.CONTENT_STORE_DIR = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)  # every app (uploads audit through core); on reuse, new migrations
        print(f"migrated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        corpus = built_corpus() if arguments.reuse else None
        if corpus is not None:
            reader, units, libraries, types = existing_organisation()
            count, ingest_rate = corpus["documents"], None
            print(f"reusing the corpus of {count} documents (ingested at {corpus['ingest_per_s']}/s)", file=sys.stderr)
        else:
            if arguments.reuse:
                print("nothing to reuse: building the corpus", file=sys.stderr)
            reader, units, libraries, types = build_organisation()
            ingest_rate = build_corpus(vendor, count, reader, libraries, types)
            if keep:
                record_corpus(count, ingest_rate)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('content_searchentry'))")
                print(f"search table with index: {cursor.fetchone()[0]}", file=sys.stderr)
        upload_rate = upload_sample(reader, libraries, types, 30 if arguments.quick else 200)
        timings, hits = time_searches(reader, rounds=3)
        facet_timings = time_facets(reader)
        ilike = time_ilike(QUERIES if arguments.quick else QUERIES[::7])
        figures = {
            "bench": "search",
            "database": vendor,
            "documents": count,
            "reused": corpus is not None,
            "ingest_per_s": ingest_rate,
            "upload_service_per_s": round(upload_rate, 1),
            "queries": len(QUERIES),
            "search_p50_ms": round(statistics.median(timings), 2),
            "search_p95_ms": round(percentile(timings, 0.95), 2),
            "search_with_facets_p95_ms": round(percentile(facet_timings, 0.95), 2),
            "ilike_p95_ms": round(percentile(ilike, 0.95), 2),
            "ilike_to_search_p95_ratio": round(percentile(ilike, 0.95) / max(percentile(timings, 0.95), 0.001), 1),
            "mean_hits_per_query": round(statistics.mean(hits), 1),
            "target_p95_ms": 100,
        }
    finally:
        shutil.rmtree(settings.CONTENT_STORE_DIR, ignore_errors=True)
        if not keep:
            clean_up()
    print(json.dumps(figures))


def build_corpus(vendor: str, count: int, reader, libraries, types) -> float:
    """Ingest ``count`` generated documents; return documents per second, index builds included."""
    from django.db import connection

    started = time.perf_counter()
    if vendor == "postgresql":  # bulk load: build the search indexes once at the end (timed as part of ingest)
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'content_searchentry' "
                           "AND indexname <> 'content_searchentry_pkey'")
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        ingest_with_copy(count, reader, libraries, types, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, definition in indexes:
                index_started = time.perf_counter()
                cursor.execute(definition)
                print(f"  index {name} built in {time.perf_counter() - index_started:.1f}s", file=sys.stderr)
    else:
        ingest(count, reader, libraries, types, batch_size=2000)
    seconds = time.perf_counter() - started
    print(f"ingested {count} in {seconds:.1f}s", file=sys.stderr)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE content_searchentry")
            cursor.execute("VACUUM ANALYZE content_document")
    return round(count / seconds, 1)


if __name__ == "__main__":
    main()
