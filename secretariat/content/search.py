"""Full-text search: one interface, a backend per database (ADR 0032, ADR 0034).

Documents are indexed into ``SearchEntry`` rows (title, subject terms, author and extracted
text) in the same transaction as the change, so the index never disagrees with the documents.
The backend answers "which documents match this query, and how well"; the caller passes the
rule deciding what the reader may see, which the backend applies inside its index scans, so
permissions come from the one selector that decides them.

- PostgreSQL: a generated ``tsvector`` column picks the language's text-search configuration
  (arabic, english, french, russian, spanish; simple for Chinese), one partial GIN index per
  language serves it; a small generated ``heading_vector`` (title, subject terms, author,
  symbol; no index) says whether a candidate matches in its heading.
- SQLite: an external-content FTS5 table (heading, body) kept in step by triggers (porter + unicode61).
- Chinese (any Han, kana or Hangul run, in any document) is indexed and queried as
  overlapping bigrams, and a query run becomes a phrase, which gives substring matching.
- Index and query text are folded first (``folding.fold``, ADR 0036): accents, Arabic letter
  forms, diacritics and the article, a few English irregular plurals.

A broad query is not ranked over every match (ADR 0034): the candidates are the first
``RANKED_WINDOW`` matching documents the reader may open, in index order, plus those whose title
is exactly the query.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from secretariat.content.folding import fold

PG_CONFIGS = {"ar": "arabic", "en": "english", "fr": "french", "ru": "russian", "es": "spanish", "zh-hans": "simple"}
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
WORD = re.compile(r"\w+", re.UNICODE)
CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
# Case, number and gender endings of Russian nouns and adjectives, longest first: on SQLite a
# Russian query word also matches every word beginning with what remains (at least 4 letters).
RUSSIAN_ENDINGS = sorted({
    "иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ость", "ости", "остью", "ая", "яя", "ое",
    "ее", "ые", "ие", "ый", "ий", "ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ию", "ья", "ью",
    "ия", "ии", "ую", "юю", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"}, key=len, reverse=True)
RUSSIAN_MIN_STEM = 4
# Matching documents the reader may open, taken in index order, that are ranked, counted and faceted.
RANKED_WINDOW = 1000
# Readable matches a scan visits at most while metadata filters (type, unit, year…) keep the window
# from filling: the bound on the work of a broad query with a narrow filter.
SCAN_BUDGET = 5000
# Documents whose title is exactly the query, added to the window (so a broad query never loses them).
EXACT_TITLE_LIMIT = 20


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def prepare_text(text: str) -> str:
    """Text as the index stores it: folded, CJK runs rewritten as space-separated bigrams."""
    return CJK_RUN.sub(lambda match: " " + " ".join(bigrams(match.group())) + " ", fold(text))


def normalise_title(text: str) -> str:
    """A title (or a query) reduced to its folded words: equal for an exact title match."""
    return " ".join(WORD.findall(fold(text)))[:500]


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one word: a phrase (adjacent tokens)


def query_terms(query: str) -> list[Term]:
    """Split a user's query into folded terms: words, and CJK runs turned into bigram phrases."""
    query = fold(query)
    terms: list[Term] = []
    position = 0
    for match in CJK_RUN.finditer(query):
        terms.extend(Term((word,)) for word in WORD.findall(query[position:match.start()]))
        terms.append(Term(tuple(bigrams(match.group()))))
        position = match.end()
    terms.extend(Term((word,)) for word in WORD.findall(query[position:]))
    return terms[:20]


@dataclass(frozen=True)
class Candidate:
    """A document the reader may open that matches the query, with what ranks it.

    ``position`` is where the index scan found it (None when it came from the exact title lookup
    only); the positions of the window extrapolate the total (ADR 0034).
    """

    document_id: int
    position: int | None
    is_exact_title: bool
    heading_matches: bool
    rank: float

    @property
    def sort_key(self) -> tuple:
        return self.is_exact_title, self.heading_matches, self.rank, self.document_id


@dataclass(frozen=True)
class ScanEnd:
    """How far the scan of readable matches went when the metadata filters kept the window from filling."""

    position: int | None
    scanned: int


# ``readable(column)`` / ``wanted(column)``: SQL and parameters of a query that is non-empty when the
# document whose id is in ``column`` may be opened by the reader / passes the metadata filters.
Correlated = Callable[[str], tuple[str, list]]


class SearchBackend:
    """Finds the candidates of a query; subclasses say how their index is scanned and ranked."""

    vendor = ""
    position_sql = ""  # where the scan found entry ``e``: increasing along the scan, from 1

    def scan_sql(self, terms: list[Term], language: str | None) -> tuple[str, list]:
        """``FROM … WHERE …`` yielding the matching entries as ``e``, in index order."""
        raise NotImplementedError

    def ranked_sql(self, terms: list[Term], language: str | None, alias: str) -> tuple[str, list]:
        """The ``heading_matches`` (1/0) and ``rank`` columns of entry ``alias`` (``e`` in the scan)."""
        raise NotImplementedError

    def carried_sql(self, terms: list[Term], language: str | None) -> tuple[str, list]:
        """Columns of ``e`` the scan passes on so that ``ranked_sql(…, "s")`` can rank the kept rows."""
        raise NotImplementedError

    def title_ranked_sql(self, terms: list[Term], language: str | None) -> tuple[str, list]:
        """``heading_matches`` and ``rank`` of an entry ``e`` found by its title (not by the scan)."""
        return self.ranked_sql(terms, language, "e")

    def prepare(self, cursor) -> None:
        """Session settings for the candidates query (run in the same transaction, just before it)."""

    def scan_span(self) -> int:
        """The end of the position scale (``position`` runs from 1 to it) for extrapolating totals."""
        raise NotImplementedError

    def candidates_sql(self, terms: list[Term], language: str | None, *, title: str, readable: Correlated,
                       wanted: Correlated | None) -> tuple[str, list]:
        """SQL selecting the candidates: ``document_id, position, is_exact_title, heading_matches, rank``.

        The scan visits the index's matches in order and keeps those the reader may open, up to
        ``RANKED_WINDOW``: the window holds only documents the reader may see. With metadata
        filters (``wanted``), the readable matches (at most ``SCAN_BUDGET``) are filtered into the
        window, and when it does not fill, one more row, with a NULL ``document_id``, gives the
        position and number of readable matches scanned. Documents whose normalised title is
        ``title`` (and which the reader may open) are added.
        """
        scan, scan_params = self.scan_sql(terms, language)
        readable_sql, readable_params = readable("e.document_id")
        if wanted is None:
            ranked, ranked_params = self.ranked_sql(terms, language, "e")
            windows = f"""
                body AS (
                    SELECT e.document_id, {self.position_sql} AS position, {ranked}
                    {scan} AND EXISTS ({readable_sql}) LIMIT {RANKED_WINDOW}
                )"""
            windows_params = [*ranked_params, *scan_params, *readable_params]
            scan_end = ""
        else:
            carried, carried_params = self.carried_sql(terms, language)
            ranked, ranked_params = self.ranked_sql(terms, language, "s")
            wanted_sql, wanted_params = wanted("s.document_id")
            windows = f"""
                scanned AS MATERIALIZED (
                    SELECT e.document_id, {self.position_sql} AS position, {carried}
                    {scan} AND EXISTS ({readable_sql}) LIMIT {SCAN_BUDGET}
                ), body AS MATERIALIZED (
                    SELECT s.document_id, s.position, {ranked} FROM scanned s
                    WHERE EXISTS ({wanted_sql}) LIMIT {RANKED_WINDOW}
                )"""
            windows_params = [*carried_params, *scan_params, *readable_params, *ranked_params, *wanted_params]
            scan_end = f"""
                UNION ALL
                SELECT NULL, max(position), NULL, NULL, count(*) FROM scanned
                WHERE (SELECT count(*) FROM body) < {RANKED_WINDOW}"""
        title_ranked, title_ranked_params = self.title_ranked_sql(terms, language)
        title_wanted, title_wanted_params = wanted("e.document_id") if wanted else ("SELECT 1", [])
        language_filter, language_params = ("AND e.language = %s", [language]) if language else ("", [])
        sql = f"""
            WITH {windows}, exact AS (
                SELECT e.document_id, {title_ranked} FROM content_searchentry e
                WHERE e.normalised_title = %s {language_filter} AND EXISTS ({readable_sql})
                AND EXISTS ({title_wanted}) LIMIT {EXACT_TITLE_LIMIT}
            )
            SELECT document_id, max(position), max(is_exact), max(heading_matches), max(rank) FROM (
                SELECT document_id, position, 0 AS is_exact, heading_matches, rank FROM body
                UNION ALL SELECT document_id, NULL, 1, heading_matches, rank FROM exact) found
            GROUP BY document_id {scan_end}
        """
        params = [*windows_params, *title_ranked_params, title, *language_params, *readable_params,
                  *title_wanted_params]
        return sql, params


class PostgresSearch(SearchBackend):
    vendor = "postgresql"
    position_sql = "(e.ctid::text::point)[0]::bigint + 1"  # the heap block: a bitmap scan reads blocks in order
    # For the candidates statement only (ADR 0034):
    # - enough memory for the bitmap of a very common word's matches to stay exact: a lossy bitmap
    #   makes the scan re-read (and decompress) every entry of each lossy page;
    # - the scan must be a pipeline in block order that stops at the window: no parallel workers
    #   (they interleave blocks) and no hash or merge join for the permission check (the planner,
    #   expecting to read a fifth of the matches, would hash every document the reader may open).
    SETTINGS = {"work_mem": "32MB", "max_parallel_workers_per_gather": "0", "enable_hashjoin": "off",
                "enable_mergejoin": "off"}

    @staticmethod
    def websearch_text(terms: list[Term]) -> str:
        return " ".join(f'"{" ".join(term.words)}"' if len(term.words) > 1 else term.words[0] for term in terms)

    @classmethod
    def per_language(cls, template: str, terms: list[Term], language: str | None) -> tuple[str, list]:
        """``template`` with {code} and {query} filled in for each language, and the query text parameters.

        Only the known language codes are written into the SQL (any other language matches nothing).
        """
        text = cls.websearch_text(terms)
        parts, params = [], []
        for code, config in PG_CONFIGS.items():
            if language in (None, code):
                parts.append(template.format(code=code, query=f"websearch_to_tsquery('{config}', %s)"))
                params += [text] * template.count("{query}")
        return " ".join(parts), params

    def scan_sql(self, terms, language):
        # One OR-ed condition per language: each arm is served by that language's partial GIN index
        # (a BitmapOr), and the heap is read in block order.
        matches, params = self.per_language("OR (e.language = '{code}' AND e.search_vector @@ {query})", terms,
                                            language)
        return f"FROM content_searchentry e WHERE ({matches.removeprefix('OR ') or 'false'})", params

    def ranked_sql(self, terms, language, alias):
        if language is not None and language not in PG_CONFIGS:
            return "0 AS heading_matches, 0.0 AS rank", []
        heading, heading_params = self.per_language(
            "WHEN '{code}' THEN %s.heading_vector @@ {query}" % alias, terms, language)
        rank, rank_params = self.per_language(
            "WHEN '{code}' THEN ts_rank(%s.search_vector, {query}, 1)" % alias, terms, language)
        return (f"CASE WHEN CASE {alias}.language {heading} END THEN 1 ELSE 0 END AS heading_matches, "
                f"COALESCE(CASE {alias}.language {rank} END, 0) AS rank"), [*heading_params, *rank_params]

    def carried_sql(self, terms, language):
        # The vectors travel as toast pointers: only the rows kept by the filters are read and ranked.
        return "e.language, e.search_vector, e.heading_vector", []

    def prepare(self, cursor) -> None:
        for name, value in self.SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])

    def scan_span(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('content_searchentry') / current_setting('block_size')::int")
            return cursor.fetchone()[0]


class SqliteSearch(SearchBackend):
    vendor = "sqlite"
    position_sql = "e.document_id"  # FTS5 yields matches in rowid (document id) order

    @staticmethod
    def match_expression(terms: list[Term]) -> str:
        """Terms AND-ed; a Russian word also matches the words beginning with its stem (ADR 0036)."""
        quoted = []
        for term in terms:
            phrase = '"' + " ".join(word.replace('"', '""') for word in term.words) + '"'
            stem = russian_stem(term.words[0]) if len(term.words) == 1 else None
            quoted.append(f'({phrase} OR "{stem}" *)' if stem else phrase)
        return " AND ".join(quoted)

    def heading_sql(self, terms) -> tuple[str, list]:
        return ("e.document_id IN (SELECT rowid FROM content_search_fts WHERE content_search_fts MATCH %s) "
                "AS heading_matches", [f"{{heading}} : ({self.match_expression(terms)})"])

    def scan_sql(self, terms, language):
        language_filter, language_params = ("AND e.language = %s", [language]) if language else ("", [])
        return ("FROM content_search_fts JOIN content_searchentry e ON e.document_id = content_search_fts.rowid "
                f"WHERE content_search_fts MATCH %s {language_filter}"), [self.match_expression(terms),
                                                                          *language_params]

    def ranked_sql(self, terms, language, alias):
        if alias == "s":  # computed by the scan: bm25 exists only in the matching query
            return "s.heading_matches, s.rank", []
        heading, params = self.heading_sql(terms)
        return f"{heading}, -bm25(content_search_fts, 5.0, 1.0) AS rank", params

    def carried_sql(self, terms, language):
        return self.ranked_sql(terms, language, "e")

    def title_ranked_sql(self, terms, language):
        heading, params = self.heading_sql(terms)
        return f"{heading}, 0.0 AS rank", params  # outside the matching scan: no bm25

    def scan_span(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(document_id), 0) FROM content_searchentry")
            return cursor.fetchone()[0]


def russian_stem(word: str) -> str | None:
    """The stem of a Russian word without its inflection (the word itself when none applies), for
    SQLite, whose porter stemmer knows only English (PostgreSQL stems with the russian snowball
    configuration). None when the word is not Cyrillic or shorter than ``RUSSIAN_MIN_STEM`` letters."""
    if not CYRILLIC_WORD.fullmatch(word) or len(word) < RUSSIAN_MIN_STEM:
        return None
    for ending in RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= RUSSIAN_MIN_STEM:
            return word[:-len(ending)]
    return word


def backend() -> SearchBackend:
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def heading_parts(document) -> list[str]:
    return [document.title, " ".join(document.subject_terms or []), document.author or "",
            document.official_document.symbol if document.official_document_id else ""]


def entry_body(document, extracted_text: str) -> str:
    parts = [*heading_parts(document), extracted_text or ""]
    return prepare_text("\n".join(part for part in parts if part))


def entry_heading(document) -> str:
    return prepare_text("\n".join(part for part in heading_parts(document) if part))


def index_document(document, extracted_text: str | None = None) -> None:
    """Write (or rewrite) the document's search entry; call inside the changing transaction."""
    from secretariat.content.models import SearchEntry

    if extracted_text is None:
        latest = document.versions.order_by("-number").values_list("extracted_text", flat=True).first()
        extracted_text = latest or ""
    SearchEntry.objects.update_or_create(document=document, defaults={
        "language": document.language, "body": entry_body(document, extracted_text),
        "heading": entry_heading(document), "normalised_title": normalise_title(document.title)})
