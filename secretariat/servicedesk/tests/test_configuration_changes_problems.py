"""Configuration items and their impact, changes through the CAB, problems with known errors,
and the knowledge base in several languages."""

import datetime

import pytest

from secretariat.core.exceptions import AccessDenied
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.models import ConfigurationItem
from secretariat.servicedesk.selectors import configuration_item_impact, search_knowledge
from secretariat.servicedesk.services import (
    ChangeNotApproved,
    TicketDraft,
    decide_change,
    implement_change,
    publish_article,
    raise_ticket,
    record_problem,
    relate_configuration_items,
    submit_change,
)

pytestmark = pytest.mark.django_db


def test_the_impact_of_a_server_reaches_everything_above_it(catalogue):
    server, database, mail, portal = (ConfigurationItem.objects.create(code=code, name=code, ci_type=kind)
                                      for code, kind in [("srv-1", "server"), ("db-1", "database"),
                                                         ("mail", "service"), ("portal", "application")])
    relate_configuration_items(actor=catalogue.agent, source=database, target=server, kind="runs_on")
    relate_configuration_items(actor=catalogue.agent, source=mail, target=database, kind="depends_on")
    relate_configuration_items(actor=catalogue.agent, source=server, target=portal, kind="used_by")
    assert [item.code for item in configuration_item_impact(item=server)] == ["db-1", "portal", "mail"]
    assert configuration_item_impact(item=mail) == []


def test_a_normal_change_needs_the_cab_before_implementation(catalogue):
    change = submit_change(actor=catalogue.agent, kind="normal", title="Patch mail servers", risk=2)
    with pytest.raises(ChangeNotApproved) as refusal:
        implement_change(actor=catalogue.agent, change_id=change.pk, record="patched")
    assert str(refusal.value) == (f"Change {change.pk} cannot be implemented: it has not been approved by the "
                                  "change advisory board.")
    with pytest.raises(AccessDenied, match="You do not have permission to approve changes here."):
        decide_change(actor=catalogue.agent, change_id=change.pk, approve=True)  # agents are not on the board
    chair = UserFactory(username="cab.chair")
    grant(chair, "servicedesk_manager")
    decide_change(actor=chair, change_id=change.pk, approve=True)
    assert implement_change(actor=catalogue.agent, change_id=change.pk, record="patched").status == "implemented"


def test_a_standard_change_is_pre_approved(catalogue):
    change = submit_change(actor=catalogue.agent, kind="standard", title="Reset a password", risk=3)
    assert implement_change(actor=catalogue.agent, change_id=change.pk, record="done").status == "implemented"


def test_a_problem_with_root_cause_and_workaround_is_a_known_error(catalogue):
    incident = raise_ticket(actor=catalogue.requester_user, draft=TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="Outlook crashes"))
    problem = record_problem(actor=catalogue.agent, title="Outlook add-in crash", incidents=[incident],
                             root_cause="Faulty add-in", workaround="Disable the add-in")
    assert problem.is_known_error and list(incident.problems.all()) == [problem]


def test_knowledge_is_searched_in_the_user_language_with_english_fallback(catalogue):
    review = datetime.date(2027, 6, 30)
    grant(catalogue.owner, "service_owner")
    publish_article(actor=catalogue.owner, code="vpn", language="en", title="Connect to the VPN",
                    body="Open the VPN client", review_on=review)
    publish_article(actor=catalogue.owner, code="vpn", language="es", title="Conectarse a la VPN",
                    body="Abra el cliente VPN", review_on=review)
    second = publish_article(actor=catalogue.owner, code="vpn", language="es", title="Conectarse a la VPN",
                             body="Abra el cliente VPN nuevo", review_on=review)
    publish_article(actor=catalogue.owner, code="printer", language="en", title="Add a VPN printer",
                    body="Printers", review_on=review)
    found = {version.article.code: version for version in search_knowledge(query="VPN", language="es")}
    assert second.version == 2 and found["vpn"] == second
    assert found["printer"].language == "en"


def test_knowledge_search_finds_only_current_versions(catalogue):
    # given an article whose second version no longer names the old client
    grant(catalogue.owner, "service_owner")
    review = datetime.date(2027, 6, 30)
    publish_article(actor=catalogue.owner, code="vpn", language="en", title="Connect to the VPN",
                    body="Start the Cisco AnyConnect client", review_on=review)
    current = publish_article(actor=catalogue.owner, code="vpn", language="en", title="Connect to the VPN",
                              body="Start the GlobalProtect client", review_on=review)
    # then the superseded wording finds nothing, the current one finds the current version
    assert search_knowledge(query="AnyConnect", language="en") == []
    assert search_knowledge(query="GlobalProtect", language="en") == [current]


def test_knowledge_search_stems_the_words_like_the_document_search(catalogue):
    grant(catalogue.owner, "service_owner")
    article = publish_article(actor=catalogue.owner, code="vpn", language="en", title="Connect to the VPN",
                              body="Open the VPN client and sign in", review_on=datetime.date(2027, 6, 30))
    assert search_knowledge(query="connecting VPN", language="en") == [article]
    assert search_knowledge(query="connecting printers", language="en") == []
