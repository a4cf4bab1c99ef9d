"""Full-text search: one interface, a backend per database (ADR 0032).

Documents are indexed into ``SearchEntry`` rows (title, subject terms, author and extracted
text) in the same transaction as the change, so the index never disagrees with the documents.
The backend only answers "which document ids match this query"; the caller intersects that
with what the user may see, so permissions are applied by the one selector that decides them.

- PostgreSQL: a generated ``tsvector`` column picks the language's text-search configuration
  (arabic, english, french, russian, spanish; simple for Chinese) and a GIN index serves it.
- SQLite: an external-content FTS5 table kept in step by triggers (porter + unicode61).
- Chinese (any Han, kana or Hangul run, in any document) is indexed and queried as
  overlapping bigrams, and a query run becomes a phrase, which gives substring matching.
"""

import re
from dataclasses import dataclass

from django.db import connection

PG_CONFIGS = {"ar": "arabic", "en": "english", "fr": "french", "ru": "russian", "es": "spanish", "zh-hans": "simple"}
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
WORD = re.compile(r"\w+", re.UNICODE)
# How many matching entries (per language, the first the index yields) are ranked and counted.
CANDIDATES = 2000


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def prepare_text(text: str) -> str:
    """Text as the index stores it: CJK runs rewritten as space-separated bigrams."""
    return CJK_RUN.sub(lambda match: " " + " ".join(bigrams(match.group())) + " ", text or "")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one word: a phrase (adjacent tokens)


def query_terms(query: str) -> list[Term]:
    """Split a user's query into terms: words, and CJK runs turned into bigram phrases."""
    terms: list[Term] = []
    position = 0
    for match in CJK_RUN.finditer(query):
        terms.extend(Term((word,)) for word in WORD.findall(query[position:match.start()]))
        terms.append(Term(tuple(bigrams(match.group()))))
        position = match.end()
    terms.extend(Term((word,)) for word in WORD.findall(query[position:]))
    return terms[:20]


class SearchBackend:
    vendor = ""

    def matching_sql(self, terms: list[Term], language: str | None) -> tuple[str, list]:
        """SQL selecting ``document_id`` and ``rank`` of entries matching every term."""
        raise NotImplementedError


class PostgresSearch(SearchBackend):
    vendor = "postgresql"

    @staticmethod
    def websearch_text(terms: list[Term]) -> str:
        return " ".join(f'"{" ".join(term.words)}"' if len(term.words) > 1 else term.words[0] for term in terms)

    def matching_sql(self, terms, language):
        text = self.websearch_text(terms)
        languages = [language] if language else list(PG_CONFIGS)
        branches, params = [], []
        for code in languages:
            config = PG_CONFIGS.get(code, "simple")
            # At most CANDIDATES matches per language are read and ranked: ranking (or even sorting)
            # every match of a common word would read every matching row (ADR 0032).
            branches.append(
                f"SELECT c.document_id, ts_rank(c.search_vector, websearch_to_tsquery('{config}', %s)) AS rank "
                f"FROM (SELECT document_id, search_vector FROM content_searchentry WHERE language = %s "
                f"AND search_vector @@ websearch_to_tsquery('{config}', %s) "
                f"LIMIT {CANDIDATES}) c"
            )
            params += [text, code, text]
        return " UNION ALL ".join(branches), params


class SqliteSearch(SearchBackend):
    vendor = "sqlite"

    @staticmethod
    def match_expression(terms: list[Term]) -> str:
        quoted = ['"' + " ".join(word.replace('"', '""') for word in term.words) + '"' for term in terms]
        return " AND ".join(quoted)

    def matching_sql(self, terms, language):
        sql = ("SELECT e.document_id AS document_id, -bm25(content_search_fts) AS rank FROM content_search_fts "
               "JOIN content_searchentry e ON e.document_id = content_search_fts.rowid "
               "WHERE content_search_fts MATCH %s")
        params = [self.match_expression(terms)]
        if language:
            sql += " AND e.language = %s"
            params.append(language)
        return f"{sql} LIMIT {CANDIDATES}", params


def backend() -> SearchBackend:
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def entry_body(document, extracted_text: str) -> str:
    parts = [document.title, " ".join(document.subject_terms or []), document.author or "",
             document.official_document.symbol if document.official_document_id else "", extracted_text or ""]
    return prepare_text("\n".join(part for part in parts if part))


def index_document(document, extracted_text: str | None = None) -> None:
    """Write (or rewrite) the document's search entry; call inside the changing transaction."""
    from secretariat.content.models import SearchEntry

    if extracted_text is None:
        latest = document.versions.order_by("-number").values_list("extracted_text", flat=True).first()
        extracted_text = latest or ""
    SearchEntry.objects.update_or_create(
        document=document, defaults={"language": document.language, "body": entry_body(document, extracted_text)}
    )
