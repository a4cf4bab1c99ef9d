"""Configuration item pages: the list, an item with its relationships both ways and its impact
view; people without the agent role are refused."""

import pytest

from secretariat.servicedesk.models import ConfigurationItem
from secretariat.servicedesk.services import relate_configuration_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(catalogue):
    server, database, mail = (ConfigurationItem.objects.create(code=code, name=name, ci_type=kind,
                                                               location=catalogue.geneva)
                              for code, name, kind in [("srv-1", "Server one", "server"),
                                                       ("db-1", "Mail database", "database"),
                                                       ("mail", "Mail service", "service")])
    relate_configuration_items(actor=catalogue.agent, source=database, target=server, kind="runs_on")
    relate_configuration_items(actor=catalogue.agent, source=mail, target=database, kind="depends_on")
    return server


def test_the_agent_lists_configuration_items(client, catalogue, server):
    client.force_login(catalogue.agent)
    response = client.get("/servicedesk/configuration-items/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/servicedesk/configuration-items/srv-1/">srv-1</a></th>' in page
    assert "Mail database" in page and "GVA" in page


def test_an_item_shows_its_relationships_and_what_its_failure_affects(client, catalogue, server):
    client.force_login(catalogue.agent)
    page = client.get("/servicedesk/configuration-items/db-1/").content.decode()
    assert "runs on" in page and "depends on" in page
    assert 'href="/servicedesk/configuration-items/srv-1/"' in page
    impact = client.get("/servicedesk/configuration-items/srv-1/").content.decode().split("Impact", 1)[1]
    assert "db-1</a> — Mail database" in impact and "mail</a> — Mail service" in impact
    assert "Nothing else depends on it." in client.get("/servicedesk/configuration-items/mail/").content.decode()
    assert client.get("/servicedesk/configuration-items/nothing-here/").status_code == 404


def test_configuration_items_need_the_agent_role(client, catalogue, server):
    client.force_login(catalogue.requester_user)
    response = client.get("/servicedesk/configuration-items/srv-1/")
    assert response.status_code == 403
    assert "You do not have permission to see configuration items here." in response.content.decode()
