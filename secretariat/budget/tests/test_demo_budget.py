"""The demo section 29C reproduces the fascicle's totals, and its standard tables foot."""

from decimal import Decimal

import pytest

from secretariat.budget.figures import in_thousands
from secretariat.budget.models import BudgetMovement, FundingSource, MovementKind
from secretariat.budget.selectors import (
    budget_actual_statement,
    footing_problems,
    posts_by_component,
    posts_by_grade,
    resources_by_component,
    resources_by_object,
)
from secretariat.finance.models import JournalEntry

pytestmark = pytest.mark.django_db


def total_row(table):
    return {k: (in_thousands(v) if isinstance(v, Decimal) and k != "percentage_change" else v)
            for k, v in table.rows[-1].values.items()}


def test_regular_budget_by_object_matches_table_29C_11(demo_section):
    # when
    table = resources_by_object(section=demo_section)
    # then
    total = total_row(table)
    assert [total[k] for k in ("prior_expenditure", "current_appropriation", "other_changes", "percentage_change",
                               "estimate_before_recosting", "recosting", "estimate_after_recosting")] == [
        Decimal("54007.8"), Decimal("49959.8"), Decimal("2000.0"), Decimal("4.0"), Decimal("51959.8"),
        Decimal("1148.1"), Decimal("53107.9")]
    general_operating = next(r for r in table.rows if r.label == "General operating expenses")
    assert general_operating.values["percentage_change"] == Decimal("20.9")
    assert footing_problems(table) == []


def test_by_component_matches_table_29C_14_including_all_sources(demo_section):
    table = resources_by_component(section=demo_section)
    by_label = {row.label: row.values for row in table.rows}
    assert in_thousands(by_label["Subprogramme 2, Operations support"]["recosting"]) == Decimal("506.4")
    assert by_label["Subtotal, B"]["percentage_change"] == Decimal("4.3")  # the fascicle printed 4.2
    total = table.rows[-1].values
    assert in_thousands(total["all_sources_estimate"]) == Decimal("180706.5")
    assert in_thousands(total[f"{FundingSource.OTHER_ASSESSED}_estimate"]) == Decimal("81394.2")
    assert in_thousands(total[f"{FundingSource.EXTRABUDGETARY}_prior"]) == Decimal("34841.2")
    assert footing_problems(table) == []


def test_posts_match_tables_29C_13_and_29C_15(demo_section):
    regular = posts_by_grade(section=demo_section)
    assert [(r.label, r.values["proposed"]) for r in regular.rows if r.kind != "line"] == [
        ("Subtotal, Professional and higher", 94), ("Subtotal, General Service and related", 89), ("Total", 183)]
    by_component = posts_by_component(section=demo_section)
    assert (by_component.rows[-1].values["all_approved"], by_component.rows[-1].values["all_proposed"]) == (251, 250)
    assert footing_problems(regular) == [] and footing_problems(by_component) == []


def test_a_tampered_table_is_caught(demo_section):
    # given a total that no longer equals its rows
    table = resources_by_object(section=demo_section)
    table.rows[-1].values["recosting"] += Decimal("100")
    # then
    assert footing_problems(table) == [
        "Financial resources by object of expenditure (Regular budget), Total: 2021 estimate after recosting is "
        "53,107,900.00 but should be 53,108,000.00.",
        "Financial resources by object of expenditure (Regular budget), Total: Recosting is 1,148,200.00 but its "
        "rows add up to 1,148,100.00."]


def test_the_demo_has_budgetary_control_activity(demo_section):
    appropriations = {a.fund.code: a for a in demo_section.appropriations.all()}
    assert sorted(appropriations) == ["RB", "SA", "XB"]
    assert appropriations["RB"].amount == appropriations["RB"].allotted_amount == Decimal("53107900")
    assert in_thousands(appropriations["SA"].amount) == Decimal("81394.2")


def test_the_demos_expenditure_comes_from_ledger_postings(demo_section):
    spent = BudgetMovement.objects.filter(kind__in=[MovementKind.LIQUIDATED, MovementKind.EXPENDED])
    assert spent.exists() and not spent.filter(journal_entry__isnull=True).exists()
    assert {entry.status for entry in JournalEntry.objects.filter(budget_movements__in=spent)} == {"posted"}
    # 60 % of the network, collaboration and travel commitments, and the half-year payroll
    expected = (Decimal("1000200") + Decimal("933800") + Decimal("2500")) * Decimal("0.6") + Decimal("1500000")
    regular = demo_section.appropriations.get(fund__code="RB")
    statement = budget_actual_statement(period_start_on=regular.period_start_on, fund_code="RB")
    committed = sum(a.committed_amount for a in regular.allotments.all())
    assert statement.rows[0].actual == expected + committed
