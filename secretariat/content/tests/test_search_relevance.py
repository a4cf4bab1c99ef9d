"""Search relevance over the demo corpus in six languages: precision and recall per language.

The relevance set (``relevance_set.QUERIES``, over 200 queries with their expected documents) is
searched within each query's language; the suite prints precision and recall per language and
holds each to its target on the backend it runs on (SQLite, or PostgreSQL with DATABASE_URL).
"""

from collections import defaultdict

import pytest
from django.db import connection

from secretariat.content import selectors
from secretariat.content.demo_corpus import load_search_corpus
from secretariat.content.tests.relevance_set import QUERIES

TARGET = 0.95


@pytest.mark.django_db
def test_relevance_set_meets_its_targets_in_every_language(office, capsys):
    # given: the demo corpus
    documents = load_search_corpus(actor=office.author, library=office.library, document_type=office.memo)
    keys = {document.pk: key for key, document in documents.items()}
    # when: every query of the set is searched in its language
    found, expected, misses = defaultdict(int), defaultdict(int), []
    correct = defaultdict(int)
    for language, query, wanted in QUERIES:
        results = selectors.search_documents(actor=office.author, query=query, language=language, limit=50,
                                             with_facets=False)
        got = {keys[hit.pk] for hit in results.hits}
        found[language] += len(got)
        expected[language] += len(wanted)
        correct[language] += len(got & wanted)
        if got != wanted:
            misses.append(f"{language} {query!r}: missing {sorted(wanted - got)}, unexpected {sorted(got - wanted)}")
    # then
    scores = {language: (correct[language] / found[language] if found[language] else 1.0,
                         correct[language] / expected[language]) for language in expected}
    with capsys.disabled():
        print(f"\nSearch relevance on {connection.vendor} ({len(QUERIES)} queries):")
        for language, (precision, recall) in sorted(scores.items()):
            print(f"  {language:8} precision {precision:.3f}  recall {recall:.3f}")
        for miss in misses:
            print(f"  miss: {miss}")
    assert len(QUERIES) >= 200 and len(scores) == 6
    assert all(precision >= TARGET and recall >= TARGET for precision, recall in scores.values()), scores
