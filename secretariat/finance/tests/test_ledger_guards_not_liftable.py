"""The ledger's guards cover every way in (ADR 0006): a line changed under the maintenance switch
is re-checked for balance, nothing is posted into a closed period whatever the row claims, and
period balances change only by posting."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from secretariat.core.audit import audit_maintenance
from secretariat.core.models import AuditEvent
from secretariat.finance.entry_hashes import posted_content_hashes
from secretariat.finance.models import (
    FiscalPeriod,
    JournalEntry,
    JournalLine,
    PeriodBalance,
)
from secretariat.finance.services import journal
from secretariat.finance.services.structure import close_fiscal_period
from secretariat.finance.tests.factories import simple_entry
from secretariat.finance.tests.test_ledger_database_integrity import (
    check_deferred_constraints,
    insert_entry,
    insert_line,
)

pytestmark = pytest.mark.django_db

# SQLite has no roles: the embedded default trusts its process.
postgresql_only = pytest.mark.postgres


def posted(ledger):
    return journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[simple_entry(ledger)])[0]


def test_a_line_changed_under_the_maintenance_switch_is_rechecked_for_balance(ledger):
    # given
    entry = posted(ledger)
    debit_line = entry.lines.get(debit_usd__gt=0)
    # when the owner lifts the immutability guard and changes one side only
    with audit_maintenance(), pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        JournalLine.objects.filter(pk=debit_line.pk).update(debit_usd=Decimal("150.00"))
        check_deferred_constraints()
    # then
    assert JournalLine.objects.get(pk=debit_line.pk).debit_usd == Decimal("100.00")


def test_nothing_is_posted_into_a_closed_period_whatever_the_row_claims(ledger):
    # given a closed period
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    close_fiscal_period(actor=ledger.admin, period_id=period.pk, reason="month end")
    # when a balanced entry goes in by SQL, claiming to have been posted just now
    with pytest.raises(DatabaseError, match="cannot be posted into it"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO finance_journalentry (journal_id, fund_id, period_id, entry_on, description, status,"
                " fiscal_year, sequence_number, number, total_usd, prepared_by_id, prepared_at, posted_at)"
                " VALUES (%s, %s, %s, %s, 'raw', 'draft', NULL, NULL, '', 100, %s, %s, %s)",
                [ledger.general.pk, ledger.regular_budget.pk, period.pk, datetime.date(2026, 3, 3), ledger.admin.pk,
                 timezone.now(), timezone.now()])
        entry_id = JournalEntry.objects.get(description="raw").pk
        insert_line(ledger, entry_id, "5310", "100", "0")
        insert_line(ledger, entry_id, "1110", "0", "100")
        JournalEntry.objects.filter(pk=entry_id).update(status="posted", fiscal_year=2026, sequence_number=900,
                                                        number="GJ-2026-900")
        check_deferred_constraints()
    # then
    assert not JournalEntry.objects.filter(description="raw").exists()


@postgresql_only
def test_an_entry_inserted_as_posted_into_a_closed_period_is_refused(ledger):
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    close_fiscal_period(actor=ledger.admin, period_id=period.pk, reason="month end")
    with pytest.raises(DatabaseError, match="cannot be posted into it"), transaction.atomic():
        insert_entry(ledger, "posted", 901)  # into March 2026, numbered and stamped as posted
    assert not JournalEntry.objects.filter(description="raw").exists()


@postgresql_only
def test_period_balances_change_only_by_posting(ledger):
    # given
    entry = posted(ledger)
    balance = PeriodBalance.objects.get(period=entry.period, account=ledger.account("5310"))
    # when / then: no direct write, whoever the user
    for statement in ("UPDATE finance_periodbalance SET debit_usd = debit_usd + 1 WHERE id = %s",
                      "DELETE FROM finance_periodbalance WHERE id = %s"):
        with pytest.raises(DatabaseError, match="period balances are kept by posting journal entries"), \
                transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [balance.pk])
    assert PeriodBalance.objects.get(pk=balance.pk).debit_usd == Decimal("100.00")


@postgresql_only
def test_no_guard_function_reads_the_maintenance_setting_alone():
    """The class of defect: a guard any session could lift with SET secretariat.audit_maintenance."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE prosrc LIKE %s AND proname <> %s ORDER BY proname",
                       ["%current\\_setting('secretariat.audit\\_maintenance'%", "secretariat_maintenance_allowed"])
        assert cursor.fetchall() == []


def test_each_posting_records_the_content_hash_of_what_it_posted(ledger):
    # given / when
    entry = posted(ledger)
    reversal = journal.reverse_journal_entry(actor=ledger.admin, entry_id=entry.pk,
                                             reversal_on=datetime.date(2026, 3, 20), reason="duplicate")
    # then
    batch_event = AuditEvent.objects.get(action="finance.journal_entries.posted")
    reversal_event = AuditEvent.objects.get(action="finance.journal_entry.reversed")
    assert batch_event.changes["content_hashes"] == posted_content_hashes([entry.pk])
    assert reversal_event.changes["content_hashes"] == posted_content_hashes([reversal.pk])
    assert list(batch_event.changes["content_hashes"]) == [entry.number]
