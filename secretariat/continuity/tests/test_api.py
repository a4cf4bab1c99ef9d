"""The registry through the REST API: record, derive, refuse with problem+json."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from secretariat.continuity.models import BusinessProcess


@pytest.fixture
def client_for():
    def client(user):
        api = APIClient()
        api.force_authenticate(user)
        return api
    return client


def test_a_process_without_owner_is_refused_as_problem_json(registry, client_for):
    # when
    response = client_for(registry.officer).post("/api/v1/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Payroll", "maximum_tolerable_downtime_hours": 4,
        "rto_band": "0-4h"}, format="json")
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"pointer": "/owner", "detail": "Every business process needs an owner.", "code": "invalid"}]
    assert not BusinessProcess.objects.exists()


def test_a_band_beyond_the_tolerable_downtime_is_refused_as_problem_json(registry, client_for):
    response = client_for(registry.officer).post("/api/v1/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Payroll", "owner": registry.owner.pk,
        "maximum_tolerable_downtime_hours": 5, "rto_band": "4-24h"}, format="json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    [error] = response.json()["errors"]
    assert error["pointer"] == "/rto_band"
    assert error["detail"].startswith("The RTO band 4–24 hours does not fit within the maximum tolerable downtime "
                                      "of 5 hours")


def test_record_link_and_read_the_derived_rto_and_flags(registry, client_for):
    officer, ict = client_for(registry.officer), client_for(registry.ict_officer)
    process = officer.post("/api/v1/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Payroll", "owner": registry.owner.pk,
        "maximum_tolerable_downtime_hours": 4, "rto_band": "0-4h"}, format="json")
    assert process.status_code == 201, process.json()
    application = ict.post("/api/v1/continuity/applications/", {
        "name": "ERP", "owner": registry.owner.pk, "owner_unit": registry.department.pk,
        "data_centre": registry.primary_site.pk, "replication_method": "none",
        "compute_amount": "1000"}, format="json")
    assert application.status_code == 201, application.json()
    # when
    link = ict.post("/api/v1/continuity/dependencies/", {
        "dependent_kind": "process", "dependent_id": process.json()["id"], "required_kind": "application",
        "required_id": application.json()["id"]}, format="json")
    rows = ict.get("/api/v1/continuity/applications/continuity/").json()
    # then
    assert link.status_code == 201
    assert rows == [{"id": application.json()["id"], "name": "ERP", "required_rto_band": "0-4h",
                     "required_rpo_hours": None, "is_critical": True, "flags": ["unreplicated_critical"],
                     "annual_protection_cost": str(Decimal("1250.00") + Decimal("0")), "currency": "USD"}]


def test_a_cycle_is_refused_with_409(registry, client_for):
    ict = client_for(registry.ict_officer)
    ids = [ict.post("/api/v1/continuity/applications/", {
        "name": name, "owner": registry.owner.pk, "owner_unit": registry.department.pk,
        "data_centre": registry.primary_site.pk}, format="json").json()["id"] for name in ("A", "B")]
    ict.post("/api/v1/continuity/dependencies/", {"dependent_kind": "application", "dependent_id": ids[0],
                                                   "required_kind": "application", "required_id": ids[1]}, format="json")
    # when
    response = ict.post("/api/v1/continuity/dependencies/", {
        "dependent_kind": "application", "dependent_id": ids[1], "required_kind": "application",
        "required_id": ids[0]}, format="json")
    # then
    assert response.status_code == 409
    assert response.json()["detail"] == "This dependency would create a cycle: B → A → B."


def test_bia_workflow_through_the_api(registry, client_for):
    officer = client_for(registry.officer)
    analysis = officer.post("/api/v1/continuity/analyses/", {"org_unit": registry.department.pk}, format="json").json()
    impacts = [{"category": c, "after_hours": h, "severity": 3 if h == 24 else 1}
               for c in ("financial", "reputational", "legal", "operational") for h in (4, 24, 72, 168)]
    recorded = officer.post(f"/api/v1/continuity/analyses/{analysis['id']}/impacts/",
                            {"impacts": impacts, "rpo_hours": "1.50", "questionnaire": {"workarounds": "Paper"}},
                            format="json")
    assert recorded.status_code == 200, recorded.json()
    # when
    signed = officer.post(f"/api/v1/continuity/analyses/{analysis['id']}/sign-off/")
    # then
    assert signed.status_code == 200
    assert (signed.json()["status"], signed.json()["rto_band"], signed.json()["rpo_hours"]) == (
        "signed_off", "4-24h", "1.50")


def test_an_officer_of_another_entity_sees_none_of_the_department(registry, client_for):
    client_for(registry.officer).post("/api/v1/continuity/processes/", {
        "org_unit": registry.department.pk, "name": "Payroll", "owner": registry.owner.pk,
        "maximum_tolerable_downtime_hours": 4, "rto_band": "0-4h"}, format="json")
    assert client_for(registry.outsider).get("/api/v1/continuity/processes/").json()["results"] == []
