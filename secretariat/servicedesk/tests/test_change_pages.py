"""Change pages: agents request a change, another agent approves it for the change advisory
board, it is implemented; self-approval and implementing without approval are refused on the page."""

import pytest

from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.models import ChangeRequest, ChangeStatus, ConfigurationItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_member(catalogue):
    member = UserFactory(username="cab.member")
    grant(member, "servicedesk_manager")
    return member


def test_request_approve_and_implement_a_change(client, catalogue, board_member):
    # given
    server = ConfigurationItem.objects.create(code="srv-1", name="Server one", ci_type="server")
    client.force_login(catalogue.agent)
    assert "Request a change" in client.get("/servicedesk/changes/").content.decode()
    # when
    requested = client.post("/servicedesk/changes/", {"kind": "normal", "title": "Patch the mail server",
                                                       "risk": 2, "configuration_items": [server.pk]})
    change = ChangeRequest.objects.get()
    client.force_login(board_member)
    approved = client.post(f"/servicedesk/changes/{change.pk}/decide/", {"decision": "approve"})
    implemented = client.post(f"/servicedesk/changes/{change.pk}/implement/", {"record": "Patched at 02:00"})
    # then
    assert requested.status_code == approved.status_code == implemented.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.IMPLEMENTED and change.approved_by == board_member
    page = client.get("/servicedesk/changes/").content.decode()
    assert "Patch the mail server" in page and "Patched at 02:00" in page and "srv-1</a>" in page


def test_the_requester_cannot_approve_their_own_change(client, catalogue, board_member):
    client.force_login(board_member)
    client.post("/servicedesk/changes/", {"kind": "emergency", "title": "Restart", "risk": 1})
    change = ChangeRequest.objects.get()
    response = client.post(f"/servicedesk/changes/{change.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 400
    assert f"The requester of change {change.pk} cannot approve it." in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_a_change_without_approval_cannot_be_implemented(client, catalogue):
    client.force_login(catalogue.agent)
    client.post("/servicedesk/changes/", {"kind": "normal", "title": "Upgrade", "risk": 3})
    change = ChangeRequest.objects.get()
    response = client.post(f"/servicedesk/changes/{change.pk}/implement/", {"record": "done"})
    assert response.status_code == 400
    assert (f"Change {change.pk} cannot be implemented: it has not been approved by the change advisory board."
            in response.content.decode())
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_changes_need_the_agent_role(client, catalogue):
    client.force_login(catalogue.requester_user)
    response = client.get("/servicedesk/changes/")
    assert response.status_code == 403
    assert "You do not have permission to work on changes here." in response.content.decode()


def test_a_refused_action_stays_on_its_own_form(client, catalogue):
    client.force_login(catalogue.agent)
    client.post("/servicedesk/changes/", {"kind": "normal", "title": "Upgrade", "risk": 3})
    change = ChangeRequest.objects.get()
    page = client.post(f"/servicedesk/changes/{change.pk}/implement/", {"record": "done"}).content.decode()
    assert f'action="/servicedesk/changes/{change.pk}/implement/"' in page
    assert f'<label class="form-label" for="id_change{change.pk}_record">' in page
