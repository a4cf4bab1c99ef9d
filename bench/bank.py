"""Bank statement benchmark (issue 12): import and match a camt.053 of 100,000 entries.

The generator writes a camt.053.001.08 statement for one bank account: single entries paying
open payments (end-to-end reference), batch entries whose ``TxDtls`` each pay one payment,
credits naming open receipts in their remittance information, transfers whose reference names
a payment of another amount (a proposal for a person, never an automatic match) and bank charges
(no counterpart). It keeps the truth of every transaction: the item it settles, if any.

Measured: ``bank.import_bank_statement`` (parse, checks, storage, automatic matching, audit) on
PostgreSQL; then the same statement lines inserted raw with COPY (the physical limit).
Reported: ``statement_lines_per_s``, ``matched_auto``, ``matched_wrong`` (automatic matches that
disagree with the truth: must be 0), ``proposed`` and ``ratio_to_raw`` (service / raw lines per s).

Usage: .venv/bin/python bench/bank.py [--quick] [--entries N]
PostgreSQL when DATABASE_URL is set (the database it names, see ``bench_database.py``), otherwise
a temporary SQLite file (no COPY there). The last line printed is a JSON object.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

from bench_database import prepare

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.test_settings")

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
IBAN = "DE89370400440532013000"
BOOKED_ON = datetime.date(2026, 4, 15)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 entries instead of 100,000")
    parser.add_argument("--entries", type=int, help="statement entries (default 100000, quick 5000)")
    args = parser.parse_args()
    args.entries = args.entries or (5000 if args.quick else 100_000)
    return args


def set_up(entries: int, rng: random.Random):
    """A bank account with open payments and receipts for the statement to settle (bulk-loaded:
    the set-up is not what is measured)."""
    from django.contrib.auth import get_user_model

    from secretariat.core.models import Country
    from secretariat.finance.models import (
        Payment,
        PaymentRun,
        Receipt,
        Vendor,
        VendorInvoice,
    )
    from secretariat.finance.services import bank, structure

    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password")
    structure.install_standard_chart(actor=admin)
    fund = structure.create_fund(actor=admin, code="RB", name="Regular budget", kind="regular_budget",
                                 calendar="calendar_year")
    structure.create_fiscal_year(actor=admin, calendar="calendar_year", fiscal_year=2026)
    from secretariat.finance.models import Account

    account = bank.create_bank_account(actor=admin, code="EUR-OPS", name="Operating EUR", fund=fund, currency="EUR",
                                       iban=IBAN, bic="COBADEFFXXX", ledger_account=Account.objects.get(code="1120"))
    france = Country.objects.get(alpha2="FR")
    vendor = Vendor.objects.create(code="V-BENCH", name="Bench vendor", country=france,
                                   iban="FR1420041010050500013M02606", bic="PSSTFRPPXXX")
    run = PaymentRun.objects.create(reference="PR-BENCH", bank_account=account, payment_on=BOOKED_ON,
                                    created_by=admin)
    invoice = VendorInvoice.objects.create(
        vendor=vendor, fund=fund, expense_account=Account.objects.get(code="5310"), invoice_number="BENCH",
        invoice_on=BOOKED_ON, due_on=BOOKED_ON, currency="EUR", amount=Decimal("1e12"))
    amounts = [Decimal(rng.randint(100, 5_000_000)) / 100 for _ in range(entries * 2)]
    payments = Payment.objects.bulk_create(
        [Payment(payment_run=run, invoice=invoice, end_to_end_id=f"PR-BENCH-{n}", currency="EUR", amount=amount)
         for n, amount in enumerate(amounts[:entries])], batch_size=5000)
    receipts = Receipt.objects.bulk_create(
        [Receipt(member_state=france, bank_account=account, received_on=BOOKED_ON, reference=f"FR-RB-{n}",
                 currency="EUR", received_amount=amount, bank_amount=amount, amount=amount)
         for n, amount in enumerate(amounts[entries:])], batch_size=5000)
    return admin, account, payments, receipts


def statement(entries: int, payments, receipts, rng: random.Random) -> tuple[bytes, list]:
    """The camt.053 file and, per transaction in file order, the item it settles (None: nothing)."""
    from lxml import etree

    def E(tag, *children, text=None, **attrs):  # noqa: N802
        node = etree.Element(f"{{{NS}}}{tag}", **attrs)
        node.text = text
        node.extend(children)
        return node

    def entry(amount, transactions, number):
        indicator = "CRDT" if amount > 0 else "DBIT"
        return E("Ntry", E("Amt", text=f"{abs(amount):.2f}", Ccy="EUR"), E("CdtDbtInd", text=indicator),
                 E("Sts", E("Cd", text="BOOK")), E("BookgDt", E("Dt", text=BOOKED_ON.isoformat())),
                 E("AcctSvcrRef", text=f"E{number}"), E("BkTxCd"),
                 E("NtryDtls", *[E("TxDtls", E("Refs", E("EndToEndId", text=reference)),
                                   E("Amt", text=f"{abs(value):.2f}", Ccy="EUR"),
                                   E("RmtInf", E("Ustrd", text=remittance)))
                                 for value, reference, remittance in transactions]))

    nodes, truth, total = [], [], Decimal("0")
    payment_queue, receipt_queue = list(payments), list(receipts)
    for number in range(entries):
        kind = rng.random()
        if kind < 0.10 and len(payment_queue) >= 3:  # a batch of three payments
            paid = [payment_queue.pop() for _ in range(3)]
            transactions = [(-p.amount, p.end_to_end_id, "") for p in paid]
            truth += paid
        elif kind < 0.55 and payment_queue:
            paid = payment_queue.pop()
            transactions, truth = [(-paid.amount, paid.end_to_end_id, "")], truth + [paid]
        elif kind < 0.93 and receipt_queue:
            received = receipt_queue.pop()
            transactions = [(received.amount, "NOTPROVIDED", f"/ROC/{received.reference} CONTRIBUTION")]
            truth.append(received)
        elif kind < 0.97 and payment_queue:  # the bank deducted charges: a proposal, not a match
            paid = payment_queue.pop()
            transactions, truth = [(-(paid.amount - Decimal("7.50")), paid.end_to_end_id, "")], truth + [None]
        else:
            transactions, truth = [(Decimal("-12.50"), "NOTPROVIDED", "ACCOUNT FEES")], truth + [None]
        amount = sum((value for value, _r, _u in transactions), Decimal("0"))
        total += amount
        nodes.append(entry(amount, transactions, number))

    def balance(code, amount):
        return E("Bal", E("Tp", E("CdOrPrtry", E("Cd", text=code))), E("Amt", text=f"{abs(amount):.2f}", Ccy="EUR"),
                 E("CdtDbtInd", text="CRDT" if amount >= 0 else "DBIT"), E("Dt", E("Dt", text=BOOKED_ON.isoformat())))

    opening = Decimal("100000000.00")
    document = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    document.append(E("BkToCstmrStmt", E("GrpHdr", E("MsgId", text="BENCH"), E("CreDtTm", text="2026-04-16T06:00:00")),
                      E("Stmt", E("Id", text="BENCH-STATEMENT"), E("CreDtTm", text="2026-04-16T06:00:00"),
                        E("Acct", E("Id", E("IBAN", text=IBAN)), E("Ccy", text="EUR")),
                        balance("OPBD", opening), balance("CLBD", opening + total), *nodes)))
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8"), truth


def check_against_truth(statement_stored, truth) -> tuple[int, int, int]:
    lines = list(statement_stored.lines.order_by("pk").values_list("payment_id", "receipt_id", "proposed_payment_id"))
    assert len(lines) == len(truth), (len(lines), len(truth))
    matched = wrong = proposed = 0
    for (payment_id, receipt_id, proposed_payment_id), item in zip(lines, truth, strict=True):
        proposed += proposed_payment_id is not None
        if payment_id is None and receipt_id is None:
            continue
        matched += 1
        expected = (item.pk, None) if item is not None and hasattr(item, "end_to_end_id") else (
            (None, item.pk) if item is not None else None)
        wrong += (payment_id, receipt_id) != expected
    return matched, wrong, proposed


def time_raw(statement_stored, line_count: int) -> float | None:
    """COPY of the same number of statement lines into the same table (triggers and indexes included)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return None
    rows = list(statement_stored.lines.order_by("pk").values_list("booked_on", "amount", "reference", "counterparty",
                                                                   "entry_reference"))
    assert len(rows) == line_count
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw_statement = type(statement_stored).objects.create(
            bank_account=statement_stored.bank_account, statement_id="RAW", statement_on=BOOKED_ON,
            source_format="camt053", imported_by=statement_stored.imported_by)
        with cursor.cursor.copy("COPY finance_bankstatementline (statement_id, booked_on, amount, reference,"
                                " counterparty, entry_reference, is_reversal, is_auto_matched) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((raw_statement.pk, *row, False, False))
    return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    _vendor, clean_up = prepare("bench-bank-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from secretariat.finance.services import bank

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(12)
        admin, account, payments, receipts = set_up(args.entries, rng)
        content, truth = statement(args.entries, payments, receipts, rng)
        started = time.perf_counter()
        [stored] = bank.import_bank_statement(actor=admin, bank_account=account, content=content,
                                              source_format="camt053")
        service_s = time.perf_counter() - started
        matched, wrong, proposed = check_against_truth(stored, truth)
        raw_s = time_raw(stored, len(truth))
        lines_per_s = len(truth) / service_s
        result = {
            "bench": "bank",
            "database": connection.vendor,
            "entries": args.entries,
            "statement_lines": len(truth),
            "file_mb": round(len(content) / 1e6, 1),
            "import_s": round(service_s, 2),
            "statement_lines_per_s": round(lines_per_s, 1),
            "matched_auto": matched,
            "matched_expected": sum(1 for item in truth if item is not None),
            "matched_wrong": wrong,
            "proposed": proposed,
            "raw_lines_per_s": round(len(truth) / raw_s, 1) if raw_s else None,
            "ratio_to_raw": round(lines_per_s / (len(truth) / raw_s), 3) if raw_s else None,
        }
    finally:
        clean_up()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
