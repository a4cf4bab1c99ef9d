"""The month's chargeback statements posted to the ledger: one balanced entry, per department
amounts equal to the statements, refused for a month already posted (also when two postings race)
or with nothing to charge."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connections
from rest_framework.test import APIClient

from secretariat.core.audit import AuditEvent
from secretariat.core.exceptions import AccessDenied
from secretariat.core.tests.factories import OrgUnitFactory, PersonFactory, UserFactory, grant
from secretariat.finance import selectors as ledger
from secretariat.finance.models import EntryStatus, JournalEntry
from secretariat.finance.tests.factories import build_ledger
from secretariat.servicedesk.models import ChargebackPosting, Subscription, Ticket
from secretariat.servicedesk.selectors import chargeback_statements
from secretariat.servicedesk.services import (
    ChargebackAlreadyPosted,
    ChargebackNotPosted,
    MonthNotEnded,
    NothingToCharge,
    TicketDraft,
    import_tickets,
    post_monthly_chargeback,
    reverse_monthly_chargeback,
)
from secretariat.servicedesk.tests.conftest import geneva_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(catalogue):
    """Three e-mail tickets in March 2026: two for Conference Management, one for Administration."""
    Subscription.objects.create(department=catalogue.other_department, service=catalogue.email_service,
                                level=catalogue.silver, valid_from=datetime.date(2020, 1, 1))
    colleague = PersonFactory(org_unit=catalogue.other_department, email="paul@example.org")
    opened = geneva_time(2026, 3, 2, 9, 0)
    drafts = [TicketDraft(requester=requester, service=catalogue.email_service, subject=subject, opened_at=opened)
              for requester, subject in [(catalogue.requester, "one"), (catalogue.requester, "two"),
                                         (colleague, "three")]]
    import_tickets(actor=catalogue.agent, drafts=drafts, now=geneva_time(2026, 4, 2, 9, 0))
    books = build_ledger()
    accountant = UserFactory(username="chief.accountant")
    grant(accountant, "chief_accountant", books.regular_budget)
    grant(accountant, "servicedesk_manager")  # the statements posted are service-desk reports
    ict_unit = OrgUnitFactory(entity=catalogue.department.entity, code="UNOG-ICT", name="ICT Service",
                              level="division")
    return books, accountant, ict_unit


def post_march(catalogue, march, **kwargs):
    books, accountant, ict_unit = march
    return post_monthly_chargeback(actor=kwargs.pop("actor", accountant), year=2026, month=kwargs.pop("month", 3),
                                   fund=books.regular_budget, providing_unit=ict_unit, **kwargs)


def test_posts_one_balanced_entry_with_each_departments_statement(catalogue, march):
    # given
    books, accountant, ict_unit = march
    statements = chargeback_statements(tickets=Ticket.objects.all(), year=2026, month=3)
    # when
    posting = post_march(catalogue, march)
    # then
    entry = JournalEntry.objects.get(pk=posting.journal_entry_id)
    assert entry.status == EntryStatus.POSTED and entry.fund == books.regular_budget
    assert entry.entry_on == datetime.date(2026, 3, 31) and entry.number.startswith("GJ-2026-")
    assert ledger.posted_amount(entry_ids=[entry.pk]) == Decimal("0")
    expenses = {row["cost_centre"]: row["amount_usd"] for row in ledger.posted_amounts(
        group_by=("cost_centre",), entry_ids=[entry.pk], account_codes=["5910"])}
    assert expenses == {catalogue.department.pk: Decimal("85.00"), catalogue.other_department.pk: Decimal("42.50")}
    assert {s["department"]: s["totals"]["USD"] for s in statements} == {
        "UNOG-DCM": Decimal("85.0"), "UNOG-DAS": Decimal("42.5")}
    assert ledger.posted_amounts(group_by=("cost_centre",), entry_ids=[entry.pk], account_codes=["4910"]) == [
        {"cost_centre": ict_unit.pk, "amount_usd": Decimal("-127.50")}]
    assert AuditEvent.objects.filter(action="servicedesk.chargeback.posted", changes__entry=entry.number).exists()


def test_posting_the_same_month_twice_is_refused(catalogue, march):
    # given
    first = post_march(catalogue, march)
    # when
    with pytest.raises(ChargebackAlreadyPosted) as refusal:
        post_march(catalogue, march)
    # then
    assert str(refusal.value) == (f"The chargeback for 2026-03 has already been posted to the ledger "
                                  f"(entry {first.journal_entry.number}).")
    assert ChargebackPosting.objects.count() == 1
    assert JournalEntry.objects.filter(description__startswith="Service desk chargeback").count() == 1


def test_a_month_that_has_not_ended_is_refused(catalogue, march):
    # given: March, on its 31st at 23:00 Geneva time (22:00 UTC), with tickets already charged
    # when
    with pytest.raises(MonthNotEnded) as refusal:
        post_march(catalogue, march, now=geneva_time(2026, 3, 31, 23, 0))
    # then nothing is posted and the month stays open for the tickets still to come
    assert str(refusal.value) == "The chargeback for 2026-03 can be posted once the month has ended, from 2026-04-01."
    assert not ChargebackPosting.objects.exists() and not JournalEntry.objects.exists()


def test_the_api_refuses_the_current_month(catalogue, march):
    _books, accountant, _ict_unit = march
    client = APIClient()
    client.force_authenticate(accountant)
    today = datetime.date.today()
    response = client.post("/api/v1/servicedesk/reports/chargeback/post/", {
        "year": today.year, "month": today.month, "fund": "RB", "providing_unit": "UNOG-ICT"}, format="json")
    assert response.status_code == 409 and response.json()["type"] == "urn:secretariat:problem:month_not_ended"
    assert not ChargebackPosting.objects.exists()


def test_a_posted_month_is_reversed_and_posted_again_with_the_tickets_added_since(catalogue, march):
    # given March posted, then a ticket of March imported late
    books, accountant, ict_unit = march
    first = post_march(catalogue, march)
    import_tickets(actor=catalogue.agent, now=geneva_time(2026, 4, 20, 9, 0), drafts=[TicketDraft(
        requester=catalogue.requester, service=catalogue.email_service, subject="late",
        opened_at=geneva_time(2026, 3, 30, 9, 0))])
    # when the posting is reversed and the month posted again
    reversed_posting = reverse_monthly_chargeback(actor=accountant, year=2026, month=3, reason="late tickets",
                                                  reversal_on=datetime.date(2026, 4, 20))
    second = post_march(catalogue, march)
    # then the ledger holds the first entry, its reversal and the new entry with the late ticket
    first_entry = JournalEntry.objects.get(pk=first.journal_entry_id)
    assert first_entry.status == EntryStatus.REVERSED
    assert reversed_posting.reversal_entry.reverses_id == first_entry.pk
    assert reversed_posting.reversal_entry.entry_on == datetime.date(2026, 4, 20)
    all_entries = [first_entry.pk, reversed_posting.reversal_entry_id, second.journal_entry_id]
    expenses = {row["cost_centre"]: row["amount_usd"] for row in ledger.posted_amounts(
        group_by=("cost_centre",), entry_ids=all_entries, account_codes=["5910"])}
    assert expenses == {catalogue.department.pk: Decimal("127.50"), catalogue.other_department.pk: Decimal("42.50")}
    assert ChargebackPosting.objects.filter(year=2026, month=3).count() == 2
    assert AuditEvent.objects.filter(action="servicedesk.chargeback.reversed", changes__reason="late tickets").exists()
    # and a standing posting is still refused a second time
    with pytest.raises(ChargebackAlreadyPosted):
        post_march(catalogue, march)


def test_reversing_a_month_not_posted_is_refused(catalogue, march):
    _books, accountant, _ict_unit = march
    with pytest.raises(ChargebackNotPosted):
        reverse_monthly_chargeback(actor=accountant, year=2026, month=3, reason="oops")


def test_only_who_may_post_to_the_fund_reverses_the_chargeback(catalogue, march):
    post_march(catalogue, march)
    with pytest.raises(AccessDenied):
        reverse_monthly_chargeback(actor=catalogue.agent, year=2026, month=3, reason="oops",
                                   reversal_on=datetime.date(2026, 4, 20))
    assert JournalEntry.objects.count() == 1


def test_the_api_reverses_a_posted_month(catalogue, march):
    _books, accountant, _ict_unit = march
    posting = post_march(catalogue, march)
    client = APIClient()
    client.force_authenticate(accountant)
    response = client.post("/api/v1/servicedesk/reports/chargeback/reverse/", {
        "year": 2026, "month": 3, "reason": "late tickets", "reversal_on": "2026-04-20"}, format="json")
    posting.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["reversal_entry"] == posting.reversal_entry.number


def test_a_month_without_tickets_is_refused(catalogue, march):
    with pytest.raises(NothingToCharge) as refusal:
        post_march(catalogue, march, month=5)
    assert str(refusal.value) == "There is no chargeback to post for 2026-05: no tickets were charged that month."
    assert not ChargebackPosting.objects.exists()


def test_only_who_may_post_to_the_fund_posts_the_chargeback(catalogue, march):
    with pytest.raises(AccessDenied):
        post_march(catalogue, march, actor=catalogue.agent)
    assert not ChargebackPosting.objects.exists() and not JournalEntry.objects.exists()


def test_the_api_posts_a_month_once(catalogue, march):
    # given
    books, accountant, ict_unit = march
    client = APIClient()
    client.force_authenticate(accountant)
    body = {"year": 2026, "month": 3, "fund": "RB", "providing_unit": "UNOG-ICT"}
    # when
    first = client.post("/api/v1/servicedesk/reports/chargeback/post/", body, format="json")
    again = client.post("/api/v1/servicedesk/reports/chargeback/post/", body, format="json")
    # then
    number = ChargebackPosting.objects.get().journal_entry.number
    assert first.status_code == 201 and first.json()["journal_entry"] == number
    assert first.json()["fund"] == "RB" and first.json()["providing_unit"] == "UNOG-ICT"
    assert again.status_code == 409
    assert again.json()["detail"] == (f"The chargeback for 2026-03 has already been posted to the ledger "
                                      f"(entry {number}).")


def test_the_reports_page_posts_a_month_and_shows_a_second_posting_refused(client, catalogue, march):
    # given
    books, _accountant, ict_unit = march
    grant(catalogue.agent, "chief_accountant", books.regular_budget)
    client.force_login(catalogue.agent)
    page = client.get("/servicedesk/reports/?year=2026").content.decode()
    assert 'action="/servicedesk/reports/chargeback/post/"' in page and "Post to the ledger" in page
    body = {"year": 2026, "month": 3, "fund": books.regular_budget.pk, "providing_unit": ict_unit.pk}
    # when
    posted = client.post("/servicedesk/reports/chargeback/post/", body)
    again = client.post("/servicedesk/reports/chargeback/post/", body)
    # then
    number = ChargebackPosting.objects.get().journal_entry.number
    assert posted.status_code == 302 and posted["Location"] == "/servicedesk/reports/?year=2026"
    assert number in client.get("/servicedesk/reports/?year=2026").content.decode()
    assert again.status_code == 400
    assert (f"The chargeback for 2026-03 has already been posted to the ledger (entry {number})."
            in again.content.decode())
    assert ChargebackPosting.objects.count() == 1


def test_posting_needs_a_service_desk_role_besides_the_ledger_one(client, catalogue, march):
    # given: who may post to the fund, but sees no service-desk tickets
    books, _accountant, ict_unit = march
    ledger_only = UserFactory(username="ledger.only")
    grant(ledger_only, "chief_accountant", books.regular_budget)
    client.force_login(ledger_only)
    # when
    response = client.post("/servicedesk/reports/chargeback/post/", {
        "year": 2026, "month": 3, "fund": books.regular_budget.pk, "providing_unit": ict_unit.pk})
    # then
    assert response.status_code == 403
    assert "You do not have permission to post chargeback statements here." in response.content.decode()
    assert not ChargebackPosting.objects.exists()


@pytest.mark.postgres  # SQLite serialises all writers on one file lock; the race needs row locks
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_postings_of_a_month_post_it_once(catalogue, march):
    # given two accountants' requests for March arriving at the same moment on two connections
    start, outcomes = threading.Barrier(2), []

    def post() -> None:
        try:
            start.wait(timeout=30)
            posting = post_march(catalogue, march)
            outcomes.append(("posted", posting.journal_entry.number))
        except ChargebackAlreadyPosted as refusal:
            outcomes.append(("refused", str(refusal)))
        except Exception as error:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(("failed", repr(error)))
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one journal entry is posted and the other request is told so
    number = ChargebackPosting.objects.get().journal_entry.number
    assert sorted(outcomes) == [
        ("posted", number),
        ("refused", f"The chargeback for 2026-03 has already been posted to the ledger (entry {number})."),
    ]
    assert JournalEntry.objects.filter(description__startswith="Service desk chargeback").count() == 1


def test_the_reports_page_reverses_a_posted_month(client, catalogue, march):
    # given March posted, seen by an agent who may also post to the fund
    books, _accountant, _ict_unit = march
    posting = post_march(catalogue, march)
    grant(catalogue.agent, "chief_accountant", books.regular_budget)
    client.force_login(catalogue.agent)
    page = client.get("/servicedesk/reports/?year=2026").content.decode()
    assert 'action="/servicedesk/reports/chargeback/reverse/"' in page
    # when the month is reversed from the page
    response = client.post("/servicedesk/reports/chargeback/reverse/",
                           {"year": 2026, "month": 3, "reason": "posted with missing tickets"})
    # then the reversing entry is listed beside the posting and the month can be posted again
    posting.refresh_from_db()
    assert response.status_code == 302 and posting.reversal_entry is not None
    assert posting.reversal_entry.number in client.get("/servicedesk/reports/?year=2026").content.decode()
    assert post_march(catalogue, march).reversal_entry is None
