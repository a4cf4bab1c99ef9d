"""The service catalogue page: everyone reads services, levels and prices; service owners publish
services and define levels; anyone else is refused with a clear message."""

import pytest

from secretariat.core.tests.factories import grant
from secretariat.servicedesk.models import Service, ServiceLevel

pytestmark = pytest.mark.django_db

TARGETS = {f"{side}_{priority}": minutes for priority in (1, 2, 3, 4)
           for side, minutes in (("response", 30 * priority), ("resolution", 240 * priority))}


def test_staff_see_services_with_levels_and_prices(client, catalogue):
    client.force_login(catalogue.requester_user)
    response = client.get("/servicedesk/catalogue/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Correo electrónico y calendario" in page or "E-mail and calendar" in page
    assert "42.50 USD" in page and "Silver" in page and "Gold" in page
    assert "24 hours a day, 7 days a week" in page and "<th scope=\"row\">Silver</th>" in page
    assert "Publish a service" not in page


def test_a_service_owner_publishes_a_service_and_defines_a_level(client, catalogue):
    # given
    grant(catalogue.owner, "service_owner")
    client.force_login(catalogue.owner)
    assert 'action="/servicedesk/catalogue/publish/"' in client.get("/servicedesk/catalogue/").content.decode()
    # when
    published = client.post("/servicedesk/catalogue/publish/", {
        "code": "printing", "kind": "facilities", "name": "Printing", "unit_price": "12.5", "currency": "usd"})
    service = Service.objects.get(code="printing")
    defined = client.post("/servicedesk/catalogue/levels/", {
        "service": service.pk, "code": "bronze", "name": "Bronze", "cover": "business_hours", **TARGETS})
    # then
    assert published.status_code == 302 and defined.status_code == 302
    assert service.is_published and service.currency == "USD"
    level = ServiceLevel.objects.get(service=service, code="bronze")
    assert sorted(level.targets.values_list("priority", "response_minutes", "resolution_minutes")) == [
        (1, 30, 240), (2, 60, 480), (3, 90, 720), (4, 120, 960)]
    page = client.get("/servicedesk/catalogue/").content.decode()
    assert "Printing" in page and "Bronze" in page and "12.50 USD" in page


def test_an_incomplete_level_stays_on_the_form(client, catalogue):
    grant(catalogue.owner, "service_owner")
    client.force_login(catalogue.owner)
    response = client.post("/servicedesk/catalogue/levels/", {
        "service": catalogue.email_service.pk, "code": "bronze", "name": "Bronze", "cover": "business_hours"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ServiceLevel.objects.filter(code="bronze").exists()


def test_publishing_without_the_service_owner_role_is_refused(client, catalogue):
    client.force_login(catalogue.requester_user)
    response = client.post("/servicedesk/catalogue/publish/", {
        "code": "printing", "kind": "facilities", "name": "Printing", "unit_price": "12.5", "currency": "USD"})
    assert response.status_code == 403
    assert "You do not have permission to publish services here." in response.content.decode()
    assert not Service.objects.filter(code="printing").exists()
