"""HR officers register and change people within their scope; every change is audited."""

import pytest
from rest_framework.test import APIClient

from secretariat.core.models import AuditEvent, Person


@pytest.fixture
def api(geneva_hr_officer):
    client = APIClient()
    client.force_authenticate(geneva_hr_officer)
    return client


def new_person(unit, **overrides):
    return {"given_name": "Léa", "family_name": "Martin", "gender": "female", "nationality": "FRA",
            "email": "lea.martin@example.org", "org_unit": unit.pk, "grade": "P-3", **overrides}


def test_register_in_scope(api, offices):
    response = api.post("/api/v1/people/", new_person(offices.geneva_hr_section), format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(email="lea.martin@example.org")
    assert (person.grade.code, person.nationality.alpha3) == ("P-3", "FRA")
    assert AuditEvent.objects.filter(action="organisation.person_registered", target_id=str(person.pk)).exists()


def test_register_outside_scope_is_refused(api, offices):
    response = api.post("/api/v1/people/", new_person(offices.nairobi_hr), format="json")
    assert response.status_code == 403
    assert not Person.objects.filter(email="lea.martin@example.org").exists()


def test_duplicate_email_is_a_field_error(api, offices):
    response = api.post("/api/v1/people/", new_person(offices.geneva_hr, email=offices.geneva_person.email),
                        format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "/email", "detail": "Person with this E-mail already exists.", "code": "invalid"}]


def test_moving_someone_to_another_office_needs_rights_there(api, offices):
    response = api.patch(f"/api/v1/people/{offices.geneva_person.pk}/", {"org_unit": offices.nairobi_hr.pk},
                         format="json")
    assert response.status_code == 403
    offices.geneva_person.refresh_from_db()
    assert offices.geneva_person.org_unit == offices.geneva_hr


def test_change_is_audited_with_before_and_after(api, offices):
    response = api.patch(f"/api/v1/people/{offices.geneva_person.pk}/", {"job_title": "Recruitment Officer"},
                         format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="organisation.person_changed")
    assert event.changes == {"job_title": {"from": "", "to": "Recruitment Officer"}}
