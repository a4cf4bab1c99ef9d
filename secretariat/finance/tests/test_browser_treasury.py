"""In a real browser, in English and in Arabic: record an invoice → pay it → import the bank's
statement → matched."""

import datetime

import pytest
from django.utils import translation

from secretariat.finance.models import BankStatementLine, Payment
from secretariat.finance.tests.factories import build_ledger, set_up_treasury

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DAY = datetime.date(2026, 4, 15)
STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
 <GrpHdr><MsgId>M</MsgId><CreDtTm>2026-04-16T06:00:00</CreDtTm></GrpHdr>
 <Stmt><Id>EUR-2026-04-15</Id><CreDtTm>2026-04-16T06:00:00</CreDtTm>
  <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <Dt><Dt>2026-04-15</Dt></Dt></Bal>
  <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">3765.44</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <Dt><Dt>2026-04-15</Dt></Dt></Bal>
  <Ntry><Amt Ccy="EUR">1234.56</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-04-15</Dt></BookgDt>
   <NtryDtls><TxDtls><Refs><EndToEndId>PR-WEB-1</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
 </Stmt></BkToCstmrStmt></Document>
"""


@pytest.fixture
def treasury(db):
    ledger = build_ledger(years=(2026,))
    set_up_treasury(ledger)
    return ledger


@pytest.mark.parametrize("language", ["en", "ar"])
def test_record_an_invoice_pay_it_import_the_statement_matched(page, log_in, treasury, tmp_path, language):
    ledger = treasury

    def t(text: str) -> str:
        with translation.override(language):
            return translation.gettext(text)

    log_in("treasurer")
    page.get_by_label("Language").select_option(language)
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector(f"html[lang='{language}']")
    # record an invoice
    page.goto("/finance/invoices/new/")
    page.get_by_label(t("Vendor"), exact=True).select_option(label="Helix Cloud Services BV")
    page.get_by_label(t("Fund"), exact=True).select_option(str(ledger.regular_budget.pk))
    page.get_by_label(t("Expense account"), exact=True).select_option(str(ledger.account("5310").pk))
    page.get_by_label(t("Vendor's invoice number"), exact=True).fill("INV-WEB")
    page.get_by_label(t("Invoice date"), exact=True).fill(DAY.isoformat())
    page.get_by_label(t("Due date"), exact=True).fill(DAY.isoformat())
    page.get_by_label(t("Currency"), exact=True).fill("EUR")
    page.get_by_label(t("Amount"), exact=True).fill("1234.56")
    page.get_by_role("button", name=t("Record invoice")).click()
    # pay it
    page.get_by_role("link", name=t("Pay invoices")).click()
    page.get_by_label(t("Pay from bank account"), exact=True).select_option(label="EUR-OPS (EUR)")
    page.get_by_label(t("Payment date"), exact=True).fill(DAY.isoformat())
    page.get_by_label(t("Reference"), exact=True).fill("PR-WEB")
    page.get_by_label("V-NL INV-WEB", exact=False).check()
    page.get_by_role("button", name=t("Create payment run")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download the payment file (pain.001)")).click()
    assert b"<InstdAmt Ccy=\"EUR\">1234.56</InstdAmt>" in download.value.path().read_bytes()
    # import the bank's statement
    statement = tmp_path / "statement.xml"
    statement.write_text(STATEMENT)
    page.goto("/finance/bank/import/")
    page.get_by_label(t("Bank account"), exact=True).select_option(label="EUR-OPS (EUR)")
    page.get_by_label(t("Statement file"), exact=True).set_input_files(statement)
    page.get_by_role("button", name=t("Import"), exact=True).click()
    # matched
    page.wait_for_url("**/finance/bank/workbench/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.get_by_role("row", name="PR-WEB-1").is_visible()
    assert BankStatementLine.objects.get().payment == Payment.objects.get(end_to_end_id="PR-WEB-1")
