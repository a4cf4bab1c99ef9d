"""A business continuity officer records a process in the browser and is told what is missing."""

import pytest

from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(db):
    entity = EntityFactory(code="UNOG", headquarters=DutyStationFactory(code="GVA", name="Geneva"))
    department = OrgUnitFactory(entity=entity, code="UNOG-DCM", name="Conference Management")
    PersonFactory(org_unit=department, given_name="Amina", family_name="Haddad")
    user = UserFactory(username="bc.officer")
    grant(user, "continuity_officer", entity)
    return user


def test_record_a_critical_process_after_being_told_the_owner_is_missing(page, log_in, go_to, officer):
    log_in("bc.officer")
    go_to("Continuity", "Business processes")
    page.get_by_label("Department").select_option(label="UNOG-DCM — Conference Management")
    page.get_by_label("Name").fill("Meeting servicing")
    page.get_by_label("Maximum tolerable downtime (hours)").fill("4")
    page.get_by_label("RTO band").select_option(label="0–4 hours")
    # when: submitted without an owner
    page.get_by_role("button", name="Record process").click()
    # then
    assert page.get_by_text("Every business process needs an owner.").is_visible()
    # when
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_role("button", name="Record process").click()
    # then
    assert page.get_by_role("status").filter(has_text="Business process recorded.").is_visible()
    row = page.get_by_role("row").filter(has_text="Meeting servicing")
    assert row.get_by_text("Critical").is_visible()
    assert row.get_by_role("cell", name="0–4 hours").is_visible()
