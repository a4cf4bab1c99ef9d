"""An invoice posted in the ledger that names the commitment it liquidates charges the allotment once:
the commitment is liquidated up to its open balance, any excess is direct expenditure through the
hard stop, a reversal re-opens what was liquidated, and a wrong reference refuses the posting with
nothing written (ADR 0053)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from secretariat.budget.exceptions import ExpenditureNotAttributable, FundsNotAvailable
from secretariat.budget.models import (
    BudgetMovement,
    Commitment,
    CommitmentStatus,
    MovementKind,
)
from secretariat.budget.selectors import balances_from_movements
from secretariat.budget.services.commitments import (
    cancel_commitment,
    commit_funds,
    record_expenditure,
)
from secretariat.budget.services.ledger import record_ledger_expenditure
from secretariat.budget.tests.factories import (
    expense,
    make_allotment,
    post_through_finance,
)
from secretariat.core.models import AuditEvent, Country
from secretariat.finance.models import (
    EntryStatus,
    JournalEntry,
    PeriodBalance,
    VendorInvoice,
)
from secretariat.finance.services import journal, payables
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import line

pytestmark = pytest.mark.django_db

REVERSED_ON = datetime.date(2026, 4, 2)


@pytest.fixture
def purchase_order(ledger_office):
    """Procurement has committed 400.00 of the 1,000.00 allotment for a purchase order."""
    ledger, _officers, _unit, allotment = ledger_office
    return commit_funds(actor=ledger.admin, allotment_id=allotment.pk, amount=Decimal("400.00"),
                        source="procurement", source_reference="PO-2026-0042")


@pytest.fixture
def vendor(ledger_office):
    ledger = ledger_office[0]
    return payables.create_vendor(actor=ledger.admin, code="V001", name="Société Générale de Fournitures",
                                  country=Country.objects.get(alpha2="FR"), iban="FR14 2004 1010 0505 0001 3M02 606",
                                  bic="PSSTFRPPXXX")


def invoice(ledger_office, vendor, number: str, amount: str, obligation: str) -> VendorInvoice:
    ledger, _officers, unit, _allotment = ledger_office
    return payables.record_vendor_invoice(
        actor=ledger.admin, vendor=vendor, fund=ledger.regular_budget, expense_account=ledger.account("5310"),
        invoice_number=number, invoice_on=datetime.date(2026, 3, 10), due_on=datetime.date(2026, 4, 9),
        currency="USD", amount=Decimal(amount), cost_centre=unit, obligation=obligation)


def state(allotment, commitment) -> dict:
    """What a certifying officer sees: the allotment's balances and the commitment's."""
    allotment.refresh_from_db()
    commitment.refresh_from_db()
    return {"available": allotment.available_amount, "committed": allotment.committed_amount,
            "expended": allotment.expended_amount, "open": commitment.open_amount,
            "liquidated": commitment.liquidated_amount, "status": commitment.status}


def movements_of(entry) -> list[tuple]:
    return list(BudgetMovement.objects.filter(journal_entry=entry).order_by("pk").values_list(
        "kind", "amount", "commitment_id"))


def books_agree(allotment) -> bool:
    allotment.refresh_from_db()
    journal_balances = balances_from_movements(allotment=allotment)
    return (journal_balances["amount"], journal_balances["committed"], journal_balances["expended"]) == (
        allotment.amount, allotment.committed_amount, allotment.expended_amount)


def test_invoices_naming_the_commitment_liquidate_it_and_a_reversal_gives_it_back(ledger_office, purchase_order,
                                                                                 vendor):
    # given an allotment of 1,000.00 with 400.00 committed for the purchase order
    ledger, _officers, _unit, allotment = ledger_office
    number = purchase_order.number
    assert state(allotment, purchase_order)["available"] == Decimal("600.00")
    # when the first invoice, 300.00, is posted naming the commitment
    first = invoice(ledger_office, vendor, "F-1", "300.00", number)
    # then the allotment is charged once: the commitment is liquidated, the available balance stays
    after_first = {"available": Decimal("600.00"), "committed": Decimal("100.00"), "expended": Decimal("300.00"),
                   "open": Decimal("100.00"), "liquidated": Decimal("300.00"), "status": CommitmentStatus.OPEN}
    assert state(allotment, purchase_order) == after_first
    assert movements_of(first.journal_entry) == [(MovementKind.LIQUIDATED, Decimal("300.00"), purchase_order.pk)]
    assert first.obligation == first.journal_entry.lines.get(account__code="5310").obligation == number

    # when a second invoice, 150.00, names it too: 100.00 liquidates it, 50.00 is direct expenditure
    # (1,000.00 − 450.00 expended − nothing left committed = 550.00 available)
    second = invoice(ledger_office, vendor, "F-2", "150.00", number)
    assert state(allotment, purchase_order) == {
        "available": Decimal("550.00"), "committed": Decimal("0.00"), "expended": Decimal("450.00"),
        "open": Decimal("0.00"), "liquidated": Decimal("400.00"), "status": CommitmentStatus.LIQUIDATED}
    assert movements_of(second.journal_entry) == [(MovementKind.LIQUIDATED, Decimal("100.00"), purchase_order.pk),
                                                  (MovementKind.EXPENDED, Decimal("50.00"), None)]

    # when the second invoice's entry is reversed: back to where the first invoice left things
    reversal = journal.reverse_journal_entry(actor=ledger.admin, entry_id=second.journal_entry.pk,
                                             reversal_on=REVERSED_ON, reason="Invoice cancelled by the vendor")
    assert state(allotment, purchase_order) == after_first
    assert movements_of(reversal) == [(MovementKind.LIQUIDATION_REVERSED, Decimal("100.00"), purchase_order.pk),
                                      (MovementKind.EXPENDITURE_REVERSED, Decimal("50.00"), None)]

    # when the first is reversed too: the commitment is whole again
    journal.reverse_journal_entry(actor=ledger.admin, entry_id=first.journal_entry.pk, reversal_on=REVERSED_ON,
                                  reason="Wrong vendor")
    assert state(allotment, purchase_order) == {
        "available": Decimal("600.00"), "committed": Decimal("400.00"), "expended": Decimal("0.00"),
        "open": Decimal("400.00"), "liquidated": Decimal("0.00"), "status": CommitmentStatus.OPEN}
    assert books_agree(allotment)
    events = AuditEvent.objects.filter(action="budget.expenditure.recorded_from_ledger")
    assert [e.changes.get("commitment") for e in events.order_by("pk")] == [number, number, None, number, None, number]


def test_an_entry_prepared_on_the_journal_entry_page_liquidates_the_commitment_it_names(
        client, ledger_office, purchase_order):
    # given
    ledger, officers, unit, allotment = ledger_office
    client.force_login(officers.preparer)
    form = {"journal": ledger.general.pk, "fund": ledger.regular_budget.pk, "entry_on": "2026-03-15",
            "description": "Toner, purchase order PO-2026-0042", "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20",
            "lines-0-account": ledger.account("5310").pk, "lines-0-cost_centre": unit.pk,
            "lines-0-debit_amount": "300.00", "lines-0-currency": "USD", "lines-0-obligation": purchase_order.number,
            "lines-1-account": ledger.account("1110").pk, "lines-1-credit_amount": "300.00",
            "lines-1-currency": "USD"}
    # when
    response = client.post("/finance/entries/new/", form)
    draft = JournalEntry.objects.get()
    for step, officer in ((journal.submit_journal_entry, officers.preparer),
                          (journal.certify_journal_entry, officers.certifier),
                          (journal.approve_journal_entry, officers.approver),
                          (journal.post_journal_entry, officers.poster)):
        step(actor=officer, entry_id=draft.pk)
    # then
    assert response.status_code == 302
    assert state(allotment, purchase_order)["available"] == Decimal("600.00")
    assert state(allotment, purchase_order)["open"] == Decimal("100.00")
    client.force_login(officers.poster)
    assert purchase_order.number in client.get(f"/finance/entries/{draft.pk}/").content.decode()


def test_a_vendor_invoice_recorded_through_the_api_liquidates_the_commitment_it_names(ledger_office, purchase_order,
                                                                                     vendor):
    # given
    ledger, _officers, unit, allotment = ledger_office
    client = Client()
    client.force_login(ledger.admin)
    body = {"vendor": "V001", "fund": "RB", "expense_account": "5310", "cost_centre": unit.pk,
            "invoice_number": "F-1", "invoice_on": "2026-03-10", "due_on": "2026-04-09", "currency": "USD",
            "amount": "300.00"}
    # when a wrong number is given, then a right one
    refused = client.post("/api/v1/finance/vendor-invoices/", {**body, "obligation": "CMT-9999999"},
                          content_type="application/json")
    recorded = client.post("/api/v1/finance/vendor-invoices/", {**body, "obligation": purchase_order.number},
                           content_type="application/json")
    # then
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("Journal entry AP-2026-000001 cannot be charged to one allotment: it names "
                                        "CMT-9999999, which is not the number of a commitment.")
    assert recorded.status_code == 201, recorded.content
    assert (recorded.json()["obligation"], recorded.json()["journal_entry"]) == (purchase_order.number,
                                                                                 "AP-2026-000001")
    assert VendorInvoice.objects.count() == 1
    assert (state(allotment, purchase_order)["available"], state(allotment, purchase_order)["open"]) == (
        Decimal("600.00"), Decimal("100.00"))


def test_an_entry_may_liquidate_a_commitment_and_charge_the_same_allotment_directly(ledger_office, purchase_order):
    # given
    ledger, _officers, unit, allotment = ledger_office
    entry = EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 15), description="Toner",
                       lines=[line(ledger.account("5310"), debit="300.00", cost_centre_id=unit.pk,
                                   obligation=purchase_order.number),
                              line(ledger.account("5310"), debit="20.00", cost_centre_id=unit.pk),
                              line(ledger.account("1110"), credit="320.00")])
    # when
    [posted] = journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[entry])
    # then
    assert movements_of(posted) == [(MovementKind.LIQUIDATED, Decimal("300.00"), purchase_order.pk),
                                    (MovementKind.EXPENDED, Decimal("20.00"), None)]
    assert state(allotment, purchase_order)["available"] == Decimal("580.00")
    assert record_ledger_expenditure(entries=[posted], actor=ledger.admin) == []
    assert books_agree(allotment)


def test_an_excess_beyond_the_available_balance_refuses_the_posting(ledger_office, purchase_order):
    # given 400.00 committed and 600.00 available: 1,000.01 liquidates 400.00 and leaves 600.01
    ledger, officers, unit, allotment = ledger_office
    before = state(allotment, purchase_order)
    # when
    with pytest.raises(FundsNotAvailable) as refusal:
        post_through_finance(ledger, officers, expense(ledger, "1000.01", unit, obligation=purchase_order.number))
    # then
    assert str(refusal.value) == ("Funds are not available: USD 600.01 requested but only USD 600.00 is available "
                                  "on allotment OICT-OPS · Supplies and materials.")
    assert state(allotment, purchase_order) == before
    assert not JournalEntry.objects.filter(status=EntryStatus.POSTED).exists()
    assert not BudgetMovement.objects.filter(journal_entry__isnull=False).exists()


def test_reversing_a_reversal_liquidates_the_commitment_again(ledger_office, purchase_order):
    # given
    ledger, officers, unit, allotment = ledger_office
    entry = post_through_finance(ledger, officers, expense(ledger, "300.00", unit, obligation=purchase_order.number))
    reversal = journal.reverse_journal_entry(actor=ledger.admin, entry_id=entry.pk, reversal_on=REVERSED_ON,
                                             reason="Posted too early")
    # when
    again = journal.reverse_journal_entry(actor=ledger.admin, entry_id=reversal.pk, reversal_on=REVERSED_ON,
                                          reason="It was right after all")
    # then
    assert movements_of(again) == [(MovementKind.LIQUIDATED, Decimal("300.00"), purchase_order.pk)]
    assert (state(allotment, purchase_order)["available"], state(allotment, purchase_order)["open"]) == (
        Decimal("600.00"), Decimal("100.00"))
    assert books_agree(allotment)


def naming(office, obligation: str, *, cost_centre=True) -> EntryInput:
    """An expense of 10.00 naming ``obligation``, charged to the unit's allotment (or to no cost centre)."""
    ledger, _officers, unit, _allotment = office
    return expense(ledger, "10.00", unit if cost_centre else None, obligation=obligation)


def other_allotments_commitment(office, _commitment) -> EntryInput:
    ledger, _officers, unit, allotment = office
    travel = make_allotment(allotment.appropriation, unit, object_of_expenditure="travel_of_staff", amount="100.00",
                            issued_by=allotment.issued_by)
    return naming(office, commit_funds(actor=ledger.admin, allotment_id=travel.pk, amount=Decimal("10.00")).number)


def cancelled(office, commitment) -> EntryInput:
    cancel_commitment(actor=office[0].admin, commitment_id=commitment.pk, reason="Order withdrawn")
    return naming(office, commitment.number)


def fully_liquidated(office, commitment) -> EntryInput:
    record_expenditure(actor=office[0].admin, commitment_id=commitment.pk, amount=Decimal("400.00"))
    return naming(office, commitment.number)


def credit_naming(office, commitment) -> EntryInput:
    ledger, _officers, unit, _allotment = office
    return EntryInput(fund_id=ledger.regular_budget.pk, entry_on=datetime.date(2026, 3, 15), description="Refund",
                      lines=[line(ledger.account("1110"), debit="10.00"),
                             line(ledger.account("5310"), credit="10.00", cost_centre_id=unit.pk,
                                  obligation=commitment.number)])


@pytest.mark.parametrize(("entry_naming", "reason"), [
    (lambda office, c: naming(office, "CMT-0999999"), "it names CMT-0999999, which is not the number of a commitment"),
    (lambda office, c: naming(office, "PO-2026-0042"),
     "it names PO-2026-0042, which is not the number of a commitment"),
    (other_allotments_commitment, "commitment {named} is held on allotment OICT-OPS · Travel of staff, which "
                                  "does not cover the line that names it"),
    (lambda office, c: naming(office, c.number, cost_centre=False),
     "commitment {named} is held on allotment OICT-OPS · Supplies and materials, which does not cover the line "
     "that names it"),
    (cancelled, "commitment {named} is Cancelled"),
    (fully_liquidated, "commitment {named} is Fully liquidated"),
    (credit_naming, "it credits commitment {named}; a liquidation is given back by reversing the entry that "
                    "recorded it"),
], ids=["unknown-commitment", "not-a-commitment-number", "other-allotment", "line-outside-budgetary-control",
        "cancelled", "fully-liquidated", "credit"])
def test_a_bad_reference_refuses_the_posting_and_changes_nothing(ledger_office, purchase_order, entry_naming,
                                                                 reason):
    # given
    ledger, officers, _unit, allotment = ledger_office
    entry = entry_naming(ledger_office, purchase_order)
    [named] = [ln.obligation for ln in entry.lines if ln.obligation]
    commitments_before = list(Commitment.objects.order_by("pk").values_list("pk", "open_amount", "status"))
    allotment_before = state(allotment, purchase_order)
    # when
    with pytest.raises(ExpenditureNotAttributable) as refusal:
        post_through_finance(ledger, officers, entry)
    # then
    assert str(refusal.value) == ("Journal entry GJ-2026-000001 cannot be charged to one allotment: "
                                  f"{reason.format(named=named)}.")
    assert state(allotment, purchase_order) == allotment_before
    assert list(Commitment.objects.order_by("pk").values_list("pk", "open_amount", "status")) == commitments_before
    assert not PeriodBalance.objects.exists()
    assert not JournalEntry.objects.filter(status=EntryStatus.POSTED).exists()
    assert not BudgetMovement.objects.filter(journal_entry__isnull=False).exists()
