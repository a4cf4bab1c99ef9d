"""Infrastructure components (page and API) and PATCH of processes and applications through the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from secretariat.continuity.models import Application, BusinessProcess, InfrastructureComponent
from secretariat.continuity.tests.factories import ApplicationFactory, BusinessProcessFactory
from secretariat.core.models import AuditEvent


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_ict_officer_registers_a_component_on_the_page_and_sees_it_listed(registry):
    client = Client()
    client.force_login(registry.ict_officer)
    response = client.post("/continuity/infrastructure/", {
        "name": "SAN GVA-01", "kind": "storage", "data_centre": registry.primary_site.pk}, follow=True)
    page = response.content.decode()
    assert "Infrastructure component registered." in page and "SAN GVA-01" in page and "Storage" in page
    assert AuditEvent.objects.filter(action="continuity.infrastructure.registered").count() == 1


def test_a_name_already_used_is_refused_on_the_page_and_in_the_api(registry):
    InfrastructureComponent.objects.create(name="Core switch", kind="network", data_centre=registry.primary_site)
    client = Client()
    client.force_login(registry.ict_officer)
    response = client.post("/continuity/infrastructure/", {
        "name": "Core switch", "kind": "network", "data_centre": registry.recovery_site.pk})
    assert response.status_code == 400 and "Give a name not used by another component." in response.content.decode()
    response = api_for(registry.ict_officer).post("/api/v1/continuity/infrastructure/", {
        "name": "Core switch", "kind": "network", "data_centre": registry.recovery_site.pk}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert InfrastructureComponent.objects.count() == 1


def test_the_api_lists_components_and_refuses_an_unknown_kind(registry):
    api = api_for(registry.ict_officer)
    created = api.post("/api/v1/continuity/infrastructure/", {
        "name": "DB cluster", "kind": "database", "data_centre": registry.primary_site.pk}, format="json")
    refused = api.post("/api/v1/continuity/infrastructure/", {
        "name": "Mainframe", "kind": "abacus", "data_centre": registry.primary_site.pk}, format="json")
    assert created.status_code == 201 and refused.status_code == 400
    assert refused.json()["errors"] == [
        {"pointer": "/kind", "detail": "Unknown kind of infrastructure.", "code": "invalid"}]
    listed = api.get("/api/v1/continuity/infrastructure/", {"kind": "database"}).json()["results"]
    assert [row["name"] for row in listed] == ["DB cluster"]


def test_patch_changes_only_the_fields_sent_and_is_audited(registry):
    process = BusinessProcessFactory(org_unit=registry.department, owner=registry.owner, rto_band="4-24h",
                                     maximum_tolerable_downtime_hours=24)
    response = api_for(registry.officer).patch(f"/api/v1/continuity/processes/{process.pk}/", {
        "rto_band": "0-4h", "maximum_tolerable_downtime_hours": 4}, format="json")
    assert response.status_code == 200, response.json()
    process.refresh_from_db()
    assert (process.rto_band, process.maximum_tolerable_downtime_hours, process.owner) == ("0-4h", 4, registry.owner)
    event = AuditEvent.objects.get(action="continuity.business_process.changed")
    assert event.changes["rto_band"] == ["4-24h", "0-4h"]


def test_patch_with_bad_input_changes_nothing(registry):
    process = BusinessProcessFactory(org_unit=registry.department, owner=registry.owner, rto_band="4-24h")
    response = api_for(registry.officer).patch(f"/api/v1/continuity/processes/{process.pk}/", {
        "rto_band": "sometime", "name": "Renamed"}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert BusinessProcess.objects.get(pk=process.pk).name == process.name
    assert not AuditEvent.objects.filter(action="continuity.business_process.changed").exists()


def test_an_officer_of_another_entity_cannot_patch(registry):
    process = BusinessProcessFactory(org_unit=registry.department, owner=registry.owner)
    response = api_for(registry.outsider).patch(f"/api/v1/continuity/processes/{process.pk}/", {
        "name": "Hijacked"}, format="json")
    assert response.status_code == 404
    assert BusinessProcess.objects.get(pk=process.pk).name == process.name


def test_patch_an_application_s_replication(registry):
    application = ApplicationFactory(owner_unit=registry.department, owner=registry.owner,
                                     data_centre=registry.primary_site, replication_method="none")
    response = api_for(registry.ict_officer).patch(f"/api/v1/continuity/applications/{application.pk}/", {
        "replication_method": "synchronous"}, format="json")
    assert response.status_code == 200, response.json()
    application = Application.objects.get(pk=application.pk)
    assert application.replication_method == "synchronous"
    assert application.data_centre == registry.primary_site


@pytest.mark.parametrize("method", ["put", "delete"])
def test_processes_are_changed_by_patch_only(registry, method):
    process = BusinessProcessFactory(org_unit=registry.department, owner=registry.owner)
    response = getattr(api_for(registry.officer), method)(f"/api/v1/continuity/processes/{process.pk}/", {},
                                                           format="json")
    assert response.status_code == 405
