"""``verify_ledger`` detects what a database superuser changed behind the platform's back
(ADR 0006): each finding names the entry, line and field, or the period, fund and account."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from secretariat.core.audit import audit_maintenance
from secretariat.finance.models import PeriodBalance
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import simple_entry
from secretariat.finance.tests.test_ledger_database_integrity import (
    insert_entry,
    insert_line,
)

pytestmark = pytest.mark.django_db


def as_superuser(sql: str, params: list) -> None:
    """Lift the guards, as a database superuser can. SQLite checks balance after each row, with no
    switch: the trigger is dropped inside the test's transaction, which rolls it back."""
    with audit_maintenance(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS finance_line_update_balanced")
        cursor.execute(sql, params)


@pytest.fixture
def postings(ledger):
    """Two entries posted in a batch, the first reversed."""
    first, second = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                                 entries=[simple_entry(ledger), simple_entry(ledger, "40.00")])
    journal.reverse_journal_entry(actor=ledger.admin, entry_id=first.pk, reversal_on=datetime.date(2026, 3, 20),
                                  reason="duplicate")
    return first, second


def test_an_untouched_ledger_verifies(postings, capsys):
    call_command("verify_ledger")
    assert json.loads(capsys.readouterr().out) == {"entries_checked": 3, "intact": True, "findings": []}


def test_changed_amounts_and_balances_are_reported_exactly(ledger, postings):
    # given a superuser moves 50 USD on both lines of a posted entry, and a period balance
    _first, second = postings
    debit, credit = second.lines.get(debit_usd__gt=0), second.lines.get(credit_usd__gt=0)
    as_superuser("UPDATE finance_journalline SET debit_usd = 90 WHERE id = %s", [debit.pk])
    as_superuser("UPDATE finance_journalline SET credit_usd = 90 WHERE id = %s", [credit.pk])
    balance = PeriodBalance.objects.get(period=second.period, account=ledger.account("1110"))
    as_superuser("UPDATE finance_periodbalance SET credit_usd = 1 WHERE id = %s", [balance.pk])
    # when
    with pytest.raises(CommandError) as refused:
        call_command("verify_ledger")
    # then
    findings = str(refused.value).splitlines()[1:]
    assert findings[0].startswith(f"entry {second.number}: its lines or amounts differ from what was posted")
    assert findings[1:] == [
        f"entry {second.number}, line {debit.pk}: debit_usd is 90.0000, its debit_amount 40.0000 at rate "
        f"1.000000 gives 40.00",
        f"entry {second.number}, line {credit.pk}: credit_usd is 90.0000, its credit_amount 40.0000 at rate "
        f"1.000000 gives 40.00",
        f"period balance {second.period}, fund {ledger.regular_budget.code}, account 1110: credit_usd expected "
        f"190.0000 (sum of posted lines), found 1.0000",
        f"period balance {second.period}, fund {ledger.regular_budget.code}, account 5310: debit_usd expected "
        f"190.0000 (sum of posted lines), found 140.0000",
    ]


def test_an_entry_slipped_in_without_a_posting_is_reported(ledger, postings):
    # given an entry inserted by SQL, balanced and numbered like a posted one
    entry_id = insert_entry(ledger, "draft", None)
    insert_line(ledger, entry_id, "5310", "10", "0")
    insert_line(ledger, entry_id, "1110", "0", "10")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE finance_journalentry SET status = 'posted', fiscal_year = 2026, sequence_number = 900,"
                       " number = 'GJ-2026-900' WHERE id = %s", [entry_id])
    # when
    with pytest.raises(CommandError) as refused:
        call_command("verify_ledger")
    # then
    assert str(refused.value).splitlines()[1:] == [
        "entry GJ-2026-900: no content hash was recorded in the audit trail when it was posted"]


def test_a_changed_posting_event_is_reported(ledger, postings):
    # given a superuser rewrites the recorded hashes to cover a change
    as_superuser("UPDATE core_auditevent SET changes = '{\"content_hashes\": {}}' WHERE action = %s",
                 ["finance.journal_entries.posted"])
    # when
    with pytest.raises(CommandError) as refused:
        call_command("verify_ledger")
    # then
    findings = str(refused.value).splitlines()[1:]
    assert findings[0].endswith("(finance.journal_entries.posted) recording posted entries was not written by "
                                "the application or was changed since")
    assert findings[1:] == [f"entry {postings[0].number}: no content hash was recorded in the audit trail when it "
                            f"was posted",
                            f"entry {postings[1].number}: no content hash was recorded in the audit trail when it "
                            f"was posted"]
