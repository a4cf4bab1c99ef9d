"""On PostgreSQL the application connects as a role that owns nothing (ADR 0006): as that role
the bypass of issue 11 fails with a clear error, and what a database superuser can still do is
reported by ``verify_ledger`` and ``verify_audit_chain``."""

import io
import os

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from secretariat.core.models import AuditEvent
from secretariat.finance.models import PeriodBalance
from secretariat.finance.services import journal
from secretariat.finance.tests.factories import build_ledger, simple_entry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # database roles exist on PostgreSQL only
]


@pytest.fixture
def application_role(settings):
    """A login role, given the application's privileges by the command, run through the owner's URL."""
    role = f"secretariat_app_test_{os.getpid()}"
    database = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    settings.SECRETARIAT_MIGRATION_DATABASE_URL = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}")
    call_command("grant_application_role", role, stdout=io.StringIO())
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def connect_as(role: str) -> psycopg.Connection:
    database = connection.settings_dict
    return psycopg.connect(host=database["HOST"], port=database["PORT"] or 5432, dbname=database["NAME"], user=role,
                           autocommit=True)


def refused_as(app: psycopg.Connection, *statements: str, match: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=match), app.transaction():
        for statement in statements:
            app.execute(statement)


def test_the_application_role_cannot_lift_a_guard_and_a_superusers_edits_are_reported(application_role):
    # given a posted entry
    ledger = build_ledger(years=(2026,))
    entry, = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                          entries=[simple_entry(ledger)])
    debit_line = entry.lines.get(debit_usd__gt=0)
    with connect_as(application_role) as app:
        # when the application's role tries the bypass of issue 11, then the guard holds
        refused_as(app, "SET LOCAL secretariat.audit_maintenance = 'on'",
                   f"UPDATE finance_journalline SET debit_usd = 150 WHERE id = {debit_line.pk}",
                   match="lines of posted journal entries are immutable: UPDATE refused")
        # and the rest of the bypasses: balances, the audit trail, shadowing tables with its own
        refused_as(app, "UPDATE finance_periodbalance SET debit_usd = 1",
                   match="permission denied for table finance_periodbalance")
        refused_as(app, "UPDATE core_auditevent SET action = 'x'", match="permission denied for table core_auditevent")
        refused_as(app, "TRUNCATE core_auditevent", match="permission denied for table core_auditevent")
        refused_as(app, "CREATE TEMP TABLE finance_journalentry (id bigint, status text)",
                   match="permission denied to create temporary tables")
        # while posting through the database's path still keeps the balances it may not write
        with app.transaction():
            entry_id = app.execute(
                "INSERT INTO finance_journalentry (journal_id, fund_id, period_id, entry_on, description, status,"
                " number, total_usd, prepared_by_id, prepared_at) VALUES (%s, %s, %s, '2026-03-04', 'app', 'draft',"
                " '', 10, %s, now()) RETURNING id",
                [ledger.general.pk, ledger.regular_budget.pk, entry.period_id, ledger.admin.pk]).fetchone()[0]
            for account, debit, credit in (("5310", 10, 0), ("1110", 0, 10)):
                app.execute(
                    "INSERT INTO finance_journalline (entry_id, fund_id, account_id, description, obligation, currency,"
                    " debit_amount, credit_amount, exchange_rate, debit_usd, credit_usd)"
                    " VALUES (%s, %s, %s, '', '', 'USD', %s, %s, 1, %s, %s)",
                    [entry_id, ledger.regular_budget.pk, ledger.account(account).pk, debit, credit, debit, credit])
            app.execute("UPDATE finance_journalentry SET status = 'posted', fiscal_year = 2026, sequence_number = 900,"
                        " number = 'GJ-2026-900', posted_at = now() WHERE id = %s", [entry_id])
    expense = PeriodBalance.objects.get(period_id=entry.period_id, account=ledger.account("5310"))
    assert expense.debit_usd == 110

    # when a superuser switches the triggers off, edits the posted line, a balance and an audit event
    first_event = AuditEvent.objects.order_by("sequence").first()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE finance_journalline SET debit_usd = 150 WHERE id = %s", [debit_line.pk])
        cursor.execute("UPDATE finance_periodbalance SET debit_usd = 999 WHERE id = %s", [expense.pk])
        cursor.execute("UPDATE core_auditevent SET actor_label = 'someone else' WHERE id = %s", [first_event.pk])
        cursor.execute("SET session_replication_role = DEFAULT")

    # then both checks report exactly what changed, and fail
    with pytest.raises(CommandError) as ledger_check:
        call_command("verify_ledger", stdout=io.StringIO())
    findings = str(ledger_check.value).splitlines()[1:]
    assert findings[0].startswith(f"entry {entry.number}: its lines or amounts differ from what was posted")
    assert findings[1:] == [
        f"entry {entry.number}, line {debit_line.pk}: debit_usd is 150.0000, its debit_amount 100.0000 at rate "
        f"1.000000 gives 100.00",
        f"entry {entry.number}: fund RB does not balance (debits 150.0000, credits 100.0000)",
        "entry GJ-2026-900: no content hash was recorded in the audit trail when it was posted",
        f"period balance {entry.period}, fund RB, account 5310: debit_usd expected 160.0000 (sum of posted lines), "
        f"found 999.0000",
    ]
    with pytest.raises(CommandError, match=f"Audit chain broken at event {first_event.sequence}: "
                                           f"content does not match its hash"):
        call_command("verify_audit_chain", stdout=io.StringIO())
