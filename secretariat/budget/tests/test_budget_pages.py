"""The HTML pages: commit funds through the form, see refusals, read and download the tables."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from secretariat.budget.models import Commitment
from secretariat.budget.services.resources import (
    ResourceInput,
    set_resource_requirements,
)


def test_commit_funds_through_the_allotment_page(client, office):
    client.force_login(office.certifier)
    url = f"/budget/allotments/{office.allotment.pk}/"
    # when
    response = client.post(url, {"action": "commit", "commit-amount": "400.00", "commit-source_reference": "REQ-5"},
                           follow=True)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Funds committed: {Commitment.objects.get().number}." in page
    assert "USD 600.00" in page


def test_overspending_through_the_page_shows_the_refusal_on_the_form(client, office):
    client.force_login(office.certifier)
    response = client.post(f"/budget/allotments/{office.allotment.pk}/",
                           {"action": "commit", "commit-amount": "1000.01"})
    assert response.status_code == 400
    assert ("Funds are not available: USD 1,000.01 requested but only USD 1,000.00 is available on allotment "
            "OICT-OPS · Contractual services.") in response.content.decode()
    assert not Commitment.objects.exists()


def test_control_page_lists_visible_allotments_with_their_balances(client, office):
    client.force_login(office.certifier)
    page = client.get("/budget/control/").content.decode()
    assert "OICT-OPS · Contractual services" in page
    client.force_login(office.outsider)
    assert "OICT-OPS · Contractual services" not in client.get("/budget/control/").content.decode()
    assert client.get(f"/budget/allotments/{office.allotment.pk}/").status_code == 404


@pytest.fixture
def resources(office):
    set_resource_requirements(actor=office.budget_officer, section=office.section, lines=[ResourceInput(
        component="2", object_of_expenditure="general_operating_expenses", funding_source="regular_budget",
        prior_expenditure=Decimal("9196700"), current_appropriation=Decimal("9758000"),
        other_changes=Decimal("2037400"), recosting=Decimal("224000"))])
    return office.section


def test_tables_on_screen_are_checked(client, office, resources):
    client.force_login(office.budget_officer)
    page = client.get(f"/budget/sections/{resources.pk}/tables/").content.decode()
    assert "Financial resources by object of expenditure (Regular budget)" in page
    assert "11,795.4" in page and "20.9" in page
    assert page.count("Checked: every row cross-foots, every total foots and every percentage recomputes.") == 4


def test_tables_download_as_xlsx_and_pdf(client, office, resources):
    client.force_login(office.budget_officer)
    # when
    xlsx = client.get(f"/budget/sections/{resources.pk}/tables.xlsx")
    pdf = client.get(f"/budget/sections/{resources.pk}/tables.pdf")
    # then
    sheet = load_workbook(io.BytesIO(xlsx.content))["resources_by_object"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["General operating expenses"][1:5] == (9196.7, 9758.0, 0, 0)
    assert rows["Total"][-1] == 12019.4
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_plan_dashboard_and_statement_pages_render(client, office, resources):
    client.force_login(office.budget_officer)
    assert "Operations support" in client.get(f"/budget/sections/{resources.pk}/").content.decode()
    assert "No data" in client.get(f"/budget/sections/{resources.pk}/performance/").content.decode()
    statement = client.get(f"/budget/budget-actual/?period_start_on={office.appropriation.period_start_on}").content.decode()
    assert "Actual amount in the statement of cash flows" in statement
    assert client.get(f"/budget/appropriations/{office.appropriation.pk}/obligations/").status_code == 200
    assert "29C" in client.get("/budget/").content.decode()
