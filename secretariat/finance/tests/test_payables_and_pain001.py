"""Vendor invoices, payment runs and the ISO 20022 pain.001 file for the bank."""

import datetime
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

from secretariat.core.models import Country
from secretariat.finance import selectors
from secretariat.finance.iso20022 import pain001_credit_transfer
from secretariat.finance.models import InvoiceStatus, JournalEntry, Payment, PaymentRun
from secretariat.finance.services import bank, payables, structure
from secretariat.finance.services.errors import InvoiceCurrencyMismatch, PaymentExceedsInvoice, RateMissing
from secretariat.finance.services.payables import PaymentInstruction

pytestmark = pytest.mark.django_db


def pain001_schema() -> etree.XMLSchema:
    # The XSD ships with the sepaxml package (ISO 20022 pain.001.001.09, as published by ISO).
    xsd = resources.files("sepaxml").joinpath("schemas/pain.001.001.09.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


@pytest.fixture
def payables_setup(ledger):
    admin = ledger.admin
    structure.set_exchange_rate(actor=admin, currency="EUR", year=2026, month=3, units_per_usd=Decimal("0.800000"))
    structure.set_exchange_rate(actor=admin, currency="EUR", year=2026, month=4, units_per_usd=Decimal("0.750000"))
    vendor = payables.create_vendor(actor=admin, code="V001", name="Société Générale de Fournitures",
                                    country=Country.objects.get(alpha2="FR"), iban="FR14 2004 1010 0505 0001 3M02 606",
                                    bic="PSSTFRPPXXX")
    eur_bank = bank.create_bank_account(actor=admin, code="EUR-OPS", name="Operating account EUR",
                                        fund=ledger.regular_budget, currency="EUR", iban="DE89370400440532013000",
                                        bic="COBADEFFXXX", ledger_account=ledger.account("1120"))
    invoice = payables.record_vendor_invoice(
        actor=admin, vendor=vendor, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
        invoice_number="F-2026-118", invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 4, 9),
        currency="EUR", amount=Decimal("800.00"))
    return vendor, eur_bank, invoice


def test_an_invoice_posts_the_expense_and_the_payable_at_the_months_rate(ledger, payables_setup):
    _vendor, _bank, invoice = payables_setup
    assert invoice.journal_entry.number == "AP-2026-000001"
    assert selectors.posted_amount(account_codes=["5310"]) == Decimal("1000.00")
    assert selectors.posted_amount(account_codes=["2110"]) == Decimal("-1000.00")


def test_a_payment_run_pays_the_invoice_and_books_the_realised_exchange_loss(ledger, payables_setup):
    _vendor, eur_bank, invoice = payables_setup
    # when (paid in April at 0.75 EUR per USD: 800 EUR now cost 1066.67 USD)
    run = payables.create_payment_run(actor=ledger.admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5),
                                      reference="PR-2026-04-05", instructions=[PaymentInstruction(invoice.pk,
                                                                                                  Decimal("800.00"))])
    # then
    invoice.refresh_from_db()
    assert (invoice.paid_amount, invoice.status) == (Decimal("800.00"), InvoiceStatus.PAID)
    assert selectors.posted_amount(account_codes=["2110"]) == Decimal("0.00")
    assert selectors.posted_amount(account_codes=["1120"]) == Decimal("-1066.67")
    assert selectors.posted_amount(account_codes=["5990"]) == Decimal("66.67")
    assert run.journal_entry.number == "CB-2026-000001"


def test_a_payment_exceeding_the_invoice_is_refused_and_nothing_is_written(ledger, payables_setup):
    _vendor, eur_bank, invoice = payables_setup
    entries_before = JournalEntry.objects.count()
    with pytest.raises(PaymentExceedsInvoice) as refusal:
        payables.create_payment_run(actor=ledger.admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5),
                                    reference="PR-X", instructions=[PaymentInstruction(invoice.pk, Decimal("500")),
                                                                    PaymentInstruction(invoice.pk, Decimal("300.01"))])
    assert str(refusal.value) == ("The payment of 300.01 EUR exceeds the 300.00 EUR still due on invoice "
                                  "V001 F-2026-118.")
    assert not PaymentRun.objects.exists() and not Payment.objects.exists()
    assert JournalEntry.objects.count() == entries_before


def test_an_invoice_in_a_currency_without_a_rate_is_refused(ledger, payables_setup):
    vendor, _bank, _invoice = payables_setup
    with pytest.raises(RateMissing):
        payables.record_vendor_invoice(
            actor=ledger.admin, vendor=vendor, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
            invoice_number="F-2026-200", invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 4, 9),
            currency="GBP", amount=Decimal("10"))


def test_paying_from_an_account_in_another_currency_is_refused(ledger, payables_setup):
    _vendor, _bank, invoice = payables_setup
    usd_bank = bank.create_bank_account(actor=ledger.admin, code="USD-OPS", name="Operating USD",
                                        fund=ledger.regular_budget, currency="USD", iban="GB82WEST12345698765432",
                                        bic="NWBKGB2LXXX", ledger_account=ledger.account("1110"))
    with pytest.raises(InvoiceCurrencyMismatch):
        payables.create_payment_run(actor=ledger.admin, bank_account=usd_bank, payment_on=datetime.date(2026, 4, 5),
                                    reference="PR-Y", instructions=[PaymentInstruction(invoice.pk, Decimal("1"))])


def test_the_pain001_file_is_valid_against_the_iso20022_schema(ledger, payables_setup):
    # given
    _vendor, eur_bank, invoice = payables_setup
    run = payables.create_payment_run(actor=ledger.admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5),
                                      reference="PR-2026-04-05", instructions=[PaymentInstruction(invoice.pk,
                                                                                                  Decimal("300.00")),
                                                                               PaymentInstruction(invoice.pk,
                                                                                                  Decimal("200.00"))])
    # when
    xml = pain001_credit_transfer(run=run, debtor_name="United Nations",
                                  created_at=datetime.datetime(2026, 4, 5, 9, 0, tzinfo=datetime.UTC))
    # then
    document = etree.fromstring(xml)
    schema = pain001_schema()
    assert schema.validate(document), schema.error_log
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == "500.00"
    assert document.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=ns) == ["FR1420041010050500013M02606"] * 2


def test_the_schema_check_catches_a_broken_file(ledger, payables_setup):
    _vendor, eur_bank, invoice = payables_setup
    run = payables.create_payment_run(actor=ledger.admin, bank_account=eur_bank, payment_on=datetime.date(2026, 4, 5),
                                      reference="PR-B", instructions=[PaymentInstruction(invoice.pk, Decimal("1"))])
    document = etree.fromstring(pain001_credit_transfer(run=run, debtor_name="UN",
                                                        created_at=datetime.datetime(2026, 4, 5, tzinfo=datetime.UTC)))
    ns = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"
    header = document.find(f"{ns}CstmrCdtTrfInitn/{ns}GrpHdr")
    header.remove(header.find(f"{ns}MsgId"))
    assert not pain001_schema().validate(document)
