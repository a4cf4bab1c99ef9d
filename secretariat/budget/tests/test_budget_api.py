"""The API: build a plan, enter resources, control funds; refusals come back as problem+json."""

from decimal import Decimal

import pytest

from secretariat.budget.models import Commitment, ResourceLine
from secretariat.budget.tests.factories import make_fund


@pytest.fixture
def api(client, office):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_commit_funds_and_see_the_balance(api, office):
    client = api(office.certifier)
    # when
    response = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "250.00",
                                                            "source_reference": "REQ-9"})
    # then
    assert response.status_code == 201
    assert response.json()["open_amount"] == "250.0000"
    allotment = client.get(f"/api/v1/budget/allotments/{office.allotment.pk}/").json()
    assert allotment["available_amount"] == "750.0000"


def test_overspending_is_a_409_problem_and_nothing_is_written(api, office):
    client = api(office.certifier)
    response = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "1000.01"})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == ("Funds are not available: USD 1,000.01 requested but only USD 1,000.00 is "
                                         "available on allotment OICT-OPS · Contractual services.")
    assert not Commitment.objects.exists()


def test_a_retried_commitment_with_the_same_idempotency_key_is_not_doubled(api, office):
    client = api(office.certifier)
    body = {"allotment": office.allotment.pk, "amount": "100.00"}
    first = post(client, "/api/v1/budget/commitments/", body, HTTP_IDEMPOTENCY_KEY="req-42")
    again = post(client, "/api/v1/budget/commitments/", body, HTTP_IDEMPOTENCY_KEY="req-42")
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Commitment.objects.count() == 1


def test_liquidate_and_cancel_through_the_api(api, office):
    client = api(office.certifier)
    commitment = post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk,
                                                              "amount": "300"}).json()
    liquidated = post(client, f"/api/v1/budget/commitments/{commitment['id']}/liquidate/", {"amount": "100"}).json()
    cancelled = post(client, f"/api/v1/budget/commitments/{commitment['id']}/cancel/", {}).json()
    assert liquidated["open_amount"] == "200.0000"
    assert (cancelled["status"], cancelled["cancelled_amount"]) == ("liquidated", "200.0000")


def test_other_units_do_not_see_the_allotment(api, office):
    client = api(office.outsider)
    assert client.get(f"/api/v1/budget/allotments/{office.allotment.pk}/").status_code == 404
    assert client.get("/api/v1/budget/allotments/").json()["count"] == 0


def test_allotment_beyond_the_appropriation_is_refused(api, office):
    client = api(office.budget_officer)
    response = post(client, "/api/v1/budget/allotments/", {
        "appropriation": office.appropriation.pk, "certifying_unit": "OICT-OPS",
        "object_of_expenditure": "travel_of_staff", "amount": "999000.01"})
    assert response.status_code == 409
    assert response.json()["type"] == "urn:secretariat:problem:allotment_exceeds_appropriation"


def test_build_the_plan_enter_resources_and_read_the_tables(api, office):
    client = api(office.budget_officer)
    url = f"/api/v1/budget/sections/{office.section.pk}"
    # when
    post(client, f"{url}/accomplishments/", {"component": "2", "letter": "a", "description": "Better support"})
    plan = client.get(f"{url}/plan/").json()
    accomplishment_id = plan["components"][2]["accomplishments"][0]["id"]
    indicator = post(client, f"{url}/indicators/", {"accomplishment": accomplishment_id, "code": "i",
                                                    "description": "Client satisfaction", "unit": "%",
                                                    "direction": "increase", "baseline_value": "76"})
    assert indicator.status_code == 201
    indicator_id = indicator.json()[2]["accomplishments"][0]["indicators"][0]["id"]
    post(client, f"{url}/indicator-years/", {"indicator": indicator_id, "year": 2019, "target_value": "76",
                                             "actual_value": "93"})
    post(client, f"{url}/deliverables/", {"component": "A", "category": "A", "description": "Progress report",
                                          "years": [{"year": 2019, "planned": 1, "actual": 1}]})
    resources = post(client, f"{url}/resources/", {
        "lines": [{"component": "2", "object_of_expenditure": "posts", "funding_source": "regular_budget",
                   "current_appropriation": "1000", "other_changes": "100", "estimate_before_recosting": "1100",
                   "recosting": "22", "estimate_after_recosting": "1122"}],
        "posts": [{"component": "2", "funding_source": "regular_budget", "grade": "P-3", "approved": 2}],
        "stated_totals": {"regular_budget": {"estimate_after_recosting": "1122"}}})
    # then
    assert resources.status_code == 201
    tables = client.get(f"{url}/tables/").json()["tables"]
    by_object = tables[0]
    assert by_object["rows"][-1]["values"]["percentage_change"] == "10.0"
    assert all(table["footing_problems"] == [] for table in tables)
    dashboard = client.get(f"{url}/dashboard/").json()["components"]
    assert [(c["code"], c["status"]) for c in dashboard] == [
        ("A", "no_data"), ("1", "no_data"), ("2", "on_track"), ("3", "no_data")]
    assert client.get(f"{url}/plan/").json()["components"][0]["deliverables"][0]["years"] == [
        {"year": 2019, "planned": 1, "actual": 1}]


def test_a_table_that_does_not_foot_is_refused_with_the_reasons(api, office):
    client = api(office.budget_officer)
    response = post(client, f"/api/v1/budget/sections/{office.section.pk}/resources/", {
        "lines": [{"component": "2", "object_of_expenditure": "posts", "funding_source": "regular_budget",
                   "current_appropriation": "1000", "estimate_before_recosting": "1001"}]})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The resource table does not foot; nothing was saved."
    assert body["errors"] == [{
        "pointer": "/lines", "code": "table_does_not_foot",
        "detail": "Row 1 (2, posts, regular_budget): the estimate before recosting is 1001.0000 but the "
                  "appropriation plus the changes make 1000.0000."}]
    assert not ResourceLine.objects.exists()


def test_budget_actual_statement_endpoint(api, office):
    client = api(office.budget_officer)
    post(client, "/api/v1/budget/commitments/", {"allotment": office.allotment.pk, "amount": "10"})
    body = client.get(f"/api/v1/budget/appropriations/budget-actual/?period_start_on={office.appropriation.period_start_on}").json()
    assert body["total"]["actual_comparable_basis"] == "10.0000"
    assert body["reconciliation"][-1] == {"label": "Actual amount in the statement of cash flows",
                                          "amount": "0.0000"}
    obligations = client.get(f"/api/v1/budget/appropriations/{office.appropriation.pk}/obligations/").json()
    assert Decimal(obligations["unliquidated_amount"]) == Decimal("10")


def test_an_appropriation_names_a_finance_fund_by_code(api, office):
    # given
    make_fund("XB")
    client = api(office.budget_officer)
    data = {"section": office.section.pk, "period_start_on": "2022-01-01", "period_end_on": "2022-12-31",
            "amount": "500.00"}
    # when
    created = post(client, "/api/v1/budget/appropriations/", {**data, "fund_code": "XB"})
    unknown = post(client, "/api/v1/budget/appropriations/", {**data, "fund_code": "NOPE"})
    # then
    assert created.status_code == 201
    assert created.json()["fund_code"] == "XB"
    assert unknown.status_code == 400
    listed = client.get(f"/api/v1/budget/appropriations/?fund={office.appropriation.fund_id}").json()
    assert [row["id"] for row in listed["results"]] == [office.appropriation.pk]
