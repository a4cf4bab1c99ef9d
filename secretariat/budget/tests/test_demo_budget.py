"""The demo section 29C reproduces the fascicle's totals, and its standard tables foot."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from secretariat.budget.models import BudgetSection, FundingSource
from secretariat.budget.selectors import (
    footing_problems,
    in_thousands,
    posts_by_component,
    posts_by_grade,
    resources_by_component,
    resources_by_object,
)
from secretariat.core.tests.factories import EntityFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    admin = UserFactory(username="admin")
    admin.is_superuser = True
    admin.save()
    entity = EntityFactory(code="UNHQ")
    oict = OrgUnitFactory(entity=entity, code="OICT", name="Office of Information and Communications Technology",
                          level="office")
    for code, name in [("OICT-PPS", "Policy, Strategy and Governance Division"),
                       ("OICT-OPS", "Operations Support Division"),
                       ("OICT-SSD", "Solutions Strategy and Development Division")]:
        OrgUnitFactory(entity=entity, code=code, name=name, parent=oict)
    call_command("load_budget_demo", stdout=io.StringIO())
    return BudgetSection.objects.get(code="29C", budget_year=2021)


def total_row(table):
    return {k: (in_thousands(v) if isinstance(v, Decimal) and k != "percentage_change" else v)
            for k, v in table.rows[-1].values.items()}


def test_regular_budget_by_object_matches_table_29C_11(section):
    # when
    table = resources_by_object(section=section)
    # then
    total = total_row(table)
    assert [total[k] for k in ("prior_expenditure", "current_appropriation", "other_changes", "percentage_change",
                               "estimate_before_recosting", "recosting", "estimate_after_recosting")] == [
        Decimal("54007.8"), Decimal("49959.8"), Decimal("2000.0"), Decimal("4.0"), Decimal("51959.8"),
        Decimal("1148.1"), Decimal("53107.9")]
    general_operating = next(r for r in table.rows if r.label == "General operating expenses")
    assert general_operating.values["percentage_change"] == Decimal("20.9")
    assert footing_problems(table) == []


def test_by_component_matches_table_29C_14_including_all_sources(section):
    table = resources_by_component(section=section)
    by_label = {row.label: row.values for row in table.rows}
    assert in_thousands(by_label["Subprogramme 2, Operations support"]["recosting"]) == Decimal("506.4")
    assert by_label["Subtotal, B"]["percentage_change"] == Decimal("4.3")  # the fascicle printed 4.2
    total = table.rows[-1].values
    assert in_thousands(total["all_sources_estimate"]) == Decimal("180706.5")
    assert in_thousands(total[f"{FundingSource.OTHER_ASSESSED}_estimate"]) == Decimal("81394.2")
    assert in_thousands(total[f"{FundingSource.EXTRABUDGETARY}_prior"]) == Decimal("34841.2")
    assert footing_problems(table) == []


def test_posts_match_tables_29C_13_and_29C_15(section):
    regular = posts_by_grade(section=section)
    assert [(r.label, r.values["proposed"]) for r in regular.rows if r.kind != "line"] == [
        ("Subtotal, Professional and higher", 94), ("Subtotal, General Service and related", 89), ("Total", 183)]
    by_component = posts_by_component(section=section)
    assert (by_component.rows[-1].values["all_approved"], by_component.rows[-1].values["all_proposed"]) == (251, 250)
    assert footing_problems(regular) == [] and footing_problems(by_component) == []


def test_a_tampered_table_is_caught(section):
    # given a total that no longer equals its rows
    table = resources_by_object(section=section)
    table.rows[-1].values["recosting"] += Decimal("100")
    # then
    assert footing_problems(table) == [
        "Financial resources by object of expenditure (Regular budget), Total: 2021 estimate after recosting is "
        "53,107,900.00 but should be 53,108,000.00.",
        "Financial resources by object of expenditure (Regular budget), Total: Recosting is 1,148,200.00 but its "
        "rows add up to 1,148,100.00."]


def test_the_demo_has_budgetary_control_activity(section):
    appropriations = {a.fund.code: a for a in section.appropriations.all()}
    assert sorted(appropriations) == ["RB", "SA", "XB"]
    assert appropriations["RB"].amount == appropriations["RB"].allotted_amount == Decimal("53107900")
    assert in_thousands(appropriations["SA"].amount) == Decimal("81394.2")
