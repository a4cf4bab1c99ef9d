"""The registry's HTML pages: record a process, refuse without owner, dashboard flags."""

import pytest
from django.test import Client

from secretariat.continuity.models import BusinessProcess
from secretariat.continuity.services import add_dependency
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory


@pytest.fixture
def browser_client(registry):
    client = Client()
    client.force_login(registry.officer)
    return client


def test_record_a_process_through_the_form(registry, browser_client):
    response = browser_client.post("/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Interpretation", "owner": registry.owner.pk,
        "maximum_tolerable_downtime_hours": 24, "rto_band": "4-24h"}, follow=True)
    assert response.status_code == 200
    assert "Business process recorded." in response.content.decode()
    assert BusinessProcess.objects.get().name == "Interpretation"


def test_the_form_shows_the_missing_owner(registry, browser_client):
    response = browser_client.post("/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Interpretation",
        "maximum_tolerable_downtime_hours": 24, "rto_band": "4-24h"})
    assert response.status_code == 400
    assert "Every business process needs an owner." in response.content.decode()


def test_the_dashboard_flags_a_critical_application_without_replication(registry):
    process = BusinessProcessFactory(org_unit=registry.department, rto_band="0-4h", maximum_tolerable_downtime_hours=4)
    application = ApplicationFactory(name="Conference registration", owner_unit=registry.department,
                                     data_centre=registry.primary_site)
    add_dependency(actor=registry.ict_officer, dependent_kind="process", dependent_id=process.pk,
                   required_kind="application", required_id=application.pk)
    client = Client()
    client.force_login(registry.ict_officer)
    # when
    page = client.get("/continuity/").content.decode()
    # then
    assert "Needed within 4 hours but not replicated" in page
    assert "0 of 1 critical applications have a plan tested in the last 12 months (0.0 %)." in page
