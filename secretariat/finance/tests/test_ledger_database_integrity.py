"""The database itself refuses unbalanced posted entries and changes to posted ones (ADR 0010),
whatever code or SQL client writes."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from secretariat.finance.models import JournalEntry, JournalLine
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import simple_entry

pytestmark = pytest.mark.django_db


def insert_entry(ledger, status: str, number: int | None) -> int:
    period = ledger.regular_budget and JournalEntry._meta.get_field("period").related_model.objects.get(
        calendar="calendar_year", fiscal_year=2026, number=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO finance_journalentry (journal_id, fund_id, period_id, entry_on, description, status,"
            " fiscal_year, sequence_number, number, total_usd, prepared_by_id, prepared_at, posted_at)"
            " VALUES (%s, %s, %s, %s, 'raw', %s, %s, %s, %s, 100, %s, %s, %s)",
            [ledger.general.pk, ledger.regular_budget.pk, period.pk, datetime.date(2026, 3, 3), status,
             2026 if number else None, number, f"GJ-2026-{number}" if number else "", ledger.admin.pk,
             timezone.now(), timezone.now() if number else None])
        return JournalEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]


def insert_line(ledger, entry_id: int, account_code: str, debit: str, credit: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO finance_journalline (entry_id, fund_id, account_id, description, currency, debit_amount,"
            " credit_amount, exchange_rate, debit_usd, credit_usd) VALUES (%s, %s, %s, '', 'USD', %s, %s, 1, %s, %s)",
            [entry_id, ledger.regular_budget.pk, ledger.account(account_code).pk, debit, credit, debit, credit])


def check_deferred_constraints() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_raw_insert_of_an_unbalanced_posted_entry_is_rejected(ledger):
    with pytest.raises(DatabaseError), transaction.atomic():
        if connection.vendor == "postgresql":
            entry_id = insert_entry(ledger, "posted", 900)
        else:  # SQLite: entries are inserted as drafts and posted by a status change, checked then
            entry_id = insert_entry(ledger, "draft", None)
        insert_line(ledger, entry_id, "5310", "100", "0")
        insert_line(ledger, entry_id, "1110", "0", "90")
        if connection.vendor == "sqlite":
            JournalEntry.objects.filter(pk=entry_id).update(status="posted", fiscal_year=2026, sequence_number=900,
                                                            number="GJ-2026-900")
        check_deferred_constraints()
    assert not JournalEntry.objects.filter(description="raw").exists()


def test_a_raw_insert_of_a_balanced_entry_is_accepted(ledger):
    # given / when
    with transaction.atomic():
        entry_id = insert_entry(ledger, "draft", None)
        insert_line(ledger, entry_id, "5310", "100", "0")
        insert_line(ledger, entry_id, "1110", "0", "100")
        JournalEntry.objects.filter(pk=entry_id).update(status="posted", fiscal_year=2026, sequence_number=900,
                                                        number="GJ-2026-900")
        check_deferred_constraints()
    # then
    assert JournalEntry.objects.get(pk=entry_id).status == "posted"


def test_a_posted_entry_without_lines_is_rejected(ledger):
    with pytest.raises(DatabaseError), transaction.atomic():
        entry_id = insert_entry(ledger, "draft", None)
        JournalEntry.objects.filter(pk=entry_id).update(status="posted", fiscal_year=2026, sequence_number=901,
                                                        number="GJ-2026-901")
        check_deferred_constraints()


def posted(ledger):
    return journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[simple_entry(ledger)])[0]


def test_lines_of_a_posted_entry_cannot_be_changed_deleted_or_added(ledger):
    entry = posted(ledger)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalLine.objects.filter(entry=entry).update(debit_usd=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalLine.objects.filter(entry=entry).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        insert_line(ledger, entry.pk, "5310", "1", "0")
        check_deferred_constraints()
    assert entry.lines.count() == 2


def test_a_posted_entry_cannot_be_edited_or_deleted_only_marked_reversed(ledger):
    entry = posted(ledger)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(description="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(status="draft", sequence_number=None, fiscal_year=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).delete()
    # the one change allowed, used by reverse_journal_entry
    JournalEntry.objects.filter(pk=entry.pk).update(status="reversed")
    assert JournalEntry.objects.get(pk=entry.pk).status == "reversed"


@pytest.mark.django_db(transaction=True)
def test_no_line_can_be_added_to_an_entry_posted_in_an_earlier_transaction(db):
    # given an entry posted and committed
    from secretariat.finance.tests.factories import build_ledger

    ledger = build_ledger(years=(2026,))
    entry = posted(ledger)
    # when a later transaction adds even a balanced pair of lines
    with pytest.raises(DatabaseError), transaction.atomic():
        insert_line(ledger, entry.pk, "5310", "10", "0")
        insert_line(ledger, entry.pk, "1110", "0", "10")
    # then
    assert entry.lines.count() == 2
