import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from secretariat.budget.models import Allotment, Appropriation, BudgetSection
from secretariat.budget.tests.factories import (
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.models import OrgUnit
from secretariat.core.tests.factories import (
    EntityFactory,
    OrgUnitFactory,
    UserFactory,
    grant,
)
from secretariat.finance.tests.factories import build_ledger, officers_for


@dataclass
class Office:
    section: BudgetSection
    office: OrgUnit
    unit: OrgUnit
    other_unit: OrgUnit
    appropriation: Appropriation
    allotment: Allotment
    budget_officer: object
    certifier: object
    outsider: object


@pytest.fixture
def office(db) -> Office:
    entity = EntityFactory(code="UNHQ")
    oict = OrgUnitFactory(entity=entity, code="OICT", name="Office of ICT", level="office")
    unit = OrgUnitFactory(entity=entity, code="OICT-OPS", name="Operations Support Division", parent=oict)
    other_unit = OrgUnitFactory(entity=entity, code="DGACM", name="Conference Management", level="department")
    section = make_section(oict)
    appropriation = make_appropriation(section)
    allotment = make_allotment(appropriation, unit, amount="1000.00")
    budget_officer = UserFactory(username="budget.officer")
    grant(budget_officer, "budget_officer", entity)
    certifier = UserFactory(username="certifier")
    grant(certifier, "certifying_unit_officer", unit)
    outsider = UserFactory(username="outsider")
    grant(outsider, "certifying_unit_officer", other_unit)
    return Office(section, oict, unit, other_unit, appropriation, allotment, budget_officer, certifier, outsider)


@pytest.fixture
def ledger_office(db):
    """The ledger, its officers, a certifying unit and its 2026 allotment of 1,000.00 USD for
    supplies and materials (account 5310) under the regular budget fund."""
    ledger = build_ledger()
    entity = EntityFactory(code="UNHQ")
    office = OrgUnitFactory(entity=entity, code="OICT", name="Office of ICT", level="office")
    unit = OrgUnitFactory(entity=entity, code="OICT-OPS", name="Operations Support Division", parent=office)
    appropriation = make_appropriation(make_section(office, year=2026), fund_code="RB",
                                       start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    assert appropriation.fund == ledger.regular_budget
    allotment = make_allotment(appropriation, unit, object_of_expenditure="supplies_and_materials",
                               amount="1000.00")
    return ledger, officers_for(ledger.regular_budget), unit, allotment


@pytest.fixture
def demo_section(db):
    """Section 29C for 2021 as the demo loads it (through the services), and a superuser "admin"."""
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


# A resource line of section 29C's table as the API takes it (US dollars, not thousands).
LINE = {"component": "2", "object_of_expenditure": "general_operating_expenses", "funding_source": "regular_budget",
        "prior_expenditure": "9196700", "current_appropriation": "9758000", "other_changes": "2037400"}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def officer(client, office):
    """The test client, signed in as the budget officer."""
    client.force_login(office.budget_officer)
    return client
