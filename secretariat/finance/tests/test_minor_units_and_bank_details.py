"""Amounts carry their currency's minor units from entry (ISO 4217: JPY 0, USD 2, KWD 3), pain.001
files are valid against the official XSD with an exact control sum, and bank details are checked
with schwifty, every refusal a 400 with its reason."""

import datetime
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from rest_framework.test import APIClient

from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Country
from secretariat.finance.iso20022 import pain001_credit_transfer
from secretariat.finance.services import bank, journal, payables, structure
from secretariat.finance.services.errors import LineTooPrecise
from secretariat.finance.services.payables import PaymentInstruction
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
CREATED = datetime.datetime(2026, 4, 5, 9, 0, tzinfo=datetime.UTC)


def pain001_schema() -> etree.XMLSchema:
    xsd = resources.files("sepaxml").joinpath("schemas/pain.001.001.09.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd))


def vendor(ledger, code="V-JP", name="Tokyo Office Supply KK", latin_name=""):
    return payables.create_vendor(actor=ledger.admin, code=code, name=name, latin_name=latin_name,
                                  country=Country.objects.get(alpha2="FR"), iban="FR1420041010050500013M02606",
                                  bic="PSSTFRPPXXX")


def bank_in(ledger, currency, *, iban="GB82WEST12345698765432", latin_only=False):
    if currency != "USD":
        structure.set_exchange_rate(actor=ledger.admin, currency=currency, year=2026, month=3,
                                    units_per_usd={"JPY": Decimal("150"), "KWD": Decimal("0.307")}[currency])
    return bank.create_bank_account(actor=ledger.admin, code=f"OPS-{currency}", name=currency,
                                    fund=ledger.regular_budget, currency=currency, iban=iban, bic="NWBKGB2LXXX",
                                    ledger_account=ledger.account("1110"), latin_characters_only=latin_only)


def invoice(ledger, payee, currency, amount, number="INV-1"):
    return payables.record_vendor_invoice(
        actor=ledger.admin, vendor=payee, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
        invoice_number=number, invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 3, 31),
        currency=currency, amount=Decimal(amount))


def pay(ledger, account, invoices, reference="PR-1"):
    return payables.create_payment_run(actor=ledger.admin, bank_account=account, payment_on=datetime.date(2026, 3, 20),
                                       reference=reference,
                                       instructions=[PaymentInstruction(i.pk, i.amount) for i in invoices])


def valid_file(run) -> etree._Element:
    document = etree.fromstring(pain001_credit_transfer(run=run, debtor_name="United Nations", created_at=CREATED))
    schema = pain001_schema()
    assert schema.validate(document), schema.error_log
    return document


@pytest.mark.parametrize(("currency", "amounts", "expected", "control_sum"), [
    ("JPY", ["125000", "7"], ["125000", "7"], "125007"),
    ("KWD", ["1234.567", "0.011"], ["1234.567", "0.011"], "1234.578"),
    ("USD", ["1234.56", "309.01"], ["1234.56", "309.01"], "1543.57"),
])
def test_pain001_amounts_have_the_currencys_decimals_and_an_exact_control_sum(
        ledger, currency, amounts, expected, control_sum):
    account, payee = bank_in(ledger, currency), vendor(ledger)
    invoices = [invoice(ledger, payee, currency, amount, number=f"INV-{n}") for n, amount in enumerate(amounts)]

    document = valid_file(pay(ledger, account, invoices))

    assert document.xpath("//p:InstdAmt/text()", namespaces=NS) == expected
    assert document.xpath("//p:InstdAmt/@Ccy", namespaces=NS) == [currency] * len(amounts)
    assert document.xpath("//p:CtrlSum/text()", namespaces=NS) == [control_sum, control_sum]


@pytest.mark.parametrize(("currency", "amount", "message"), [
    ("USD", "1234.567", "1234.567 USD has more decimals than USD allows (2)."),
    ("JPY", "100.5", "100.5 JPY has more decimals than JPY allows (0)."),
    ("KWD", "1.0005", "1.0005 KWD has more decimals than KWD allows (3)."),
])
def test_an_invoice_with_more_decimals_than_its_currency_is_refused(ledger, currency, amount, message):
    bank_in(ledger, currency)
    with pytest.raises(InvalidInput) as refused:
        invoice(ledger, vendor(ledger), currency, amount)
    assert [str(m) for m in refused.value.errors["amount"]] == [message]


def test_a_journal_line_with_more_decimals_than_its_currency_is_refused(ledger):
    entry = journal.EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 15),
                               description="Too precise", lines=[line(ledger.account("5310"), debit="10.005"),
                                                                 line(ledger.account("1110"), credit="10.005")])
    with pytest.raises(LineTooPrecise) as refused:
        journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[entry],
                                     audit_action="finance.test", permission="finance.add_journalentry")
    assert str(refused.value) == "Line 1: 10.005 USD has more decimals than USD allows (2)."


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cents=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6))
def test_the_control_sum_is_always_the_sum_of_the_instructed_amounts(ledger, cents):
    # the examples share the test's database (intended): each gets its own vendor and run
    number = payables.Vendor.objects.count()
    payee = vendor(ledger, code=f"V-{number}")
    account = bank.BankAccount.objects.filter(currency="USD").first() or bank_in(ledger, "USD")
    invoices = [invoice(ledger, payee, "USD", Decimal(c) / 100, number=f"I-{n}") for n, c in enumerate(cents)]
    document = valid_file(pay(ledger, account, invoices, reference=f"PR-{number}"))
    instructed = sum(Decimal(a) for a in document.xpath("//p:InstdAmt/text()", namespaces=NS))
    assert Decimal(document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == instructed


def test_a_non_latin_vendor_name_is_kept_and_sent_in_latin_where_the_bank_requires(ledger):
    arabic = vendor(ledger, code="V-AR", name="شركة النيل للتموين", latin_name="Sharikat al-Nil lil-Tamwin")
    russian = vendor(ledger, code="V-RU", name="ООО Волга Логистика")
    latin_bank = bank_in(ledger, "USD", latin_only=True)
    utf8_bank = bank.create_bank_account(actor=ledger.admin, code="OPS-UTF8", name="UTF-8 bank",
                                         fund=ledger.regular_budget, currency="USD", iban="DE89370400440532013000",
                                         bic="COBADEFFXXX", ledger_account=ledger.account("1110"))

    latin_file = valid_file(pay(ledger, latin_bank, [invoice(ledger, arabic, "USD", "10.00")]))
    utf8_file = valid_file(pay(ledger, utf8_bank, [invoice(ledger, arabic, "USD", "20.00", number="INV-2"),
                                                   invoice(ledger, russian, "USD", "5.00")], reference="PR-2"))

    assert arabic.name == "شركة النيل للتموين"
    assert latin_file.xpath("//p:Cdtr/p:Nm/text()", namespaces=NS) == ["Sharikat al-Nil lil-Tamwin"]
    assert utf8_file.xpath("//p:Cdtr/p:Nm/text()", namespaces=NS) == ["شركة النيل للتموين", "ООО Волга Логистика"]
    with pytest.raises(InvalidInput) as refused:
        pay(ledger, latin_bank, [invoice(ledger, russian, "USD", "7.00", number="INV-3")], reference="PR-3")
    assert [str(m) for m in refused.value.errors["instructions"]] == [
        "Vendor V-RU has no name in Latin characters, which the bank of OPS-USD requires."]


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("iban", "NL91ABNA041716430", "NL91ABNA041716430 has the wrong length for an IBAN of its country."),
    ("iban", "NL92ABNA0417164300", "NL92ABNA0417164300 has wrong check digits."),
    ("iban", "XX91ABNA0417164300", "XX91ABNA0417164300 does not start with a known country code."),
    ("bic", "1EMOGB2L", "1EMOGB2L is not a valid BIC: it starts with six letters (bank and country code)."),
    ("bic", "DEMOXX2L", "DEMOXX2L does not name a known country in characters 5 and 6."),
    ("bic", "DEMO", "A BIC has 8 or 11 characters; DEMO has 4."),
])
def test_bad_bank_details_are_a_400_with_the_reason(ledger, field, value, reason):
    client = APIClient()
    client.force_authenticate(ledger.admin)
    data = {"code": "V-1", "name": "Vendor", "country": "NL", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A",
            field: value}

    response = client.post("/api/v1/finance/vendors/", data, format="json")

    assert response.status_code == 400, response.content
    assert reason in response.content.decode()
    assert client.post("/api/v1/finance/vendors/", {**data, field: {"iban": "NL91ABNA0417164300",
                                                                    "bic": "ABNANL2A"}[field]},
                       format="json").status_code == 201
