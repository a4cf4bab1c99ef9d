"""Moving an official document to a status that does not exist is a 400 naming the field."""

import pytest
from rest_framework.test import APIClient

from secretariat.content import services
from secretariat.content.models import OfficialDocument, OfficialStatus
from secretariat.content.tests.conftest import office, staff_user  # noqa: F401


@pytest.mark.parametrize("to", ["", "shredded"])
def test_an_unknown_status_is_refused(office, to):  # noqa: F811
    officer = staff_user("olga.documents", office.unit, "documents_officer")
    official = services.register_official_document(actor=officer, symbol="A/64/6/Add.1", title="Budget fascicle",
                                                    org_unit=office.unit)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(officer)
    # when
    response = client.post(f"/api/v1/content/official-documents/{official.pk}/move/", {"to": to}, format="json")
    # then
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"pointer": "/to", "detail": "Choose a status of the official document workflow.", "code": "invalid"}]
    assert OfficialDocument.objects.get().status == OfficialStatus.DRAFTING
