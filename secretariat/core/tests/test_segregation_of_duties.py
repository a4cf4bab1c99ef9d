"""One central check keeps incompatible duties on a transaction in different hands."""

import pytest

from secretariat.core.authority import SegregationOfDutiesViolation, check_segregation_of_duties
from secretariat.core.models import SegregationRule
from secretariat.core.tests.factories import UserFactory


@pytest.fixture
def people(db):
    return UserFactory(username="ana"), UserFactory(username="ben")


def test_certifying_officer_cannot_also_approve(people):
    ana, _ = people
    with pytest.raises(SegregationOfDutiesViolation) as refusal:
        check_segregation_of_duties(user=ana, duty="approve", performed_by={"certify": ana})
    assert str(refusal.value) == (
        "ana may not approve: The certifying and approving officers of a transaction must be different people.")


def test_the_rule_works_in_both_orders(people):
    ana, _ = people
    with pytest.raises(SegregationOfDutiesViolation):
        check_segregation_of_duties(user=ana, duty="certify", performed_by={"approve": ana})


def test_requisitioner_cannot_approve_own_requisition(people):
    ana, _ = people
    with pytest.raises(SegregationOfDutiesViolation):
        check_segregation_of_duties(user=ana, duty="approve_requisition", performed_by={"requisition": ana})


def test_different_people_may_certify_and_approve(people):
    ana, ben = people
    check_segregation_of_duties(user=ben, duty="approve", performed_by={"certify": ana, "prepare": None})


def test_duties_no_rule_separates_are_allowed(people):
    ana, _ = people
    check_segregation_of_duties(user=ana, duty="approve", performed_by={"receive": ana})


def test_a_deactivated_rule_no_longer_applies(people):
    ana, _ = people
    SegregationRule.objects.filter(code="certify_approve").update(is_active=False)
    check_segregation_of_duties(user=ana, duty="approve", performed_by={"certify": ana})
