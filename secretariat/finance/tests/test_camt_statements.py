"""Bank statements written by hand from the ISO 20022 message definitions (camt.053.001.02,
camt.053.001.08, camt.054.001.08), each with the outcome a treasury officer expects."""

import datetime
from decimal import Decimal

import pytest

from secretariat.core.models import AuditEvent, Country
from secretariat.finance import selectors
from secretariat.finance.models import BankStatement, BankStatementLine
from secretariat.finance.services import bank, payables, structure
from secretariat.finance.services.errors import (
    BankLineNotMatched,
    MatchAmountDiffers,
    StatementUnreadable,
)
from secretariat.finance.services.payables import PaymentInstruction

pytestmark = pytest.mark.django_db

V02 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
V08 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"

# A batch entry of −4,230.25 carrying the three payments of run PR-MAY (camt.053.001.02: the
# transaction amounts are in AmtDtls/TxAmt).
BATCH_V02 = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{V02}">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>MSG-0501</MsgId><CreDtTm>2026-05-01T06:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>EUR-2026-04</Id><CreDtTm>2026-05-01T06:00:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>2026-04-01</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5769.75</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>2026-04-30</Dt></Dt></Bal>
   <Ntry>
    <Amt Ccy="EUR">4230.25</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-04-06</Dt></BookgDt><AcctSvcrRef>BATCH-0406</AcctSvcrRef>
    <NtryDtls>
     <Btch><NbOfTxs>3</NbOfTxs></Btch>
     <TxDtls><Refs><EndToEndId>PR-MAY-1</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">1000.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Cdtr><Nm>Fournitures SA</Nm></Cdtr></RltdPties></TxDtls>
     <TxDtls><Refs><EndToEndId>PR-MAY-2</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">2000.00</Amt></TxAmt></AmtDtls></TxDtls>
     <TxDtls><Refs><EndToEndId>PR-MAY-3</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">1230.25</Amt></TxAmt></AmtDtls></TxDtls>
    </NtryDtls>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


def v08_statement(*, account_id: str, entries: str, opening: str = "10000.00", closing: str = "9000.00",
                  opening_code: str = "OPBD", statement_id: str = "EUR-2026-04-V08") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{V08}">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>2026-05-01T06:00:00+02:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>{statement_id}</Id><CreDtTm>2026-05-01T06:00:00+02:00</CreDtTm>
   <Acct><Id>{account_id}</Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>{opening_code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{opening}</Amt>
    <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt>
    <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-30</Dt></Dt></Bal>
   {entries}
  </Stmt>
 </BkToCstmrStmt>
</Document>
""".encode()


IBAN_ID = "<IBAN>DE89370400440532013000</IBAN>"
# Payment PR-MAY-1 booked (v08 status form), and an entry still pending that must not count.
BOOKED_AND_PENDING = """
   <Ntry><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-04-06</Dt></BookgDt><AcctSvcrRef>E-1</AcctSvcrRef><BkTxCd/>
    <NtryDtls><TxDtls><Refs><EndToEndId>PR-MAY-1</EndToEndId></Refs><Amt Ccy="EUR">1000.00</Amt>
     <CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">2000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
    <BookgDt><Dt>2026-04-29</Dt></BookgDt><AcctSvcrRef>E-2</AcctSvcrRef><BkTxCd/>
    <NtryDtls><TxDtls><Refs><EndToEndId>PR-MAY-2</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>"""


@pytest.fixture
def run(ledger):
    admin = ledger.admin
    for month in (3, 4, 5):
        structure.set_exchange_rate(actor=admin, currency="EUR", year=2026, month=month, units_per_usd=Decimal("0.8"))
    vendor = payables.create_vendor(actor=admin, code="V001", name="Fournitures SA",
                                    country=Country.objects.get(alpha2="FR"), iban="FR1420041010050500013M02606",
                                    bic="PSSTFRPPXXX")
    eur_bank = bank.create_bank_account(actor=admin, code="EUR-OPS", name="Operating EUR", fund=ledger.regular_budget,
                                        currency="EUR", iban="DE89370400440532013000", bic="COBADEFFXXX",
                                        ledger_account=ledger.account("1120"), other_identifier="0532013000")
    invoices = [payables.record_vendor_invoice(
        actor=admin, vendor=vendor, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
        invoice_number=f"F-{n}", invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 4, 9),
        currency="EUR", amount=Decimal(amount)) for n, amount in enumerate(["1000.00", "2000.00", "1230.25"], 1)]
    return payables.create_payment_run(
        actor=admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5), reference="PR-MAY",
        instructions=[PaymentInstruction(invoice.pk, invoice.amount) for invoice in invoices])


def import_file(ledger, run, content: bytes, source_format="camt053"):
    return bank.import_bank_statement(actor=ledger.admin, bank_account=run.bank_account, content=content,
                                      source_format=source_format)


def refusal(ledger, run, content: bytes) -> str:
    with pytest.raises(StatementUnreadable) as refused:
        import_file(ledger, run, content)
    return str(refused.value)


def test_every_transaction_of_a_batch_entry_is_matched_to_its_own_payment(ledger, run):
    [statement] = import_file(ledger, run, BATCH_V02.encode())

    lines = list(statement.lines.order_by("pk"))
    assert [(ln.amount, ln.payment.end_to_end_id, ln.is_auto_matched, ln.entry_reference) for ln in lines] == [
        (Decimal("-1000.00"), "PR-MAY-1", True, "BATCH-0406"), (Decimal("-2000.00"), "PR-MAY-2", True, "BATCH-0406"),
        (Decimal("-1230.25"), "PR-MAY-3", True, "BATCH-0406")]
    assert lines[0].counterparty == "Fournitures SA"
    [status] = selectors.reconciliation_status(bank_accounts=[run.bank_account], today=datetime.date(2026, 5, 2))
    assert status.is_reconciled


def test_a_reference_with_another_amount_is_only_proposed(ledger, run):
    # the bank deducted 5.00 charges from the third transfer: the batch still foots
    content = (BATCH_V02.replace("4230.25", "4225.25").replace("1230.25", "1225.25")
               .replace("5769.75", "5774.75")).encode()

    [statement] = import_file(ledger, run, content)

    third = statement.lines.get(reference="PR-MAY-3")
    assert (third.payment, third.proposed_payment.end_to_end_id) == (None, "PR-MAY-3")
    assert list(selectors.unmatched_bank_lines(bank_account=run.bank_account)) == [third]
    with pytest.raises(MatchAmountDiffers):
        bank.match_bank_line(actor=ledger.admin, line_id=third.pk, payment_id=third.proposed_payment_id)


def test_a_batch_whose_transactions_do_not_add_up_is_refused(ledger, run):
    content = BATCH_V02.replace("<Amt Ccy=\"EUR\">1230.25</Amt>", "<Amt Ccy=\"EUR\">1230.00</Amt>").encode()

    assert refusal(ledger, run, content) == (
        "The bank statement could not be read: the transactions of entry 1 (BATCH-0406) add up to -4230.00, "
        "not to the entry's -4230.25")


def test_only_booked_entries_of_a_v08_statement_become_lines(ledger, run):
    content = v08_statement(account_id=IBAN_ID, entries=BOOKED_AND_PENDING)

    [statement] = import_file(ledger, run, content)

    [line] = statement.lines.all()
    assert (line.amount, line.payment.end_to_end_id) == (Decimal("-1000.00"), "PR-MAY-1")


def test_a_closing_balance_that_is_not_opening_plus_entries_is_refused(ledger, run):
    content = v08_statement(account_id=IBAN_ID, entries=BOOKED_AND_PENDING, closing="7000.00")

    assert refusal(ledger, run, content) == (
        "The bank statement could not be read: the closing balance 7000.00 is not the opening balance 10000.00 "
        "plus the booked entries -1000.00 (that would be 9000.00)")


def test_a_previously_closed_booked_opening_balance_is_accepted(ledger, run):
    content = v08_statement(account_id=IBAN_ID, entries=BOOKED_AND_PENDING, opening_code="PRCD")

    [statement] = import_file(ledger, run, content)

    assert (statement.opening_balance, statement.closing_balance) == (Decimal("10000.00"), Decimal("9000.00"))


def test_an_account_identified_by_its_other_identifier(ledger, run):
    other = "<Othr><Id>0532013000</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr>"
    [statement] = import_file(ledger, run, v08_statement(account_id=other, entries=BOOKED_AND_PENDING))
    assert statement.bank_account == run.bank_account

    stranger = v08_statement(account_id="<Othr><Id>99887766</Id></Othr>", entries=BOOKED_AND_PENDING,
                             statement_id="OTHER")
    assert refusal(ledger, run, stranger) == (
        "The bank statement could not be read: the statement is for the account identified as 99887766, which "
        "is not this bank account's identifier")
    another_iban = v08_statement(account_id="<IBAN>GB82WEST12345698765432</IBAN>", entries=BOOKED_AND_PENDING,
                                 statement_id="OTHER")
    assert refusal(ledger, run, another_iban) == (
        "The bank statement could not be read: the statement is for the account with IBAN GB82WEST12345698765432, "
        "not DE89370400440532013000")


def test_an_entry_in_another_currency_than_the_account_is_refused(ledger, run):
    entries = BOOKED_AND_PENDING.replace('<Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>',
                                         '<Amt Ccy="USD">1000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>')

    assert refusal(ledger, run, v08_statement(account_id=IBAN_ID, entries=entries)) == (
        "The bank statement could not be read: the entry of -1000.00 booked on 2026-04-06 (reference E-1) is in "
        "USD but the account is in EUR")
    assert not BankStatementLine.objects.exists()



def test_an_entry_with_more_decimals_than_the_currency_is_refused(ledger, run):
    # a line of 1000.005 EUR could never be matched to a payment of whole cents
    entries = BOOKED_AND_PENDING.replace('<Amt Ccy="EUR">1000.00</Amt>', '<Amt Ccy="EUR">1000.005</Amt>')

    assert refusal(ledger, run, v08_statement(account_id=IBAN_ID, entries=entries, closing="8999.995")) == (
        "The bank statement could not be read: the entry booked on 2026-04-06 (reference E-1): -1000.005 EUR has "
        "more decimals than EUR allows (2).")
    assert not BankStatementLine.objects.exists()


RETURNED = """
   <Ntry><Amt Ccy="EUR">2000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-04-20</Dt></BookgDt><AcctSvcrRef>RET-1</AcctSvcrRef><BkTxCd/>
    <NtryDtls><TxDtls><Refs><EndToEndId>PR-MAY-2</EndToEndId></Refs>
     <RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>"""


def test_a_returned_payment_reopens_the_payment_it_reverses(ledger, run):
    # given the batch matched all three payments
    [first] = import_file(ledger, run, BATCH_V02.encode())
    original = first.lines.get(reference="PR-MAY-2")
    # when the bank returns the second (account closed)
    [statement] = import_file(ledger, run, v08_statement(account_id=IBAN_ID, entries=RETURNED, opening="5769.75",
                                                         closing="7769.75"))
    # then the payment is open again and the two lines net off
    reversal = statement.lines.get()
    original.refresh_from_db()
    assert (reversal.is_reversal, reversal.reverses, original.payment) == (True, original, None)
    assert run.payments.get(end_to_end_id="PR-MAY-2").pk not in BankStatementLine.objects.filter(
        payment__isnull=False).values_list("payment", flat=True)
    assert not selectors.unmatched_bank_lines(bank_account=run.bank_account).exists()
    assert AuditEvent.objects.filter(action="finance.bank_line.reversed", target_id=str(original.pk)).exists()


def test_a_reversal_in_the_same_statement_as_its_original(ledger, run):
    entries = BOOKED_AND_PENDING.replace("PR-MAY-2", "PR-MAY-9") + RETURNED.replace("2000.00", "1000.00").replace(
        "PR-MAY-2", "PR-MAY-1")

    [statement] = import_file(ledger, run, v08_statement(account_id=IBAN_ID, entries=entries, closing="10000.00"))

    paid, returned = statement.lines.order_by("pk")
    assert (paid.payment, returned.reverses) == (None, paid)


CAMT054 = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
 <BkToCstmrDbtCdtNtfctn>
  <GrpHdr><MsgId>NTF-0406</MsgId><CreDtTm>2026-04-06T18:00:00</CreDtTm></GrpHdr>
  <Ntfctn>
   <Id>NTF-0406-1</Id><CreDtTm>2026-04-06T18:00:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Ntry><Amt Ccy="EUR">1230.25</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>2026-04-06</Dt></BookgDt><AcctSvcrRef>N-1</AcctSvcrRef><BkTxCd/>
    <NtryDtls><TxDtls><Refs><EndToEndId>PR-MAY-3</EndToEndId></Refs><Amt Ccy="EUR">1230.25</Amt></TxDtls>
    </NtryDtls></Ntry>
  </Ntfctn>
 </BkToCstmrDbtCdtNtfctn>
</Document>
"""


def test_a_camt054_notification_is_imported_and_matched(ledger, run):
    [notification] = import_file(ledger, run, CAMT054.encode(), source_format="camt054")

    assert (notification.source_format, notification.opening_balance, notification.statement_on) == (
        "camt054", None, datetime.date(2026, 4, 6))
    assert notification.lines.get().payment.end_to_end_id == "PR-MAY-3"


def test_a_match_is_undone_with_a_reason_and_audited(ledger, run):
    [statement] = import_file(ledger, run, BATCH_V02.encode())
    line = statement.lines.get(reference="PR-MAY-1")

    bank.unmatch_bank_line(actor=ledger.admin, line_id=line.pk, reason="Paid from the wrong run")

    line.refresh_from_db()
    assert line.payment is None
    event = AuditEvent.objects.get(action="finance.bank_line.unmatched")
    assert event.changes["reason"] == "Paid from the wrong run"
    with pytest.raises(BankLineNotMatched):
        bank.unmatch_bank_line(actor=ledger.admin, line_id=line.pk, reason="again")
    bank.match_bank_line(actor=ledger.admin, line_id=line.pk, payment_id=run.payments.get(end_to_end_id="PR-MAY-1").pk)


def test_a_statement_must_open_where_the_previous_one_closed(ledger, run):
    # given April's statement, closing at 9,000.00
    import_file(ledger, run, v08_statement(account_id=IBAN_ID, entries=BOOKED_AND_PENDING, statement_id="S-04"))
    # when the next one opens at 8,000.00: a statement in between is missing
    gap = v08_statement(account_id=IBAN_ID, entries="", opening="8000.00", closing="8000.00", statement_id="S-05")
    # then it is refused and nothing of it is stored
    assert refusal(ledger, run, gap) == (
        "The bank statement could not be read: statement S-05 opens at 8000.00, but the previous statement S-04 "
        "of this account closed at 9000.00: a statement is missing or wrong")
    assert not BankStatement.objects.filter(statement_id="S-05").exists()
    # and the one that follows on is taken
    import_file(ledger, run, v08_statement(account_id=IBAN_ID, entries="", opening="9000.00", closing="9000.00",
                                           statement_id="S-05"))
