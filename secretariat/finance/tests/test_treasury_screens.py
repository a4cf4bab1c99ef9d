"""The accounts-payable and treasury journey in the browser's pages: record an invoice → pay it →
download the payment file → import the bank's statement → matched; in English and Arabic."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.finance.models import BankStatementLine, Payment, VendorInvoice
from secretariat.finance.services import bank, payables
from secretariat.finance.tests.factories import set_up_treasury

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 4, 15)

STATEMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M-1</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>S-{language}</Id><CreDtTm>{day}T06:00:00</CreDtTm>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>{day}</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">3765.44</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Dt><Dt>{day}</Dt></Dt></Bal>
   <Ntry><Amt Ccy="EUR">1234.56</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>E-1</AcctSvcrRef><BkTxCd/>
    <NtryDtls><TxDtls><Refs><EndToEndId>{end_to_end}</EndToEndId></Refs><Amt Ccy="EUR">1234.56</Amt>
    </TxDtls></NtryDtls></Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


@pytest.fixture
def treasurer(ledger):
    return set_up_treasury(ledger)


def browser(user, language) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(("language", "matched_heading"), [("en", "Matched lately"), ("ar", 'lang="ar"')])
def test_record_an_invoice_pay_it_import_the_statement_and_see_it_matched(ledger, treasurer, language,
                                                                          matched_heading):
    client = browser(treasurer, language)
    # record an invoice
    response = client.post("/finance/invoices/new/", {
        "vendor": payables.Vendor.objects.get().pk, "fund": ledger.regular_budget.pk,
        "expense_account": ledger.account("5310").pk, "invoice_number": "INV-77", "invoice_on": TODAY,
        "due_on": TODAY, "currency": "EUR", "amount": "1234.56", "obligation": ""})
    assert response.status_code == 302, response.content.decode()
    invoice = VendorInvoice.objects.get()
    assert "INV-77" in client.get("/finance/invoices/").content.decode()
    # pay it
    response = client.post("/finance/payment-runs/new/", {
        "bank_account": invoice.fund.bank_accounts.get().pk, "payment_on": TODAY, "reference": "PR-77",
        "invoices": [invoice.pk]})
    assert response.status_code == 302, response.content.decode()
    payment = Payment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert payment.end_to_end_id in page
    pain001 = etree.fromstring(client.get(f"{response['Location']}pain001/").content)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    assert pain001.xpath("//p:InstdAmt/text()", namespaces=ns) == ["1234.56"]
    # import the bank's statement
    content = STATEMENT.format(day=TODAY.isoformat(), language=language, end_to_end=payment.end_to_end_id)
    upload = SimpleUploadedFile("statement.xml", content.encode(), content_type="application/xml")
    response = client.post("/finance/bank/import/", {
        "bank_account": invoice.fund.bank_accounts.get().pk, "source_format": "camt053", "file": upload})
    assert response.status_code == 302, response.content.decode()
    # matched
    assert BankStatementLine.objects.get().payment == payment
    workbench = client.get("/finance/bank/workbench/").content.decode()
    assert matched_heading in workbench and payment.end_to_end_id in workbench


def test_a_proposal_is_confirmed_and_a_match_undone_on_the_workbench(ledger, treasurer):
    client = browser(treasurer, "en")
    invoice = payables.record_vendor_invoice(
        actor=ledger.admin, vendor=payables.Vendor.objects.get(), fund=ledger.regular_budget,
        expense_account=ledger.account("5310"), invoice_number="INV-1", invoice_on=TODAY, due_on=TODAY,
        currency="EUR", amount=Decimal("1234.56"))
    run = payables.create_payment_run(actor=ledger.admin, bank_account=invoice.fund.bank_accounts.get(),
                                      payment_on=TODAY, reference="PR-1",
                                      instructions=[payables.PaymentInstruction(invoice.pk, invoice.amount)])
    payment = run.payments.get()
    content = STATEMENT.format(day=TODAY.isoformat(), language="x", end_to_end="NOTPROVIDED")
    bank.import_bank_statement(actor=ledger.admin, bank_account=run.bank_account, content=content.encode(),
                               source_format="camt053")
    line = BankStatementLine.objects.get()
    assert line.proposed_payment == payment and line.payment is None
    page = client.get("/finance/bank/workbench/").content.decode()
    assert f"Proposed: {payment.end_to_end_id}" in page

    client.post(f"/finance/bank/lines/{line.pk}/match/", {"item": f"payment:{payment.pk}"})
    line.refresh_from_db()
    assert line.payment == payment and not line.is_auto_matched

    response = client.post(f"/finance/bank/lines/{line.pk}/match/", {"action": "unmatch", "reason": ""}, follow=True)
    assert "Give a reason." in response.content.decode()
    client.post(f"/finance/bank/lines/{line.pk}/match/", {"action": "unmatch", "reason": "Wrong vendor"})
    line.refresh_from_db()
    assert line.payment is None
    assert AuditEvent.objects.filter(action="finance.bank_line.unmatched").exists()



def test_the_payment_file_with_full_bank_details_goes_only_to_those_who_pay(ledger, treasurer):
    # given a paid invoice, and a global auditor who reads every payment run
    invoice = payables.record_vendor_invoice(
        actor=ledger.admin, vendor=payables.Vendor.objects.get(), fund=ledger.regular_budget,
        expense_account=ledger.account("5310"), invoice_number="INV-2", invoice_on=TODAY, due_on=TODAY,
        currency="EUR", amount=Decimal("10.00"))
    run = payables.create_payment_run(actor=ledger.admin, bank_account=invoice.fund.bank_accounts.get(),
                                      payment_on=TODAY, reference="PR-2",
                                      instructions=[payables.PaymentInstruction(invoice.pk, invoice.amount)])
    auditor = UserFactory(username="auditor")
    grant(auditor, "auditor")
    reader = browser(auditor, "en")
    # when / then: the auditor sees the run but not the file that carries the vendor's IBAN
    assert reader.get(f"/finance/payment-runs/{run.pk}/").status_code == 200
    assert reader.get(f"/finance/payment-runs/{run.pk}/pain001/").status_code == 403
    assert reader.get(f"/api/v1/finance/payment-runs/{run.pk}/pain001/").status_code == 403
    # and the treasurer's copy is in the audit trail
    response = browser(treasurer, "en").get(f"/finance/payment-runs/{run.pk}/pain001/")
    assert b"NL91ABNA0417164300" in response.content
    assert AuditEvent.objects.filter(action="finance.payment_run.file_downloaded", actor=treasurer).count() == 1
