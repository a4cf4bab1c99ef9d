"""Placing a person needs the right over both their org unit and their duty station; no org unit
means "organisation-wide", never "anywhere"."""

import pytest
from rest_framework.test import APIClient

from secretariat.core.models import Person
from secretariat.core.tests.factories import UserFactory, grant

REFUSED_REGISTER = "You do not have permission to register people here."
REFUSED_CHANGE = "You do not have permission to change people here."


@pytest.fixture
def api(geneva_hr_officer):
    client = APIClient()
    client.force_authenticate(geneva_hr_officer)
    return client


def new_person(**placement):
    return {"given_name": "Léa", "family_name": "Martin", "gender": "female", "nationality": "FRA",
            "email": "lea.martin@example.org", **placement}


def test_geneva_hr_registers_a_geneva_person_at_geneva(api, offices):
    response = api.post("/api/v1/people/", new_person(org_unit=offices.geneva_hr.pk,
                                                      duty_station=offices.geneva_station.pk), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("placement", ["no unit, Nairobi", "no unit, no station", "Geneva unit, Nairobi"])
def test_geneva_hr_cannot_place_a_person_outside_geneva(api, offices, placement):
    org_unit = offices.geneva_hr.pk if placement.startswith("Geneva") else None
    duty_station = offices.nairobi_station.pk if placement.endswith("Nairobi") else None
    # when
    response = api.post("/api/v1/people/", new_person(org_unit=org_unit, duty_station=duty_station), format="json")
    # then
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSED_REGISTER
    assert not Person.objects.filter(email="lea.martin@example.org").exists()


def test_geneva_hr_cannot_move_a_geneva_person_to_nairobi(api, offices):
    person = offices.geneva_person
    # when
    response = api.patch(f"/api/v1/people/{person.pk}/", {"duty_station": offices.nairobi_station.pk},
                         format="json")
    # then
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSED_CHANGE
    person.refresh_from_db()
    assert person.duty_station == offices.geneva_station


def test_geneva_hr_cannot_take_a_person_out_of_every_unit(api, offices):
    response = api.patch(f"/api/v1/people/{offices.geneva_person.pk}/", {"org_unit": None}, format="json")
    assert response.status_code == 403
    offices.geneva_person.refresh_from_db()
    assert offices.geneva_person.org_unit == offices.geneva_hr


def test_a_duty_station_officer_places_people_at_their_station(offices):
    officer = UserFactory(username="hr.nbo")
    grant(officer, "hr_officer", offices.nairobi_station)
    client = APIClient()
    client.force_authenticate(officer)
    # when
    response = client.post("/api/v1/people/", new_person(org_unit=offices.nairobi_hr.pk,
                                                         duty_station=offices.nairobi_station.pk), format="json")
    # then
    assert response.status_code == 201, response.json()


def test_an_organisation_wide_officer_registers_a_delegate_without_a_unit(offices):
    officer = UserFactory(username="hr.global")
    grant(officer, "hr_officer")
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post("/api/v1/people/", new_person(kind="delegate", represents="FRA"), format="json")
    assert response.status_code == 201, response.json()
