"""Currencies done right: entries balanced in their transaction currency post (the USD rounding
goes to the exchange account), and contributions are received from assessed States in any
currency, converted at the operational rate of the day."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import AuditEvent, Country
from secretariat.finance import selectors
from secretariat.finance.entry_hashes import posted_content_hashes
from secretariat.finance.models import Assessment, JournalLine
from secretariat.finance.services import bank, journal, receivables, structure
from secretariat.finance.services.errors import UnbalancedEntry
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 16)


@pytest.fixture
def euro(ledger):
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=3,
                                units_per_usd=Decimal("0.9957"))


def post(ledger, *lines):
    return journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[EntryInput(
        fund_id=ledger.regular_budget.pk, entry_on=MARCH, description="Split costs", lines=list(lines))])


def test_an_entry_balanced_in_euros_posts_with_the_usd_rounding_on_the_exchange_account(ledger, euro):
    # at 0.9957 EUR per USD, 33.33, 33.33 and 33.34 EUR convert to 33.47, 33.47 and 33.48 USD (100.42),
    # but 100.00 EUR to 100.43 USD
    [entry] = post(ledger, *(line(ledger.account("5310"), debit=amount, currency="EUR")
                             for amount in ("33.33", "33.33", "33.34")),
                   line(ledger.account("1120"), credit="100.00", currency="EUR"))

    rounding = entry.lines.get(account__code="5990")
    assert (rounding.currency, rounding.debit_amount, rounding.credit_amount) == ("USD", Decimal("0.01"), Decimal("0"))
    assert entry.total_usd == Decimal("100.43")
    assert selectors.posted_amount(account_codes=["1120"]) == Decimal("-100.43")


def test_an_entry_unbalanced_in_its_own_currency_is_still_refused(ledger, euro):
    with pytest.raises(UnbalancedEntry) as refused:
        post(ledger, line(ledger.account("5310"), debit="99.99", currency="EUR"),
             line(ledger.account("1120"), credit="100.00", currency="EUR"))
    assert str(refused.value) == "The entry does not balance in fund RB: debits 100.42 USD, credits 100.43 USD."
    assert not JournalLine.objects.exists()


@pytest.fixture
def usd_bank(ledger):
    return bank.create_bank_account(actor=ledger.admin, code="USD-HQ", name="Contributions account",
                                    fund=ledger.regular_budget, currency="USD", iban="GB82WEST12345698765432",
                                    bic="NWBKGB2LXXX", ledger_account=ledger.account("1110"))


def receive(ledger, account, alpha2="FR", amount="100.00", **kwargs):
    return receivables.record_receipt(actor=ledger.admin, member_state=Country.objects.get(alpha2=alpha2),
                                      bank_account=account, fund=ledger.regular_budget, received_on=MARCH,
                                      reference=f"{alpha2}-1", amount=Decimal(amount), **kwargs)


def test_a_receipt_from_a_payer_that_is_not_an_assessed_state_is_refused(ledger, usd_bank):
    with pytest.raises(InvalidInput) as refused:
        receive(ledger, usd_bank, alpha2="AQ")
    assert [str(m) for m in refused.value.errors["member_state"]] == [
        "ATA is neither a Member State nor an assessed non-member State: contributions are received from these only."]


def test_an_assessed_non_member_state_may_pay(ledger, usd_bank):
    holy_see = Country.objects.get(alpha2="VA")
    assert not holy_see.is_member_state
    # the scale holds Member States only; a non-member State is assessed directly
    Assessment.objects.create(fund=ledger.regular_budget, member_state=holy_see, reference="NM-2026",
                              assessed_on=MARCH, due_on=MARCH, amount=Decimal("100.00"))
    assert receive(ledger, usd_bank, alpha2="VA").amount == Decimal("100.00")


def test_a_receipt_with_more_decimals_than_its_currency_is_refused(ledger, usd_bank):
    with pytest.raises(InvalidInput) as refused:
        receive(ledger, usd_bank, amount="10.005")
    assert [str(m) for m in refused.value.errors["amount"]] == ["10.005 USD has more decimals than USD allows (2)."]


def test_a_euro_receipt_is_credited_at_the_days_rate_with_the_exchange_difference_posted(ledger, euro, usd_bank):
    # France pays 995.70 EUR (1,000.00 USD at the operational rate); the bank converts it into 1,003.20 USD
    receipt = receive(ledger, usd_bank, amount="995.70", currency="EUR", bank_amount=Decimal("1003.20"))

    assert (receipt.currency, receipt.received_amount, receipt.amount, receipt.bank_amount) == (
        "EUR", Decimal("995.70"), Decimal("1000.00"), Decimal("1003.20"))
    assert selectors.posted_amount(account_codes=["1110"]) == Decimal("1003.20")
    assert selectors.posted_amount(account_codes=["2210"]) == Decimal("-1000.00")
    assert selectors.posted_amount(account_codes=["5990"]) == Decimal("-3.20")  # a realised gain


def test_a_euro_receipt_into_a_euro_account(ledger, euro):
    eur_bank = bank.create_bank_account(actor=ledger.admin, code="EUR-OPS", name="Operating EUR",
                                        fund=ledger.regular_budget, currency="EUR", iban="DE89370400440532013000",
                                        bic="COBADEFFXXX", ledger_account=ledger.account("1120"))
    receipt = receive(ledger, eur_bank, amount="995.70")
    assert (receipt.currency, receipt.amount, receipt.amount_in_bank) == ("EUR", Decimal("1000.00"), Decimal("995.70"))


def test_a_receipt_in_euros_through_the_api(ledger, euro, usd_bank):
    client = APIClient()
    client.force_authenticate(ledger.admin)
    response = client.post("/api/v1/finance/receipts/", {
        "member_state": "FRA", "bank_account": "USD-HQ", "fund": "RB", "received_on": "2026-03-16",
        "reference": "FR-2", "currency": "EUR", "amount": "995.70", "bank_amount": "1003.20"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["amount"], response.json()["received_amount"]) == ("1000.0000", "995.7000")


def test_the_posting_records_the_hash_of_what_the_database_stores(ledger, euro):
    [entry] = post(ledger, *(line(ledger.account("5310"), debit=amount, currency="EUR")
                             for amount in ("33.33", "33.33", "33.34")),
                   line(ledger.account("1120"), credit="100.00", currency="EUR"))
    event = AuditEvent.objects.filter(changes__has_key="content_hashes").latest("pk")
    assert event.changes["content_hashes"] == posted_content_hashes([entry.pk])
