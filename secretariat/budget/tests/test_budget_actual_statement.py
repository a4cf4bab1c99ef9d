"""IPSAS 24: original and final budget against actual on a comparable basis, reconciled to cash flows."""

from decimal import Decimal

from secretariat.budget.selectors import budget_actual_statement
from secretariat.budget.services.appropriations import revise_appropriation
from secretariat.budget.services.commitments import (
    commit_funds,
    record_expenditure,
    record_reconciliation_item,
)


def test_statement_compares_budget_and_actual_and_reconciles_to_cash(office):
    # given: final budget 1,200,000 (original 1,000,000); 600 committed of which 250 spent; 100 spent directly,
    # so 350 unliquidated and 350 spent: 700 actual on the budget basis
    revise_appropriation(actor=office.budget_officer, appropriation_id=office.appropriation.pk,
                         amount=Decimal("1200000"))
    commitment = commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("600"))
    record_expenditure(actor=office.certifier, commitment_id=commitment.pk, amount=Decimal("250"))
    record_expenditure(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("100"))
    record_reconciliation_item(actor=office.budget_officer, fund_code="RB", period_start_on=office.appropriation.period_start_on,
                               kind="timing", description="Payments of 2020 obligations", amount=Decimal("40"))
    record_reconciliation_item(actor=office.budget_officer, fund_code="RB", period_start_on=office.appropriation.period_start_on,
                               kind="presentation", description="Capital acquisitions", amount=Decimal("-30"),
                               cash_flow_activity="investing")
    # when
    statement = budget_actual_statement(period_start_on=office.appropriation.period_start_on, fund_code="RB")
    # then
    row = statement.rows[0]
    assert (row.original, row.final, row.actual) == (Decimal("1000000"), Decimal("1200000"), Decimal("700"))
    assert (row.difference_original_final, row.difference_final_actual) == (Decimal("200000"), Decimal("1199300"))
    assert [(label, amount) for label, amount in statement.reconciliation] == [
        ("Actual amount on a comparable basis", Decimal("700")),
        ("Basis differences: unliquidated obligations", Decimal("-350")),
        ("Timing differences", Decimal("40")),
        ("Entity differences", Decimal("0")),
        ("Presentation differences", Decimal("-30")),
        ("Other basis differences", Decimal("0")),
        ("Actual amount in the statement of cash flows", Decimal("360")),
    ]
    assert statement.cash_flows == {"investing": Decimal("-30"), "financing": Decimal("0"),
                                    "operating": Decimal("390")}
