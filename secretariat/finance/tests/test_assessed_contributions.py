"""Scale of assessment, assessments per fund, receipts applied, and the status of contributions."""

import datetime
from decimal import Decimal

import pytest

from secretariat.core.models import Country
from secretariat.finance import selectors
from secretariat.finance.models import Assessment, ReceiptApplication
from secretariat.finance.services import bank, receivables
from secretariat.finance.services.errors import AssessmentOverCollected, NoScaleRate, ReceiptOverApplied
from secretariat.finance.services.receivables import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(ledger):
    admin = ledger.admin
    for alpha2, rate in [("FR", "4.318"), ("KE", "0.010"), ("JP", "8.033")]:
        receivables.set_assessment_rate(actor=admin, member_state=Country.objects.get(alpha2=alpha2),
                                        from_year=2025, to_year=2027, rate_percent=Decimal(rate))
    usd_bank = bank.create_bank_account(actor=admin, code="USD-HQ", name="Contributions account",
                                        fund=ledger.regular_budget, currency="USD", iban="GB82WEST12345698765432",
                                        bic="NWBKGB2LXXX", ledger_account=ledger.account("1110"))
    assessments = receivables.issue_assessments(
        actor=admin, fund=ledger.regular_budget, reference="RB-2026", year=2026,
        total_amount=Decimal("1000000.00"), assessed_on=datetime.date(2026, 1, 2), due_on=datetime.date(2026, 2, 1))
    return usd_bank, {a.member_state.alpha2: a for a in assessments}


def test_assessments_follow_the_scale_and_post_receivable_and_revenue(ledger, assessed):
    _bank, by_state = assessed
    assert {k: a.amount for k, a in by_state.items()} == {
        "FR": Decimal("43180.00"), "JP": Decimal("80330.00"), "KE": Decimal("100.00")}
    assert selectors.posted_amount(account_codes=["1210"]) == Decimal("123610.00")
    assert selectors.posted_amount(account_codes=["4110"]) == Decimal("-123610.00")


def test_a_receipt_applied_reduces_what_is_outstanding(ledger, assessed):
    # given
    usd_bank, by_state = assessed
    france = Country.objects.get(alpha2="FR")
    receipt = receivables.record_receipt(actor=ledger.admin, member_state=france, bank_account=usd_bank,
                                         fund=ledger.regular_budget, received_on=datetime.date(2026, 2, 3),
                                         reference="FR-RB-2026-1", amount=Decimal("50000.00"))
    # when
    receivables.apply_receipt(actor=ledger.admin, receipt_id=receipt.pk, applied_on=datetime.date(2026, 2, 3),
                              applications=[Application(by_state["FR"].pk, Decimal("43180.00"))])
    # then
    status = {row.member_state.alpha2: row for row in selectors.status_of_contributions()}
    assert (status["FR"].assessed, status["FR"].collected, status["FR"].outstanding) == (
        Decimal("43180.00"), Decimal("43180.00"), Decimal("0.00"))
    assert status["JP"].outstanding == Decimal("80330.00")
    statement = selectors.member_state_statement(member_state=france)
    assert statement["unapplied_credits"] == Decimal("6820.00")
    assert selectors.posted_amount(account_codes=["2210"]) == Decimal("-6820.00")
    assert selectors.posted_amount(account_codes=["1210"]) == Decimal("80430.00")


def test_an_over_applied_receipt_is_refused_and_nothing_is_written(ledger, assessed):
    usd_bank, by_state = assessed
    kenya = Country.objects.get(alpha2="KE")
    receipt = receivables.record_receipt(actor=ledger.admin, member_state=kenya, bank_account=usd_bank,
                                         fund=ledger.regular_budget, received_on=datetime.date(2026, 2, 3),
                                         reference="KE-1", amount=Decimal("150.00"))
    with pytest.raises(AssessmentOverCollected) as refusal:
        receivables.apply_receipt(actor=ledger.admin, receipt_id=receipt.pk, applied_on=datetime.date(2026, 2, 3),
                                  applications=[Application(by_state["KE"].pk, Decimal("100.01"))])
    assert str(refusal.value) == "Applying 100.01 USD exceeds the 100.00 USD outstanding on assessment RB-2026."
    with pytest.raises(ReceiptOverApplied) as refusal:
        receivables.apply_receipt(actor=ledger.admin, receipt_id=receipt.pk, applied_on=datetime.date(2026, 2, 3),
                                  applications=[Application(by_state["KE"].pk, Decimal("150.01"))])
    assert str(refusal.value) == "Applying 150.01 USD exceeds the receipt's unapplied 150.00 USD."
    assert not ReceiptApplication.objects.exists()
    assert Assessment.objects.get(pk=by_state["KE"].pk).collected_amount == 0


def test_assessing_a_year_without_a_scale_is_refused(ledger, assessed):
    with pytest.raises(NoScaleRate):
        receivables.issue_assessments(actor=ledger.admin, fund=ledger.regular_budget, reference="RB-2030", year=2030,
                                      total_amount=Decimal("10"), assessed_on=datetime.date(2026, 1, 2),
                                      due_on=datetime.date(2026, 2, 1))


def test_a_staff_advance_is_an_other_receivable(ledger, assessed):
    other = receivables.record_other_receivable(
        actor=ledger.admin, kind="staff_advance", fund=ledger.regular_budget, debtor="A. Otieno",
        description="Salary advance", raised_on=datetime.date(2026, 3, 1), amount=Decimal("1200"),
        counter_account=ledger.account("1110"))
    assert other.journal_entry.number.startswith("AR-2026-")
    assert selectors.posted_amount(account_codes=["1310"]) == Decimal("1200.00")


def test_the_status_of_contributions_and_a_member_states_statement_through_the_api(ledger, assessed):
    from django.test import Client

    client = Client()
    client.force_login(ledger.admin)
    status = client.get("/api/v1/finance/assessments/status-of-contributions/").json()
    assert {"member_state": "KEN", "fund": "RB", "assessed": "100.00", "collected": "0.00",
            "outstanding": "100.00"} in status
    statement = client.get("/api/v1/finance/assessments/member-states/JPN/statement/").json()
    assert (statement["assessed"], statement["outstanding"]) == ("80330.00", "80330.00")


def test_the_status_of_contributions_page_links_each_member_states_statement(ledger, assessed):
    from django.test import Client

    client = Client()
    client.force_login(ledger.admin)
    page = client.get("/finance/contributions/").content.decode()
    assert 'href="/finance/contributions/JPN/"' in page
    statement = client.get("/finance/contributions/JPN/").content.decode()
    assert "80,330.00" in statement
