"""Funds move between object classes only by an officer holding the redeployment authority."""

from decimal import Decimal

import pytest

from secretariat.budget.exceptions import FundsNotAvailable, RedeploymentNotAllowed
from secretariat.budget.models import Redeployment
from secretariat.budget.selectors import available_funds
from secretariat.budget.services.commitments import commit_funds, redeploy_funds
from secretariat.budget.tests.factories import make_allotment
from secretariat.core.authority import AuthorityNotHeld
from secretariat.core.tests.factories import delegation


@pytest.fixture
def travel(office):
    return make_allotment(office.appropriation, office.unit, "travel_of_staff", "100.00")


@pytest.fixture
def officer(office):
    delegation(office.budget_officer, "budget_redeployment", office.office, limit="500.00")
    return office.budget_officer


def test_authorised_officer_redeploys_available_funds(office, travel, officer):
    # when
    redeploy_funds(actor=officer, from_allotment_id=office.allotment.pk, to_allotment_id=travel.pk,
                   amount=Decimal("300"), reason="Mission travel for the ERP roll-out")
    # then
    assert available_funds(allotment=office.allotment) == Decimal("700")
    assert available_funds(allotment=travel) == Decimal("400")
    assert Redeployment.objects.get().authorised_by == officer


def test_redeployment_without_authority_is_refused_and_nothing_moves(office, travel):
    with pytest.raises(AuthorityNotHeld) as refusal:
        redeploy_funds(actor=office.certifier, from_allotment_id=office.allotment.pk, to_allotment_id=travel.pk,
                       amount=Decimal("10"), reason="Travel")
    assert str(refusal.value) == ("certifier holds no delegation of budget_redeployment covering this transaction: "
                                  "no delegation of this authority")
    assert available_funds(allotment=travel) == Decimal("100")
    assert not Redeployment.objects.exists()


def test_redeployment_beyond_the_delegated_limit_is_refused(office, travel, officer):
    with pytest.raises(AuthorityNotHeld):
        redeploy_funds(actor=officer, from_allotment_id=office.allotment.pk, to_allotment_id=travel.pk,
                       amount=Decimal("500.01"), reason="Travel")


def test_only_the_available_balance_can_move(office, travel, officer):
    commit_funds(actor=office.certifier, allotment_id=office.allotment.pk, amount=Decimal("800"))
    with pytest.raises(FundsNotAvailable):
        redeploy_funds(actor=officer, from_allotment_id=office.allotment.pk, to_allotment_id=travel.pk,
                       amount=Decimal("200.01"), reason="Travel")


def test_post_resources_are_not_redeployed(office, officer):
    posts = make_allotment(office.appropriation, office.unit, "posts", "100.00")
    with pytest.raises(RedeploymentNotAllowed) as refusal:
        redeploy_funds(actor=officer, from_allotment_id=posts.pk, to_allotment_id=office.allotment.pk,
                       amount=Decimal("10"), reason="Vacancies")
    assert str(refusal.value) == ("This redeployment is not allowed: post resources are redeployed only with the "
                                  "approval of the General Assembly")


def test_redeployment_stays_within_the_certifying_unit(office, officer):
    elsewhere = make_allotment(office.appropriation, office.other_unit, "travel_of_staff", "100.00")
    with pytest.raises(RedeploymentNotAllowed):
        redeploy_funds(actor=officer, from_allotment_id=office.allotment.pk, to_allotment_id=elsewhere.pk,
                       amount=Decimal("10"), reason="Travel")
