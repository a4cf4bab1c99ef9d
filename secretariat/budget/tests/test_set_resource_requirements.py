"""A resource table is saved only if every row cross-foots and every stated total foots."""

from decimal import Decimal

import pytest

from secretariat.budget.exceptions import ResourceTableDoesNotFoot
from secretariat.budget.models import PostLine, ResourceLine
from secretariat.budget.services.resources import (
    PostInput,
    ResourceInput,
    set_resource_requirements,
)
from secretariat.core.exceptions import AccessDenied

D = Decimal


def line(**overrides):
    values = dict(component="2", object_of_expenditure="general_operating_expenses",
                  funding_source="regular_budget", prior_expenditure=D("9196.7"), current_appropriation=D("9758.0"),
                  other_changes=D("2037.4"), estimate_before_recosting=D("11795.4"), recosting=D("224.0"),
                  estimate_after_recosting=D("12019.4"))
    values.update(overrides)
    return ResourceInput(**values)


def test_a_footing_table_replaces_the_section_resources(office):
    # when
    set_resource_requirements(
        actor=office.budget_officer, section=office.section,
        lines=[line(), line(object_of_expenditure="posts", prior_expenditure=D("1"), current_appropriation=D("10"),
                            other_changes=D("0"), estimate_before_recosting=D("10"), recosting=D("1"),
                            estimate_after_recosting=D("11"))],
        posts=[PostInput(component="2", funding_source="regular_budget", grade="P-4", approved=5, other_changes=-1,
                         proposed=4)],
        stated_totals={"regular_budget": {"estimate_after_recosting": D("12030.4"), "recosting": D("225.0")}},
        stated_post_totals={"regular_budget": {"proposed": 4}},
    )
    # then
    assert ResourceLine.objects.count() == 2
    assert PostLine.objects.get().proposed_count == 4


def test_a_row_that_does_not_cross_foot_is_refused_and_nothing_written(office):
    with pytest.raises(ResourceTableDoesNotFoot) as refusal:
        set_resource_requirements(actor=office.budget_officer, section=office.section,
                                  lines=[line(estimate_before_recosting=D("11795.5"))])
    assert str(refusal.value) == "The resource table does not foot; nothing was saved."
    assert refusal.value.errors == {"lines": [
        "Row 1 (2, general_operating_expenses, regular_budget): the estimate before recosting is 11795.5 but the "
        "appropriation plus the changes make 11795.4."]}
    assert not ResourceLine.objects.exists()


def test_a_stated_total_that_does_not_foot_is_refused(office):
    with pytest.raises(ResourceTableDoesNotFoot) as refusal:
        set_resource_requirements(actor=office.budget_officer, section=office.section, lines=[line()],
                                  stated_totals={"regular_budget": {"recosting": D("224.1")}})
    assert refusal.value.errors["lines"] == [
        "Resources, regular_budget, column recosting: the total is stated as 224.1 but the rows add up to 224.0."]


def test_posts_that_do_not_add_up_are_refused(office):
    with pytest.raises(ResourceTableDoesNotFoot) as refusal:
        set_resource_requirements(actor=office.budget_officer, section=office.section, lines=[line()], posts=[
            PostInput(component="9", funding_source="regular_budget", grade="P-4", approved=5, proposed=6)])
    assert refusal.value.errors["lines"] == [
        "Post row 1 (9, P-4, regular_budget): there is no component 9 in this section.",
        "Post row 1 (9, P-4, regular_budget): 6 posts proposed but the approved posts plus the changes make 5."]
    assert not ResourceLine.objects.exists() and not PostLine.objects.exists()


def test_only_plan_editors_enter_resources(office):
    with pytest.raises(AccessDenied):
        set_resource_requirements(actor=office.certifier, section=office.section, lines=[line()])
