"""Ledger benchmark (issue 3).

1. Post N balanced journal entries of 4 lines through the service layer
   (``finance.services.journal.post_journal_entries``: validation, gapless numbering, period
   balances, audit) and, in the same run on the same database, insert the same rows with raw SQL:
   ``executemany`` in batches, and ``COPY`` (PostgreSQL). Entries/s for each, ratio service/raw.
   Then one entry per service call (100 calls per transaction): ``single_entry_ms``, against the
   same rows inserted raw one entry at a time into the ledger's own tables (with their integrity
   triggers) and into plain tables of the same shape (PostgreSQL), so the triggers' cost shows.
2. Trial balance and statement of financial position over a ledger of 10 million lines, read
   from the maintained period balances, against the same trial balance by a full scan of the
   lines. The lines are generated server-side (generate_series) in the benchmark's own database.

Usage: .venv/bin/python bench/ledger.py [--quick] [--entries N] [--lines N] [--batch N]
PostgreSQL when DATABASE_URL is set (exactly the database it names: created and dropped, or, if
it already exists, used only when empty and emptied again; see ``bench_database.py``), otherwise
a temporary SQLite file (no COPY there). The last line printed is a JSON object.
"""

import argparse
import datetime
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench_database import prepare

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")


SINGLE_PER_TRANSACTION = 100  # one-entry service calls per transaction


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, well under a minute")
    parser.add_argument("--entries", type=int, help="entries posted per method (default 20000, quick 1000)")
    parser.add_argument("--lines", type=int, help="lines in the statement ledger (default 10M, quick 200k)")
    parser.add_argument("--batch", type=int, default=100, help="entries per service call / executemany batch")
    parser.add_argument("--single", type=int, help="entries posted one per call (default 5000, quick 500)")
    args = parser.parse_args()
    args.single = args.single or (500 if args.quick else 5000)
    args.entries = args.entries or (1000 if args.quick else 20000)
    args.lines = args.lines or (200_000 if args.quick else 10_000_000)
    return args


def entry_inputs(ledger, count: int, seed: int):
    """``count`` balanced 4-line entries spread over the year's months and three expense accounts."""
    from secretariat.finance.services.journal import EntryInput, LineInput

    expense = [ledger["accounts"][c] for c in ("5110", "5310", "5410")]
    cash, payable = ledger["accounts"]["1110"], ledger["accounts"]["2110"]
    entries = []
    for n in range(count):
        amount = Decimal(100 + (n * 37 + seed) % 9000) / 4
        on = datetime.date(2026, 1 + n % 12, 1 + n % 28)
        entries.append(EntryInput(fund_id=ledger["fund"], entry_on=on, description=f"bench {seed}-{n}", lines=[
            LineInput(account_id=expense[n % 3], debit_amount=amount),
            LineInput(account_id=expense[(n + 1) % 3], debit_amount=amount),
            LineInput(account_id=cash, credit_amount=amount),
            LineInput(account_id=payable, credit_amount=amount)]))
    return entries


def set_up_ledger():
    from django.contrib.auth import get_user_model

    from secretariat.finance.models import Account, Journal
    from secretariat.finance.services import structure

    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password")
    structure.install_standard_chart(actor=admin)
    fund = structure.create_fund(actor=admin, code="RB", name="Regular budget", kind="regular_budget",
                                 calendar="calendar_year")
    for year in (2025, 2026):
        structure.create_fiscal_year(actor=admin, calendar="calendar_year", fiscal_year=year)
    for code in ("RAWEM", "RAWCP", "RAWSG", "BIG"):
        Journal.objects.create(code=code, name=f"Benchmark {code}")
    return {"admin": admin, "fund": fund.pk, "accounts": dict(Account.objects.values_list("code", "pk"))}


def time_service(ledger, entries, batch: int) -> float:
    from secretariat.finance.models import Journal
    from secretariat.finance.services.journal import post_journal_entries

    journal = Journal.objects.get(code="GJ")
    started = time.perf_counter()
    for start in range(0, len(entries), batch):
        post_journal_entries(actor=ledger["admin"], journal=journal, entries=entries[start:start + batch])
    return time.perf_counter() - started


def time_single_entries(ledger, entries, per_transaction: int) -> float:
    """One entry per service call (how invoices, receipts and interface documents arrive),
    ``per_transaction`` calls per transaction in a posting session (reference data read once per
    transaction, as a request or an interface file would); returns milliseconds per entry."""
    from django.db import transaction

    from secretariat.finance.models import Journal
    from secretariat.finance.services.journal import (
        post_journal_entries,
        posting_session,
    )

    journal = Journal.objects.get(code="GJ")
    started = time.perf_counter()
    for start in range(0, len(entries), per_transaction):
        with transaction.atomic(), posting_session():
            for entry in entries[start:start + per_transaction]:
                post_journal_entries(actor=ledger["admin"], journal=journal, entries=[entry])
    return (time.perf_counter() - started) * 1000 / len(entries)


def time_raw_single_entries(ledger, entries, per_transaction: int, *, entry_table: str, line_table: str) -> float:
    """The physical limit of the single-entry path: per entry, one INSERT of the entry (RETURNING
    its id) and one multi-row INSERT of its lines; milliseconds per entry."""
    from django.db import connection, transaction

    entry_rows, line_rows = raw_rows(ledger, entries, "RAWSG")
    db_clock = ", ".join(["%s"] * 11 + ["now()", "%s", "%s", "now()"])
    started = time.perf_counter()
    for start in range(0, len(entry_rows), per_transaction):
        with transaction.atomic(), connection.cursor() as cursor:
            for row, lines in zip(entry_rows[start:start + per_transaction],
                                  line_rows[start:start + per_transaction], strict=True):
                cursor.execute(f"INSERT INTO {entry_table} ({ENTRY_COLUMNS}) VALUES ({db_clock}) RETURNING id",
                               row[:11] + row[12:14])
                entry_id = cursor.fetchone()[0]
                values = ", ".join(["(" + ", ".join(["%s"] * 10) + ")"] * len(lines))
                cursor.execute(f"INSERT INTO {line_table} ({LINE_COLUMNS}) VALUES {values}",
                               [v for line in lines for v in (entry_id, *line)])
    return (time.perf_counter() - started) * 1000 / len(entries)


def plain_tables() -> tuple[str, str]:
    """Tables of the ledger's shape (columns and defaults) without its triggers, constraints or indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        for name, source in (("bench_plain_entry", "finance_journalentry"), ("bench_plain_line", "finance_journalline")):
            cursor.execute(f"CREATE TABLE {name} (LIKE {source} INCLUDING DEFAULTS INCLUDING IDENTITY)")
    return "bench_plain_entry", "bench_plain_line"


def raw_rows(ledger, entries, journal_code: str):
    """The rows the service would write, computed up front (amounts already in USD)."""
    from django.utils import timezone

    from secretariat.finance.models import FiscalPeriod, Journal

    journal_id = Journal.objects.get(code=journal_code).pk
    periods = {p.starts_on.month: p.pk for p in FiscalPeriod.objects.filter(calendar="calendar_year", fiscal_year=2026)}
    now = timezone.now()
    entry_rows, line_rows = [], []
    for n, entry in enumerate(entries, start=1):
        total = sum(line.debit_amount for line in entry.lines)
        entry_rows.append((journal_id, entry.fund_id, periods[entry.entry_on.month], entry.entry_on, entry.description,
                           "posted", 2026, n, f"{journal_code}-2026-{n:06d}", total, ledger["admin"].pk, now,
                           ledger["admin"].pk, ledger["admin"].pk, now))
        line_rows.append([(entry.fund_id, line.account_id, "", "USD", line.debit_amount, line.credit_amount,
                           Decimal(1), line.debit_amount, line.credit_amount) for line in entry.lines])
    return entry_rows, line_rows


ENTRY_COLUMNS = ("journal_id, fund_id, period_id, entry_on, description, status, fiscal_year, sequence_number, number,"
                 " total_usd, prepared_by_id, prepared_at, approved_by_id, posted_by_id, posted_at")
LINE_COLUMNS = ("entry_id, fund_id, account_id, description, currency, debit_amount, credit_amount, exchange_rate,"
                " debit_usd, credit_usd")


def time_executemany(ledger, entries, batch: int) -> float:
    """Raw executemany: entries (RETURNING ids), then their lines, one transaction per batch.

    On SQLite the entries go in as drafts and are flipped to posted (its triggers check balance on
    that change), mirroring the service."""
    from django.db import connection, transaction

    entry_rows, line_rows = raw_rows(ledger, entries, "RAWEM")
    placeholders = ", ".join(["%s"] * 15)
    db_clock = ", ".join(["%s"] * 11 + ["now()", "%s", "%s", "now()"])  # prepared_at, posted_at
    line_placeholders = ", ".join(["%s"] * 10)
    started = time.perf_counter()
    for start in range(0, len(entry_rows), batch):
        chunk = entry_rows[start:start + batch]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                raw.executemany(f"INSERT INTO finance_journalentry ({ENTRY_COLUMNS}) VALUES ({db_clock})"
                                " RETURNING id", [row[:11] + row[12:14] for row in chunk], returning=True)
                ids = []
                while True:
                    ids.append(raw.fetchone()[0])
                    if not raw.nextset():
                        break
                raw.executemany(f"INSERT INTO finance_journalline ({LINE_COLUMNS}) VALUES ({line_placeholders})",
                                [(entry_id, *line) for entry_id, lines in
                                 zip(ids, line_rows[start:start + batch], strict=True) for line in lines])
            else:
                drafts = [(*row[:5], "draft", None, None, "", *row[9:]) for row in chunk]
                ids = []
                for row in drafts:
                    cursor.execute(f"INSERT INTO finance_journalentry ({ENTRY_COLUMNS}) VALUES ({placeholders})", row)
                    ids.append(cursor.lastrowid)
                cursor.executemany(f"INSERT INTO finance_journalline ({LINE_COLUMNS}) VALUES ({line_placeholders})",
                                   [(entry_id, *[str(v) if isinstance(v, Decimal) else v for v in line])
                                    for entry_id, lines in zip(ids, line_rows[start:start + batch], strict=True)
                                    for line in lines])
                cursor.executemany("UPDATE finance_journalentry SET status = 'posted', fiscal_year = %s,"
                                   " sequence_number = %s, number = %s WHERE id = %s",
                                   [(row[6], row[7], row[8], entry_id) for row, entry_id in zip(chunk, ids, strict=True)])
    return time.perf_counter() - started


def time_copy(ledger, entries, batch: int) -> float | None:
    """COPY: entry ids taken from the sequence, then COPY of entries and lines in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    if connection.vendor != "postgresql":
        return None
    entry_rows, line_rows = raw_rows(ledger, entries, "RAWCP")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SELECT nextval(pg_get_serial_sequence('finance_journalentry', 'id'))"
                    " FROM generate_series(1, %s)", [len(entry_rows)])
        ids = [row[0] for row in raw.fetchall()]
        now = timezone.now()  # inside the transaction, like the service's posted_at
        entry_rows = [(*row[:11], now, *row[12:14], now) for row in entry_rows]
        with raw.copy(f"COPY finance_journalentry (id, {ENTRY_COLUMNS}) FROM STDIN") as copy:
            for entry_id, row in zip(ids, entry_rows, strict=True):
                copy.write_row((entry_id, *row))
        with raw.copy(f"COPY finance_journalline ({LINE_COLUMNS}) FROM STDIN") as copy:
            for entry_id, lines in zip(ids, line_rows, strict=True):
                for line in lines:
                    copy.write_row((entry_id, *line))
    return time.perf_counter() - started


def build_big_ledger(ledger, line_count: int) -> None:
    """``line_count`` posted lines (4 per entry, balanced) generated server-side, plus the period
    balances the posting triggers would have maintained for them. The triggers are off for this
    bulk load only; the raw-inserted rows went through them, so their balances exist already."""
    from django.db import connection

    from secretariat.finance.models import FiscalPeriod, Journal

    entries = line_count // 4
    journal_id = Journal.objects.get(code="BIG").pk
    periods = list(FiscalPeriod.objects.filter(calendar="calendar_year").order_by("starts_on")
                   .values_list("pk", "starts_on"))
    a = ledger["accounts"]
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # bulk load: triggers off in this session only
        cursor.execute("CREATE TEMP TABLE bench_period (n int, id bigint, starts_on date)")
        cursor.executemany("INSERT INTO bench_period VALUES (%s, %s, %s)",
                           [(n, pk, starts_on) for n, (pk, starts_on) in enumerate(periods)])
        cursor.execute(f"""
            INSERT INTO finance_journalentry ({ENTRY_COLUMNS})
            SELECT %s, %s, p.id, p.starts_on + (g %% 28), 'generated', 'posted', 2000 + g / 1000000, g %% 1000000,
                   'BIG-' || g, 100 + g %% 997, %s, now(), %s, %s, now()
            FROM generate_series(1, %s) g JOIN bench_period p ON p.n = g %% {len(periods)}""",
                       [journal_id, ledger["fund"], ledger["admin"].pk, ledger["admin"].pk, ledger["admin"].pk,
                        entries])
        cursor.execute(f"""
            INSERT INTO finance_journalline ({LINE_COLUMNS})
            SELECT e.id, e.fund_id, acc.account_id, '', 'USD',
                   CASE WHEN acc.side = 'D' THEN e.total_usd ELSE 0 END, CASE WHEN acc.side = 'C' THEN e.total_usd ELSE 0 END,
                   1, CASE WHEN acc.side = 'D' THEN e.total_usd ELSE 0 END, CASE WHEN acc.side = 'C' THEN e.total_usd ELSE 0 END
            FROM finance_journalentry e
            CROSS JOIN LATERAL (VALUES
                (CASE e.id %% 3 WHEN 0 THEN %s WHEN 1 THEN %s ELSE %s END, 'D'),
                (CASE e.id %% 2 WHEN 0 THEN %s ELSE %s END, 'D'),
                (%s, 'C'), (CASE e.id %% 2 WHEN 0 THEN %s ELSE %s END, 'C')) AS acc(account_id, side)
            WHERE e.journal_id = %s""",
                       [a["5110"], a["5310"], a["5410"], a["1610"], a["1510"], a["1110"], a["2110"], a["4110"],
                        journal_id])
        cursor.execute("""
            INSERT INTO finance_periodbalance (period_id, fund_id, account_id, debit_usd, credit_usd)
            SELECT e.period_id, l.fund_id, l.account_id, SUM(l.debit_usd), SUM(l.credit_usd)
            FROM finance_journalline l JOIN finance_journalentry e ON e.id = l.entry_id
            WHERE e.journal_id = %s
            GROUP BY 1, 2, 3
            ON CONFLICT (period_id, fund_id, account_id) DO UPDATE
            SET debit_usd = finance_periodbalance.debit_usd + excluded.debit_usd,
                credit_usd = finance_periodbalance.credit_usd + excluded.credit_usd""", [journal_id])
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE finance_journalentry")
        cursor.execute("ANALYZE finance_journalline")
        cursor.execute("ANALYZE finance_periodbalance")


def time_statements(ledger) -> tuple[float, float, int]:
    from secretariat.finance import selectors
    from secretariat.finance.models import FiscalPeriod, JournalLine

    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=12)
    selectors.trial_balance(period=period)  # warm the caches once, as a running server would be
    started = time.perf_counter()
    trial = selectors.trial_balance(period=period)
    position = selectors.financial_position(period=period)
    maintained = time.perf_counter() - started
    assert trial.total_closing == 0 and position
    started = time.perf_counter()
    scanned = selectors.trial_balance_by_full_scan(period=period)
    full_scan = time.perf_counter() - started
    assert {r.account.pk: r.closing for r in trial.rows if r.closing} == {k: v for k, v in scanned.items() if v}
    return maintained, full_scan, JournalLine.objects.count()


def main() -> None:
    args = parse_args()
    _vendor, clean_up = prepare("bench-ledger-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        ledger = set_up_ledger()
        service_s = time_service(ledger, entry_inputs(ledger, args.entries, 1), args.batch)
        executemany_s = time_executemany(ledger, entry_inputs(ledger, args.entries, 2), args.batch)
        copy_s = time_copy(ledger, entry_inputs(ledger, args.entries, 3), args.batch)
        single = entry_inputs(ledger, args.single, 4)
        single_ms = time_single_entries(ledger, single, SINGLE_PER_TRANSACTION)
        raw_single_ms = plain_single_ms = None
        if connection.vendor == "postgresql":
            raw_single_ms = time_raw_single_entries(ledger, entry_inputs(ledger, args.single, 5),
                                                    SINGLE_PER_TRANSACTION, entry_table="finance_journalentry",
                                                    line_table="finance_journalline")
            plain_entry, plain_line = plain_tables()
            plain_single_ms = time_raw_single_entries(ledger, entry_inputs(ledger, args.single, 6),
                                                      SINGLE_PER_TRANSACTION, entry_table=plain_entry,
                                                      line_table=plain_line)
        result = {
            "bench": "ledger",
            "database": connection.vendor,
            "entries": args.entries,
            "lines_per_entry": 4,
            "batch": args.batch,
            "service_entries_per_s": round(args.entries / service_s, 1),
            "raw_executemany_entries_per_s": round(args.entries / executemany_s, 1),
            "raw_copy_entries_per_s": round(args.entries / copy_s, 1) if copy_s else None,
            "single_entries": args.single,
            "single_entry_ms": round(single_ms, 3),
            "raw_single_entry_ms_project_tables": round(raw_single_ms, 3) if raw_single_ms else None,
            "raw_single_entry_ms_plain_tables": round(plain_single_ms, 3) if plain_single_ms else None,
        }
        result["ratio_service_to_executemany"] = round(
            result["service_entries_per_s"] / result["raw_executemany_entries_per_s"], 3)
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            build_big_ledger(ledger, args.lines)
            print(f"generated {args.lines} lines in {time.perf_counter() - started:.1f}s", file=sys.stderr)
            maintained, full_scan, total_lines = time_statements(ledger)
            result.update({"ledger_lines": total_lines, "statement_10m_lines_s": round(maintained, 4),
                           "statement_full_scan_s": round(full_scan, 3),
                           "speedup_vs_full_scan": round(full_scan / maintained, 1)})
        else:
            result.update({"statement_10m_lines_s": None, "statement_full_scan_s": None})
    finally:
        clean_up()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
