"""A certifying officer commits funds in the browser; beyond the available balance the form refuses."""

import pytest

from secretariat.budget.tests.factories import (
    make_allotment,
    make_appropriation,
    make_section,
)
from secretariat.core.tests.factories import (
    EntityFactory,
    OrgUnitFactory,
    UserFactory,
    grant,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def allotment(db):
    entity = EntityFactory(code="UNHQ")
    unit = OrgUnitFactory(entity=entity, code="OICT-OPS", name="Operations Support Division")
    officer = UserFactory(username="certifier")
    grant(officer, "certifying_unit_officer", unit)
    return make_allotment(make_appropriation(make_section(unit)), unit, amount="1000.00")


def test_commit_within_and_beyond_the_available_balance(page, log_in, go_to, allotment):
    log_in("certifier")
    go_to("Resources", "Budgetary control")
    page.get_by_role("link", name="OICT-OPS · Contractual services").click()
    # when: a commitment that fits
    page.get_by_label("Amount (USD)").fill("600")
    page.get_by_label("Reference", exact=True).fill("REQ-1")
    page.get_by_role("button", name="Commit funds").click()
    # then
    assert page.get_by_role("status").filter(has_text="Funds committed").is_visible()
    assert page.get_by_test_id("available").inner_text() == "USD 400.00"
    # when: one that does not
    page.get_by_label("Amount (USD)").fill("400.01")
    page.get_by_role("button", name="Commit funds").click()
    # then
    assert page.get_by_role("alert").inner_text() == (
        "Funds are not available: USD 400.01 requested but only USD 400.00 is available on allotment "
        "OICT-OPS · Contractual services.")
    assert page.get_by_test_id("available").inner_text() == "USD 400.00"
