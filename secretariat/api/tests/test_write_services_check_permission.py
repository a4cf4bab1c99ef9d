"""A user without the permission is refused the same way through the page and through the API.

One row per write service reachable from both: the service decides (issue 11), so the page and
the API answer alike — 403 with a ``security.access_denied`` audit event (or 404 for objects
the user may not see) — and nothing changes in the database.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from secretariat.budget.tests.conftest import office  # noqa: F401
from secretariat.continuity.tests.conftest import registry  # noqa: F401
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant
from secretariat.finance.models import EntryStatus
from secretariat.finance.services import journal
from secretariat.finance.tests.conftest import ledger, officers  # noqa: F401
from secretariat.finance.tests.factories import build_ledger, officers_for, simple_entry
from secretariat.servicedesk import services as servicedesk
from secretariat.servicedesk.models import ChangeKind, ChangeStatus, Ticket, TicketStatus
from secretariat.servicedesk.tests.conftest import catalogue  # noqa: F401

pytestmark = pytest.mark.django_db
CHECKED_APPS = ["servicedesk", "budget", "continuity", "finance"]


@dataclass
class Refusal:
    user: object
    page: tuple[str, dict]  # path, form data
    api: tuple[str, dict]  # path, JSON body
    status: int = 403


# --- Service desk -------------------------------------------------------------------------------
def service_owner(world):
    """Sees every ticket (``view_ticket``) but works on none (no ``change_ticket``)."""
    user = UserFactory(username="catalogue.owner")
    grant(user, "service_owner")
    return user


def raised_ticket(world) -> Ticket:
    return servicedesk.raise_ticket(actor=world.requester_user, draft=servicedesk.TicketDraft(
        requester=world.requester, service=world.email_service, subject="Mailbox full"))


def submitted_change(world, kind=ChangeKind.NORMAL):
    return servicedesk.submit_change(actor=world.agent, kind=kind, title="Patch the mail server", risk=2)


def decide_change(world):
    change = submitted_change(world)  # an agent is not on the change advisory board
    other_agent = UserFactory(username="second.agent")
    grant(other_agent, "servicedesk_agent")
    return Refusal(other_agent, (f"/servicedesk/changes/{change.pk}/decide/", {"decision": "approve"}),
                   (f"/api/v1/servicedesk/changes/{change.pk}/approve/", {"approve": True}))


def implement_change(world):
    change = submitted_change(world, kind=ChangeKind.STANDARD)
    return Refusal(service_owner(world), (f"/servicedesk/changes/{change.pk}/implement/", {"record": "Done"}),
                   (f"/api/v1/servicedesk/changes/{change.pk}/implement/", {"record": "Done"}))


def submit_change(world):
    data = {"kind": "normal", "title": "Replace the switch", "risk": 2}
    return Refusal(service_owner(world), ("/servicedesk/changes/", data), ("/api/v1/servicedesk/changes/", data))


def record_problem(world):
    return Refusal(service_owner(world), ("/servicedesk/problems/", {"title": "Mail bounces"}),
                   ("/api/v1/servicedesk/problems/", {"title": "Mail bounces"}))


def record_problem_diagnosis(world):
    problem = servicedesk.record_problem(actor=world.agent, title="Mail bounces")
    data = {"root_cause": "Full disk", "workaround": "Purge the queue"}
    return Refusal(service_owner(world), (f"/servicedesk/problems/{problem.pk}/diagnose/", data),
                   (f"/api/v1/servicedesk/problems/{problem.pk}/diagnosis/", data))


def reply_to_ticket(world):
    ticket = raised_ticket(world)
    return Refusal(service_owner(world), (f"/servicedesk/tickets/{ticket.pk}/reply/", {"body": "On it"}),
                   (f"/api/v1/servicedesk/tickets/{ticket.pk}/reply/", {"body": "On it"}))


def resolve_ticket(world):
    ticket = raised_ticket(world)
    return Refusal(service_owner(world), (f"/servicedesk/tickets/{ticket.pk}/resolve/", {"resolution": "Purged"}),
                   (f"/api/v1/servicedesk/tickets/{ticket.pk}/resolve/", {"resolution": "Purged"}))


def change_ticket_status(world):
    ticket = raised_ticket(world)
    data = {"status": TicketStatus.IN_PROGRESS, "note": ""}
    return Refusal(service_owner(world), (f"/servicedesk/tickets/{ticket.pk}/status/", data),
                   (f"/api/v1/servicedesk/tickets/{ticket.pk}/status/", data))


def answer_survey(world):
    ticket = raised_ticket(world)
    servicedesk.resolve_ticket(actor=world.agent, ticket_id=ticket.pk, resolution="Purged")
    return Refusal(service_owner(world), (f"/servicedesk/tickets/{ticket.pk}/survey/", {"rating": 1}),
                   (f"/api/v1/servicedesk/tickets/{ticket.pk}/survey/", {"rating": 1}))


def publish_service(world):
    page = {"code": "print", "kind": "ict", "name": "Printing", "unit_price": "3.00", "currency": "USD"}
    api = {"code": "print", "kind": "ict", "names": {"en": "Printing"}, "unit_price": "3.00"}
    return Refusal(world.agent, ("/servicedesk/catalogue/publish/", page), ("/api/v1/servicedesk/services/", api))


def post_monthly_chargeback(world):
    fund = build_ledger().regular_budget
    accountant = officers_for(fund).poster  # may post to the ledger, but is no service-desk agent
    page = {"year": 2026, "month": 3, "fund": fund.pk, "providing_unit": world.department.pk}
    api = {"year": 2026, "month": 3, "fund": fund.code, "providing_unit": world.department.code}
    return Refusal(accountant, ("/servicedesk/reports/chargeback/post/", page),
                   ("/api/v1/servicedesk/reports/chargeback/post/", api))


# --- Budget -------------------------------------------------------------------------------------
def budget_reader(world):
    """Sees the allotments of the entity but may not commit, redeploy or spend."""
    reader = UserFactory(username="budget.reader")
    grant(reader, "budget_reader")
    return reader


def commit_funds(world):
    page = {"action": "commit", "commit-amount": "10.00", "commit-source_reference": "PO-1"}
    api = {"allotment": world.allotment.pk, "amount": "10.00", "currency": "USD", "source_reference": "PO-1"}
    return Refusal(budget_reader(world), (f"/budget/allotments/{world.allotment.pk}/", page),
                   ("/api/v1/budget/commitments/", api))


def record_expenditure(world):
    page = {"action": "expenditure", "expenditure-amount": "10.00", "expenditure-reference": "INV-1"}
    api = {"amount": "10.00", "currency": "USD", "reference": "INV-1"}
    return Refusal(budget_reader(world), (f"/budget/allotments/{world.allotment.pk}/", page),
                   (f"/api/v1/budget/allotments/{world.allotment.pk}/expenditure/", api))


# --- Continuity ---------------------------------------------------------------------------------
def create_data_centre(world):
    data = {"code": "EDC-9", "name": "Third site", "duty_station": world.primary_site.duty_station_id}
    return Refusal(world.outsider, ("/continuity/data-centres/", data), ("/api/v1/continuity/data-centres/", data))


def record_business_process(world):
    data = {"org_unit": world.department.pk, "name": "Meetings", "maximum_tolerable_downtime_hours": 24,
            "rto_band": "4-24h"}
    return Refusal(world.outsider, ("/continuity/processes/", data), ("/api/v1/continuity/processes/", data))


# --- Finance ------------------------------------------------------------------------------------
def submit_journal_entry(world):
    ledger_, officers_ = world
    draft = journal.create_journal_entry(actor=officers_.preparer, journal=ledger_.general,
                                         entry=simple_entry(ledger_))
    return Refusal(officers_.poster, (f"/finance/entries/{draft.pk}/submit/", {}),
                   (f"/api/v1/finance/journal-entries/{draft.pk}/submit/", {}))


def reverse_journal_entry(world):
    ledger_, officers_ = world
    entry = journal.create_journal_entry(actor=officers_.preparer, journal=ledger_.general,
                                         entry=simple_entry(ledger_))
    for step, officer in [(journal.submit_journal_entry, officers_.preparer),
                          (journal.certify_journal_entry, officers_.certifier),
                          (journal.approve_journal_entry, officers_.approver),
                          (journal.post_journal_entry, officers_.poster)]:
        step(actor=officer, entry_id=entry.pk)
    assert entry.__class__.objects.get(pk=entry.pk).status == EntryStatus.POSTED
    data = {"reversal_on": "2026-03-20", "reason": "Wrong account"}
    return Refusal(officers_.approver, (f"/finance/entries/{entry.pk}/reverse/", data),
                   (f"/api/v1/finance/journal-entries/{entry.pk}/reverse/", data))


CASES: list[tuple[str, str, Callable]] = [
    ("servicedesk.decide_change", "catalogue", decide_change),
    ("servicedesk.implement_change", "catalogue", implement_change),
    ("servicedesk.submit_change", "catalogue", submit_change),
    ("servicedesk.record_problem", "catalogue", record_problem),
    ("servicedesk.record_problem_diagnosis", "catalogue", record_problem_diagnosis),
    ("servicedesk.reply_to_ticket", "catalogue", reply_to_ticket),
    ("servicedesk.resolve_ticket", "catalogue", resolve_ticket),
    ("servicedesk.change_ticket_status", "catalogue", change_ticket_status),
    ("servicedesk.answer_survey", "catalogue", answer_survey),
    ("servicedesk.publish_service", "catalogue", publish_service),
    ("servicedesk.post_monthly_chargeback", "catalogue", post_monthly_chargeback),
    ("budget.commit_funds", "office", commit_funds),
    ("budget.record_expenditure", "office", record_expenditure),
    ("continuity.create_data_centre", "registry", create_data_centre),
    ("continuity.record_business_process", "registry", record_business_process),
    ("finance.submit_journal_entry", "ledger_and_officers", submit_journal_entry),
    ("finance.reverse_journal_entry", "ledger_and_officers", reverse_journal_entry),
]


@pytest.fixture
def ledger_and_officers(ledger, officers):  # noqa: F811
    return ledger, officers


def database_state() -> dict:
    """Every row of the apps whose services are under test (audit and idempotency records aside)."""
    return {model._meta.label: list(model.objects.order_by("pk").values())
            for app in CHECKED_APPS for model in apps.get_app_config(app).get_models()}


def denials_of(user) -> int:
    return AuditEvent.objects.filter(action="security.access_denied", actor=user).count()


@pytest.mark.parametrize(("service", "world", "build"), CASES, ids=[case[0] for case in CASES])
def test_a_user_without_the_permission_is_refused_by_the_page_and_the_api_alike(request, client, service, world,
                                                                                 build):
    # given
    refusal = build(request.getfixturevalue(world))
    before = database_state()
    client.force_login(refusal.user)
    api = APIClient()
    api.force_authenticate(refusal.user)
    # when
    page = client.post(*refusal.page)
    after_page = denials_of(refusal.user)
    answer = api.post(*refusal.api, format="json")
    # then
    assert (page.status_code, answer.status_code) == (refusal.status, refusal.status), (
        page.content.decode()[-2000:], answer.content.decode())
    assert answer["Content-Type"] == "application/problem+json"
    if refusal.status == 403:
        assert after_page == 1 and denials_of(refusal.user) == 2
    assert database_state() == before


def test_the_change_advisory_board_approves_through_the_page(client, catalogue):  # noqa: F811
    # given: the refusal above is not the page refusing everyone
    change = submitted_change(catalogue)
    manager = UserFactory(username="cab.chair")
    grant(manager, "servicedesk_manager")
    client.force_login(manager)
    # when
    response = client.post(f"/servicedesk/changes/{change.pk}/decide/", {"decision": "approve"})
    # then
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.approved_by == manager

