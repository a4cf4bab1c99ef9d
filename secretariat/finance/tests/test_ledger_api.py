"""The main flows through the REST API: an entry from draft to posted, reports, refusals."""

import pytest
from django.test import Client

from secretariat.finance.models import FiscalPeriod

pytestmark = pytest.mark.django_db

API = "/api/v1/finance"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


ENTRY = {
    "journal": "GJ", "fund": "RB", "entry_on": "2026-03-15", "description": "Office supplies",
    "lines": [{"account": "5310", "debit_amount": "120.00", "credit_amount": "0"},
              {"account": "1110", "debit_amount": "0", "credit_amount": "120.00"}],
}


def test_an_entry_goes_from_draft_to_posted_through_the_api(ledger, officers):
    # given
    created = client_for(officers.preparer).post(f"{API}/journal-entries/", ENTRY, content_type="application/json")
    assert created.status_code == 201, created.content
    entry = f"{API}/journal-entries/{created.json()['id']}"
    # when
    assert client_for(officers.preparer).post(f"{entry}/submit/").status_code == 200
    assert client_for(officers.certifier).post(f"{entry}/certify/").status_code == 200
    assert client_for(officers.approver).post(f"{entry}/approve/").status_code == 200
    posted = client_for(officers.poster).post(f"{entry}/post/", HTTP_IDEMPOTENCY_KEY="post-1")
    # then
    assert posted.status_code == 200
    assert (posted.json()["status"], posted.json()["number"]) == ("posted", "GJ-2026-000001")
    replay = client_for(officers.poster).post(f"{entry}/post/", HTTP_IDEMPOTENCY_KEY="post-1")
    assert replay.headers["Idempotent-Replayed"] == "true"
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=3)
    trial = client_for(officers.poster).get(f"{API}/trial-balance/", {"period": period.pk, "fund": "RB"}).json()
    assert [(r["account"], r["closing"]) for r in trial["rows"]] == [("1110", "-120.00"), ("5310", "120.00")]
    position = client_for(officers.poster).get(f"{API}/statements/financial-position/", {"period": period.pk}).json()
    assert {r["label"]: r["current"] for r in position["rows"]}["Total assets"] == "-120.00"


def test_an_unbalanced_entry_is_refused_as_problem_json(ledger, officers):
    unbalanced = {**ENTRY, "lines": [ENTRY["lines"][0], {**ENTRY["lines"][1], "credit_amount": "100.00"}]}
    response = client_for(officers.preparer).post(f"{API}/journal-entries/", unbalanced,
                                                  content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == ("The entry does not balance in fund RB: debits 120.00 USD, "
                                         "credits 100.00 USD.")


def test_entries_of_other_funds_are_not_visible(ledger, officers):
    from secretariat.finance.services import journal
    from secretariat.finance.tests.factories import simple_entry

    journal.post_journal_entries(actor=ledger.admin, journal=ledger.general,
                                 entries=[simple_entry(ledger, fund=ledger.trust_fund)])
    listed = client_for(officers.preparer).get(f"{API}/journal-entries/").json()
    assert listed["count"] == 0
