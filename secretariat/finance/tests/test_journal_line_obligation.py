"""A journal line may name the obligation (e.g. the commitment of a purchase order) it relates to:
the page, the API and the direct-posting services keep it, a reversal copies it, and the ledger's
stable selector groups by it. Finance never interprets the number (ADR 0053)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from secretariat.core.tests.factories import OrgUnitFactory
from secretariat.finance import selectors
from secretariat.finance.models import JournalEntry, JournalLine
from secretariat.finance.services import journal
from secretariat.finance.services.errors import ObligationTooLong
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db

API = "/api/v1/finance"
ON = datetime.date(2026, 3, 15)


def invoice_entry(ledger, obligation: str) -> EntryInput:
    """Goods received on a purchase order: the payable line carries the order's obligation number
    (the expense line is left without one here: the budget, when installed, acts on those)."""
    return EntryInput(fund_id=ledger.regular_budget.pk, entry_on=ON, description="Toner",
                      lines=[line(ledger.account("5310"), debit="75.00"),
                             line(ledger.account("2110"), credit="75.00", obligation=obligation)])


def test_direct_postings_keep_the_obligation_and_a_reversal_copies_it(ledger):
    # when
    [entry] = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                           entries=[invoice_entry(ledger, "  PO-2026-0042 ")])
    reversal = journal.reverse_journal_entry(actor=ledger.admin, entry_id=entry.pk,
                                             reversal_on=datetime.date(2026, 3, 20), reason="Duplicate")
    # then
    assert list(entry.lines.values_list("account__code", "obligation")) == [("5310", ""), ("2110", "PO-2026-0042")]
    assert list(reversal.lines.values_list("account__code", "obligation")) == [("5310", ""),
                                                                               ("2110", "PO-2026-0042")]
    assert selectors.posted_amounts(group_by=("entry", "obligation"), account_codes=["2110"]) == [
        {"entry": entry.pk, "obligation": "PO-2026-0042", "amount_usd": Decimal("-75.00")},
        {"entry": reversal.pk, "obligation": "PO-2026-0042", "amount_usd": Decimal("75.00")},
    ]


def test_an_obligation_number_longer_than_the_ledger_keeps_is_refused(ledger):
    with pytest.raises(ObligationTooLong) as refusal:
        journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                     entries=[invoice_entry(ledger, "PO-" + "9" * 48)])
    assert str(refusal.value) == "Line 2: an obligation number has at most 50 characters."
    assert not JournalEntry.objects.exists()


def test_the_api_takes_and_shows_a_lines_obligation(ledger, officers):
    # given
    client = Client()
    client.force_login(officers.preparer)
    entry = {"journal": "GJ", "fund": "RB", "entry_on": "2026-03-15", "description": "Toner",
             "lines": [{"account": "5310", "debit_amount": "75.00"},
                       {"account": "2110", "credit_amount": "75.00", "obligation": "PO-2026-0042"}]}
    # when
    created = client.post(f"{API}/journal-entries/", entry, content_type="application/json")
    # then
    assert created.status_code == 201, created.content
    assert [ln["obligation"] for ln in created.json()["lines"]] == ["", "PO-2026-0042"]


def test_the_journal_entry_page_takes_a_cost_centre_and_an_obligation_per_line(client, ledger, officers):
    # given
    unit = OrgUnitFactory(code="OICT-OPS")
    client.force_login(officers.preparer)
    form = {"journal": ledger.general.pk, "fund": ledger.regular_budget.pk, "entry_on": "2026-03-15",
            "description": "Toner", "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20",
            "lines-0-account": ledger.account("5310").pk, "lines-0-cost_centre": unit.pk,
            "lines-0-debit_amount": "75.00", "lines-0-currency": "USD",
            "lines-1-account": ledger.account("2110").pk, "lines-1-credit_amount": "75.00",
            "lines-1-currency": "USD", "lines-1-obligation": "PO-2026-0042"}
    assert 'name="lines-0-obligation"' in client.get("/finance/entries/new/").content.decode()
    # when
    response = client.post("/finance/entries/new/", form)
    # then
    assert response.status_code == 302
    assert list(JournalLine.objects.values_list("account__code", "cost_centre__code", "obligation")) == [
        ("5310", "OICT-OPS", ""), ("2110", None, "PO-2026-0042")]
    detail = client.get(response["Location"]).content.decode()
    assert "PO-2026-0042" in detail
