"""The journal entry form shows refusals on the form and writes nothing."""

import pytest
from django.test import Client

from secretariat.finance.models import JournalEntry

pytestmark = pytest.mark.django_db


def form_data(ledger, credit="100.00"):
    data = {"journal": ledger.general.pk, "fund": ledger.regular_budget.pk, "entry_on": "2026-03-15",
            "description": "Supplies", "lines-TOTAL_FORMS": "4", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20",
            "lines-0-account": ledger.account("5310").pk, "lines-0-debit_amount": "100.00", "lines-0-currency": "USD",
            "lines-1-account": ledger.account("1110").pk, "lines-1-credit_amount": credit, "lines-1-currency": "USD"}
    for n in (2, 3):
        data[f"lines-{n}-currency"] = "USD"
    return data


def test_an_unbalanced_entry_is_shown_as_a_form_error(ledger, officers):
    client = Client()
    client.force_login(officers.preparer)
    response = client.post("/finance/entries/new/", form_data(ledger, credit="90.00"))
    assert response.status_code == 400
    assert "The entry does not balance in fund RB: debits 100.00 USD, credits 90.00 USD." in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_a_balanced_entry_is_saved_as_a_draft(ledger, officers):
    client = Client()
    client.force_login(officers.preparer)
    response = client.post("/finance/entries/new/", form_data(ledger))
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/finance/entries/{entry.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Submit" in page and "Certify" not in page
