"""Recording a contribution in the browser and seeing it on the State's statement and the status
of contributions; the receivables service's refusals shown on their fields."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from secretariat.core.models import Country
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.finance.models import Receipt
from secretariat.finance.services import bank, receivables, structure

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 2, 3)


@pytest.fixture
def contributions_officer(ledger):
    receivables.set_assessment_rate(actor=ledger.admin, member_state=Country.objects.get(alpha2="FR"),
                                    from_year=2025, to_year=2027, rate_percent=Decimal("4.318"))
    bank.create_bank_account(actor=ledger.admin, code="USD-HQ", name="Contributions account",
                             fund=ledger.regular_budget, currency="USD", iban="GB82WEST12345698765432",
                             bic="NWBKGB2LXXX", ledger_account=ledger.account("1110"))
    receivables.issue_assessments(actor=ledger.admin, fund=ledger.regular_budget, reference="RB-2026", year=2026,
                                  total_amount=Decimal("1000000.00"), assessed_on=datetime.date(2026, 1, 2),
                                  due_on=datetime.date(2026, 2, 1))
    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=2,
                                units_per_usd=Decimal("0.9"))
    user = UserFactory(username="contributions")
    grant(user, "contributions_officer", ledger.regular_budget)
    client = Client()
    client.force_login(user)
    return client


def receipt_data(ledger, **changes) -> dict:
    return {"member_state": Country.objects.get(alpha2="FR").pk, "fund": ledger.regular_budget.pk,
            "bank_account": ledger.regular_budget.bank_accounts.get().pk, "received_on": DAY,
            "reference": "FR-RB-2026-1", "amount": "900.00", "currency": "eur", "bank_amount": "1000.00", **changes}


def test_a_euro_receipt_is_credited_in_dollars_and_shown_on_the_states_statement(ledger, contributions_officer):
    client = contributions_officer
    assert "/finance/receipts/new/" in client.get("/finance/contributions/").content.decode()
    response = client.post("/finance/receipts/new/", receipt_data(ledger))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/finance/contributions/FRA/"
    page = client.get(response["Location"]).content.decode()
    assert "Receipt FR-RB-2026-1 recorded: 1,000.00 USD credited to" in page
    assert "900.00 EUR" in page and "FR-RB-2026-1" in page
    assert Receipt.objects.get().amount == Decimal("1000.00")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"member_state": "ATA"}, "member_state", "ATA is neither a Member State nor an assessed non-member State"),
    ({"currency": "", "amount": "10.005", "bank_amount": ""}, "amount", "10.005 USD has more decimals than USD"),
    ({"bank_amount": ""}, "bank_amount", "Give the amount the bank credited in USD."),
])
def test_a_refused_receipt_is_explained_on_its_field(ledger, contributions_officer, changes, field, message):
    if changes.get("member_state") == "ATA":
        changes = {**changes, "member_state": Country.objects.get(alpha3="ATA").pk}
    response = contributions_officer.post("/finance/receipts/new/", receipt_data(ledger, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page and message in page
    assert not Receipt.objects.exists()


def test_the_receipt_form_is_for_those_who_record_receipts(ledger, contributions_officer):
    reader = UserFactory(username="reader")
    grant(reader, "finance_certifier", ledger.regular_budget)
    client = Client()
    client.force_login(reader)
    assert client.get("/finance/receipts/new/").status_code == 403
