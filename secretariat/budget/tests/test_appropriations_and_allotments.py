"""Allotments are issued within the approved appropriation; the final appropriation never falls below them."""

import datetime
from decimal import Decimal

import pytest

from secretariat.budget.exceptions import (
    AllotmentExceedsAppropriation,
    AppropriationBelowAllotments,
    AppropriationNotApproved,
    InvalidTransition,
)
from secretariat.budget.models import Allotment, Appropriation, BudgetMovement
from secretariat.budget.services.appropriations import (
    approve_appropriation,
    create_appropriation,
    issue_allotment,
    revise_appropriation,
)
from secretariat.budget.tests.factories import make_fund
from secretariat.core.exceptions import AccessDenied


def test_allotment_within_the_appropriation_is_issued_and_journalled(office):
    # when
    allotment = issue_allotment(actor=office.budget_officer, appropriation_id=office.appropriation.pk,
                                certifying_unit=office.unit, object_of_expenditure="travel_of_staff",
                                amount=Decimal("5000"))
    # then
    office.appropriation.refresh_from_db()
    assert office.appropriation.allotted_amount == Decimal("6000")
    assert allotment.amount == Decimal("5000")
    assert BudgetMovement.objects.filter(allotment=allotment, kind="allotted").count() == 1


def test_increasing_an_allotment_adds_to_it(office):
    issue_allotment(actor=office.budget_officer, appropriation_id=office.appropriation.pk,
                    certifying_unit=office.unit, object_of_expenditure="contractual_services", amount=Decimal("250"))
    office.allotment.refresh_from_db()
    assert office.allotment.amount == Decimal("1250")


def test_allotment_beyond_the_appropriation_is_refused_and_nothing_written(office):
    # given 999,000 of 1,000,000 left unallotted
    with pytest.raises(AllotmentExceedsAppropriation) as refusal:
        issue_allotment(actor=office.budget_officer, appropriation_id=office.appropriation.pk,
                        certifying_unit=office.unit, object_of_expenditure="travel_of_staff",
                        amount=Decimal("999000.01"))
    assert str(refusal.value) == ("The allotment of USD 999,000.01 exceeds the unallotted balance of the "
                                  "appropriation (USD 999,000.00 of USD 1,000,000.00).")
    assert Allotment.objects.count() == 1
    assert Appropriation.objects.get().allotted_amount == Decimal("1000")


def test_no_allotment_against_a_draft_appropriation(office):
    draft = create_appropriation(actor=office.budget_officer, section=office.section, fund=make_fund("XB"),
                                 period_start_on=datetime.date(2021, 1, 1), period_end_on=datetime.date(2021, 12, 31),
                                 amount=Decimal("100"))
    with pytest.raises(AppropriationNotApproved):
        issue_allotment(actor=office.budget_officer, appropriation_id=draft.pk, certifying_unit=office.unit,
                        object_of_expenditure="posts", amount=Decimal("1"))


def test_approval_freezes_the_original_budget_and_revision_sets_the_final(office):
    # given
    appropriation = create_appropriation(actor=office.budget_officer, section=office.section, fund=make_fund("SA"),
                                         period_start_on=datetime.date(2021, 1, 1),
                                         period_end_on=datetime.date(2021, 12, 31), amount=Decimal("800"))
    approve_appropriation(actor=office.budget_officer, appropriation_id=appropriation.pk)
    # when
    revised = revise_appropriation(actor=office.budget_officer, appropriation_id=appropriation.pk,
                                   amount=Decimal("950"), resolution="76/246 A")
    # then
    assert (revised.original_amount, revised.amount, revised.status) == (Decimal("800"), Decimal("950"), "approved")
    with pytest.raises(InvalidTransition):
        approve_appropriation(actor=office.budget_officer, appropriation_id=appropriation.pk)


def test_the_final_appropriation_cannot_fall_below_allotments(office):
    with pytest.raises(AppropriationBelowAllotments) as refusal:
        revise_appropriation(actor=office.budget_officer, appropriation_id=office.appropriation.pk,
                             amount=Decimal("999.99"))
    assert str(refusal.value) == ("The appropriation cannot be reduced to USD 999.99: USD 1,000.00 is already "
                                  "allotted.")


def test_certifying_officers_cannot_issue_allotments(office):
    with pytest.raises(AccessDenied):
        issue_allotment(actor=office.certifier, appropriation_id=office.appropriation.pk,
                        certifying_unit=office.unit, object_of_expenditure="travel_of_staff", amount=Decimal("1"))
