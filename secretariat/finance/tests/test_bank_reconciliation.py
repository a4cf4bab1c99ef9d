"""Bank statements imported from camt.053 and CSV, matched automatically and by hand."""

import datetime
from decimal import Decimal

import pytest

from secretariat.core.models import Country
from secretariat.finance import selectors
from secretariat.finance.services import bank, payables, receivables, structure
from secretariat.finance.services.errors import (
    MatchAmountDiffers,
    StatementAlreadyImported,
    StatementUnreadable,
)
from secretariat.finance.services.payables import PaymentInstruction

pytestmark = pytest.mark.django_db

CAMT053 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>STMT-2026-04</MsgId><CreDtTm>2026-05-01T06:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>2026-04-EUR-OPS</Id>
   <CreDtTm>2026-05-01T06:00:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-04-01</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">9224.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-04-30</Dt></Dt></Bal>
   <Ntry><Amt Ccy="EUR">300.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-04-06</Dt></BookgDt>
    <NtryDtls><TxDtls><Refs><EndToEndId>PR-APR-1</EndToEndId></Refs>
     <RltdPties><Cdtr><Nm>Societe Generale de Fournitures</Nm></Cdtr></RltdPties></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">450.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-04-07</Dt></BookgDt>
    <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">25.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-04-30</Dt></BookgDt>
    <AcctSvcrRef>FEES-APR</AcctSvcrRef></Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
""".encode()


@pytest.fixture
def paid(ledger):
    admin = ledger.admin
    for month in (3, 4):
        structure.set_exchange_rate(actor=admin, currency="EUR", year=2026, month=month, units_per_usd=Decimal("0.8"))
    vendor = payables.create_vendor(actor=admin, code="V001", name="Fournitures SA",
                                    country=Country.objects.get(alpha2="FR"), iban="FR1420041010050500013M02606",
                                    bic="PSSTFRPPXXX")
    eur_bank = bank.create_bank_account(actor=admin, code="EUR-OPS", name="Operating EUR", fund=ledger.regular_budget,
                                        currency="EUR", iban="DE89370400440532013000", bic="COBADEFFXXX",
                                        ledger_account=ledger.account("1120"))
    invoice = payables.record_vendor_invoice(
        actor=admin, vendor=vendor, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
        invoice_number="F-1", invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 4, 9),
        currency="EUR", amount=Decimal("2000.00"))
    run = payables.create_payment_run(actor=admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5),
                                      reference="PR-APR", instructions=[PaymentInstruction(invoice.pk, Decimal("300")),
                                                                        PaymentInstruction(invoice.pk, Decimal("450"))])
    return eur_bank, run


def test_a_camt053_statement_is_imported_and_payments_matched(ledger, paid):
    # given
    eur_bank, run = paid
    # when
    [statement] = bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=CAMT053,
                                             source_format="camt053")
    # then
    assert (statement.statement_id, statement.opening_balance, statement.closing_balance) == (
        "2026-04-EUR-OPS", Decimal("10000.00"), Decimal("9224.50"))
    lines = {line.amount: line for line in statement.lines.all()}
    payments = {p.amount: p for p in run.payments.all()}
    assert lines[Decimal("-300.00")].payment == payments[Decimal("300")]  # by end-to-end reference
    # an amount alone is only a proposal for a person to confirm
    assert lines[Decimal("-450.00")].payment is None
    assert lines[Decimal("-450.00")].proposed_payment == payments[Decimal("450")]
    assert not lines[Decimal("-25.50")].is_matched
    [status] = selectors.reconciliation_status(bank_accounts=[eur_bank], today=datetime.date(2026, 5, 20))
    assert (status.statement_lines, status.unmatched_lines, status.oldest_unmatched_days) == (3, 2, 43)
    assert not status.is_reconciled


def test_the_same_statement_cannot_be_imported_twice(ledger, paid):
    eur_bank, _run = paid
    bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=CAMT053, source_format="camt053")
    with pytest.raises(StatementAlreadyImported):
        bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=CAMT053,
                                   source_format="camt053")


def test_a_statement_for_another_account_or_garbage_is_refused(ledger, paid):
    eur_bank, _run = paid
    with pytest.raises(StatementUnreadable):
        bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank,
                                   content=CAMT053.replace(b"DE8937040044", b"DE0037040044"), source_format="camt053")
    with pytest.raises(StatementUnreadable):
        bank.import_bank_statement(actor=ledger.admin, bank_account=eur_bank, content=b"<nope", source_format="camt053")


def test_a_csv_statement_receipt_is_matched_by_hand(ledger, paid):
    # given a receipt the automatic pass cannot tell apart from another of the same amount
    usd_bank = bank.create_bank_account(actor=ledger.admin, code="USD", name="USD", fund=ledger.regular_budget,
                                        currency="USD", iban="GB82WEST12345698765432", bic="NWBKGB2LXXX",
                                        ledger_account=ledger.account("1110"))
    receipts = [receivables.record_receipt(actor=ledger.admin, member_state=Country.objects.get(alpha2=c),
                                           bank_account=usd_bank, fund=ledger.regular_budget,
                                           received_on=datetime.date(2026, 4, 2), reference=f"{c}-2026",
                                           amount=Decimal(amount))
                for c, amount in (("KE", "1000.00"), ("JP", "1000.00"), ("FR", "999.00"))]
    csv_file = b"booked_on,amount,reference,counterparty\n2026-04-02,1000.00,TRANSFER 88812,Central Bank\n"
    [statement] = bank.import_bank_statement(actor=ledger.admin, bank_account=usd_bank, content=csv_file,
                                             source_format="csv", statement_id="USD-2026-04")
    line = statement.lines.get()
    assert not line.is_matched
    # when / then
    with pytest.raises(MatchAmountDiffers):
        bank.match_bank_line(actor=ledger.admin, line_id=line.pk, receipt_id=receipts[2].pk)
    bank.match_bank_line(actor=ledger.admin, line_id=line.pk, receipt_id=receipts[1].pk)
    line.refresh_from_db()
    assert line.receipt == receipts[1] and not line.is_auto_matched
    [status] = selectors.reconciliation_status(bank_accounts=[usd_bank], today=datetime.date(2026, 5, 1))
    assert status.is_reconciled
