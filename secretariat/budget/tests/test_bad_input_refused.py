"""Bad input through the API is refused with problem+json and nothing is written: negative
appropriations and expenditure, more decimals than US dollars have, an empty table that would
silently delete the section's lines, commitments dated outside their appropriation's period."""

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator

from secretariat.budget.models import (
    BudgetMovement,
    Commitment,
    ResourceLine,
    ResourceVersion,
)
from secretariat.budget.tests.conftest import LINE, post

pytestmark = pytest.mark.django_db



def resources_url(office):
    return f"/api/v1/budget/sections/{office.section.pk}/resources/"


def refused(response, pointer="/lines"):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert [error["pointer"] for error in body["errors"]] == [pointer] * len(body["errors"])
    return [error["detail"] for error in body["errors"]]


@pytest.mark.parametrize(("column", "what"), [
    ("current_appropriation", "the appropriation"), ("prior_expenditure", "the expenditure")])
def test_a_negative_appropriation_or_expenditure_is_refused(officer, office, column, what):
    response = post(officer, resources_url(office), {"lines": [{**LINE, column: "-1000"}]})
    assert any(f"{what} cannot be negative" in detail for detail in refused(response))
    assert not ResourceVersion.objects.exists() and not ResourceLine.objects.exists()


def test_negative_changes_are_accepted(officer, office):
    response = post(officer, resources_url(office), {"lines": [{**LINE, "other_changes": "-9700"}]})
    assert response.status_code == 201


@pytest.mark.parametrize("amount", ["9758000.001", "9758000.0001"])
def test_more_decimals_than_dollars_have_are_refused(officer, office, amount):
    response = post(officer, resources_url(office), {"lines": [{**LINE, "current_appropriation": amount}]})
    assert any("more decimals than USD allows (2)" in detail for detail in refused(response))
    assert not ResourceLine.objects.exists()


def test_an_empty_table_does_not_delete_the_lines_unless_said_so(officer, office):
    post(officer, resources_url(office), {"lines": [LINE]})
    # when
    response = post(officer, resources_url(office), {"lines": []})
    # then
    assert refused(response) == ["An empty table would remove every resource line of the section; to do that, "
                                 "say so with clear."]
    assert ResourceLine.objects.count() == 1 and ResourceVersion.objects.count() == 1
    # when it is said
    cleared = post(officer, resources_url(office), {"lines": [], "clear": True})
    assert cleared.status_code == 201
    assert cleared.json()["version"]["number"] == 2
    assert not ResourceLine.objects.filter(version__number=2).exists()


def test_commitments_carry_no_more_decimals_than_dollars(client, office):
    client.force_login(office.certifier)
    response = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "10.005"})
    assert refused(response, "/amount") == ["10.005 USD has more decimals than USD allows (2)."]
    assert not Commitment.objects.exists()


def test_a_commitment_is_dated_within_its_appropriations_period(client, office):
    client.force_login(office.certifier)
    period = office.appropriation
    # when dated inside the period
    inside = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "10.00",
                                                          "raised_on": str(period.period_start_on)})
    # then
    assert inside.status_code == 201 and inside.json()["raised_on"] == str(period.period_start_on)
    assert BudgetMovement.objects.get(commitment__pk=inside.json()["id"]).occurred_on == period.period_start_on
    # when dated after it
    after = period.period_end_on + datetime.timedelta(days=1)
    outside = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "10.00",
                                                           "raised_on": str(after)})
    assert refused(outside, "/raised_on") == [
        f"A commitment against this appropriation is dated from {period.period_start_on} to {period.period_end_on}."]
    assert Commitment.objects.count() == 1


def test_every_amount_field_states_its_unit_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    amount_fields = [(name, field, spec) for name in BUDGET_SCHEMAS & components.keys()
                     for field, spec in components[name].get("properties", {}).items()
                     if field.endswith("amount") or field in RESOURCE_AMOUNTS]
    assert len(amount_fields) > 20
    missing = [(name, field) for name, field, spec in amount_fields if "US dollars" not in spec.get("description", "")]
    assert missing == []


BUDGET_SCHEMAS = {"Appropriation", "Allotment", "Commitment", "ResourceLineInput", "Revise", "Amount", "Redeployment",
                  "Movement", "ReconciliationItem", "PatchedAppropriation"}
RESOURCE_AMOUNTS = {"prior_expenditure", "current_appropriation", "technical_adjustments", "new_mandates",
                    "other_changes", "estimate_before_recosting", "recosting", "estimate_after_recosting"}
