"""Concurrent postings never produce a gap or a duplicate number, nor leave a fund unbalanced."""

import threading

import pytest
from django.db import connections

from secretariat.finance.models import JournalEntry, JournalLine, PeriodBalance
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import build_ledger, simple_entry

# Threads cannot share SQLite's in-memory test database; PostgreSQL runs this race.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS, ENTRIES_EACH = 3, 4


def test_racing_writers_get_consecutive_unique_numbers(db):
    # given
    ledger = build_ledger(years=(2026,))
    start, errors = threading.Barrier(WRITERS), []

    def writer(index: int) -> None:
        try:
            start.wait()
            for n in range(ENTRIES_EACH):
                journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                             entries=[simple_entry(ledger, f"{index + 1}.{n + 1:02d}")])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    numbers = sorted(JournalEntry.objects.values_list("sequence_number", flat=True))
    assert numbers == list(range(1, WRITERS * ENTRIES_EACH + 1))
    lines = JournalLine.objects.all()
    assert sum(ln.debit_usd for ln in lines) == sum(ln.credit_usd for ln in lines)
    supplies = PeriodBalance.objects.get(account=ledger.account("5310"))
    assert supplies.debit_usd == sum(ln.debit_usd for ln in lines)
