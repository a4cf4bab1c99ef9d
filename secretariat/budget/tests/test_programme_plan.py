"""The programme plan is built through services; the dashboard judges indicators against targets."""

from decimal import Decimal

import pytest

from secretariat.budget.exceptions import DuplicateRecord
from secretariat.budget.selectors import indicator_met, performance_dashboard
from secretariat.budget.services.structure import (
    add_component,
    add_expected_accomplishment,
    add_indicator,
    record_indicator_year,
)
from secretariat.core.exceptions import AccessDenied, InvalidInput


def test_a_plan_with_lettered_accomplishments_and_indicators_feeds_the_dashboard(office):
    # given
    subprogramme = office.section.components.get(code="2")
    accomplishment = add_expected_accomplishment(actor=office.budget_officer, component=subprogramme, letter="(a)",
                                                 description="Better 24/7 global support")
    satisfaction = add_indicator(actor=office.budget_officer, accomplishment=accomplishment, code="i",
                                 description="Client satisfaction", unit="%", direction="increase",
                                 baseline_year=2018, baseline_value=Decimal("76"))
    resolution = add_indicator(actor=office.budget_officer, accomplishment=accomplishment, code="ii",
                               description="Average resolution time", unit="hours", direction="at_most",
                               threshold_value=Decimal("3"))
    # when
    record_indicator_year(actor=office.budget_officer, indicator=satisfaction, year=2019, target_value=Decimal("76"),
                          actual_value=Decimal("93"))
    record_indicator_year(actor=office.budget_officer, indicator=resolution, year=2019, actual_value=Decimal("3.5"))
    # then
    assert accomplishment.letter == "a"
    status = {p.component.code: p for p in performance_dashboard(section=office.section)}
    assert status["2"].status_label == "Partly on track"
    assert [s.is_met for s in status["2"].indicators] == [True, False]
    assert status["1"].status_label == "No data"


def test_threshold_indicators_need_their_threshold(office):
    accomplishment = add_expected_accomplishment(actor=office.budget_officer,
                                                 component=office.section.components.get(code="1"), letter="a",
                                                 description="Secure digital space")
    with pytest.raises(InvalidInput) as refusal:
        add_indicator(actor=office.budget_officer, accomplishment=accomplishment, code="i", description="Losses",
                      unit="USD", direction="at_most")
    assert refusal.value.errors == {"threshold_value": [
        "An indicator measured against a threshold needs the threshold."]}


def test_components_nest_only_under_subprogrammes_and_codes_are_unique(office):
    subprogramme = office.section.components.get(code="3")
    component = add_component(actor=office.budget_officer, section=office.section, kind="component", code="3.1",
                              title="Enterprise applications", parent=subprogramme)
    assert str(component) == "3.1. Enterprise applications"
    with pytest.raises(InvalidInput):
        add_component(actor=office.budget_officer, section=office.section, kind="subprogramme", code="4",
                      title="Orphan", parent=subprogramme)
    with pytest.raises(DuplicateRecord) as refusal:
        add_component(actor=office.budget_officer, section=office.section, kind="subprogramme", code="3",
                      title="Again")
    assert str(refusal.value) == "Component 3 already exists."


def test_only_plan_editors_change_the_plan(office):
    with pytest.raises(AccessDenied):
        add_component(actor=office.certifier, section=office.section, kind="subprogramme", code="9", title="No")


@pytest.mark.parametrize("direction, target, actual, threshold, expected", [
    ("increase", "90", "93", None, True), ("increase", "90", "89.9", None, False),
    ("decrease", "10", "10", None, True), ("maintain", "100", "100", None, True),
    ("maintain", "100", "99", None, False), ("at_least", None, "5", "5", True), ("at_most", None, "3.1", "3", False),
])
def test_indicator_met_follows_its_direction(direction, target, actual, threshold, expected):
    def d(v):
        return None if v is None else Decimal(v)
    assert indicator_met(direction, d(target), d(actual), d(threshold)) is expected


@pytest.mark.parametrize("year", [-51, 1990, 99999])
def test_a_plan_year_far_from_the_budget_year_is_a_field_error_and_nothing_is_recorded(office, client, year):
    # given a section for a budget year, and a component of it
    component = office.section.components.get(code="2")
    # when a performance result is recorded for an implausible year through the API
    client.force_login(office.budget_officer)
    response = client.post(f"/api/v1/budget/sections/{office.section.pk}/performance/",
                           {"component": component.code, "year": year, "planned_result": "Faster support"},
                           content_type="application/json")
    # then it is a 400 naming the year, never a server error, and nothing is stored
    assert response.status_code == 400
    assert [error["pointer"] for error in response.json()["errors"]] == ["/year"]
    assert not component.performance_results.exists()
