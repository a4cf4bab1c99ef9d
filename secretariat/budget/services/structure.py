"""The programme plan of a budget section: components, accomplishments, indicators, deliverables."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.budget.models import (
    BudgetComponent,
    BudgetSection,
    ComponentKind,
    Deliverable,
    DeliverableYear,
    ExpectedAccomplishment,
    Indicator,
    IndicatorYear,
    LegislativeMandate,
    PerformanceResult,
    StrategyParagraph,
)
from secretariat.budget.services.common import created_or_duplicate
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import OrgUnit

PLAN_YEARS_AROUND = 10  # a section reports on, and plans for, years this close to its budget year


def plan_year(year: int, section: BudgetSection, field: str = "year") -> int:
    """A year of the programme plan: within ten years of the section's budget year (the fascicle
    reports actuals for past years and targets for the next ones)."""
    if not section.budget_year - PLAN_YEARS_AROUND <= year <= section.budget_year + PLAN_YEARS_AROUND:
        raise InvalidInput({field: [_("Enter a year between %(first)s and %(last)s.") % {
            "first": section.budget_year - PLAN_YEARS_AROUND, "last": section.budget_year + PLAN_YEARS_AROUND}]})
    return year



# --- Programme plan --------------------------------------------------------------------------

def require_plan_editor(actor, section: BudgetSection) -> None:
    require_permission(actor=actor, permission="budget.change_budgetsection", target=section,
                       action=_("edit the programme plan"))


@transaction.atomic
def create_budget_section(*, actor, code: str, title: str, budget_year: int, org_unit: OrgUnit,
                          programme_title: str = "", overall_orientation: str = "",
                          currency: str = "USD") -> BudgetSection:
    require_permission(actor=actor, permission="budget.add_budgetsection", target=org_unit,
                       action=_("create budget sections"))
    if not 1946 <= budget_year <= 2100:
        raise InvalidInput({"budget_year": [_("Enter a year between %(first)s and %(last)s.") % {
            "first": 1946, "last": 2100}]})
    section = created_or_duplicate(lambda: BudgetSection.objects.create(
        code=code, title=title, budget_year=budget_year, org_unit=org_unit, programme_title=programme_title,
        overall_orientation=overall_orientation, currency=currency,
    ), _("Section %(code)s for %(year)s") % {"code": code, "year": budget_year})
    record_audit_event(actor=actor, action="budget.section.created", target=section,
                       changes={"code": code, "budget_year": budget_year, "org_unit": org_unit.code})
    return section


@transaction.atomic
def add_component(*, actor, section: BudgetSection, kind: str, code: str, title: str, objective: str = "",
                  parent: BudgetComponent | None = None, responsible_unit: OrgUnit | None = None,
                  position: int | None = None) -> BudgetComponent:
    require_plan_editor(actor, section)
    if kind not in ComponentKind.values:
        raise InvalidInput({"kind": [_("Unknown kind of component.")]})
    if (parent is not None) != (kind == ComponentKind.COMPONENT):
        raise InvalidInput({"parent": [_("A component belongs to a subprogramme; other parts stand alone.")]})
    if parent is not None and parent.section_id != section.pk:
        raise InvalidInput({"parent": [_("The subprogramme belongs to another section.")]})
    position = position if position is not None else section.components.count()
    component = created_or_duplicate(lambda: BudgetComponent.objects.create(
        section=section, kind=kind, code=code, title=title, objective=objective, parent=parent,
        responsible_unit=responsible_unit, position=position,
    ), _("Component %(code)s") % {"code": code})
    record_audit_event(actor=actor, action="budget.component.added", target=component,
                       changes={"section": section.code, "kind": kind, "code": code})
    return component


@transaction.atomic
def add_expected_accomplishment(*, actor, component: BudgetComponent, letter: str,
                                description: str) -> ExpectedAccomplishment:
    require_plan_editor(actor, component.section)
    letter = letter.strip("() ").lower()
    if not letter.isalpha() or len(letter) > 2:
        raise InvalidInput({"letter": [_("Use one or two letters, for example a or b.")]})
    accomplishment = created_or_duplicate(lambda: ExpectedAccomplishment.objects.create(
        component=component, letter=letter, description=description,
    ), _("Expected accomplishment (%(letter)s)") % {"letter": letter})
    record_audit_event(actor=actor, action="budget.accomplishment.added", target=accomplishment,
                       changes={"component": component.code, "letter": letter})
    return accomplishment


@transaction.atomic
def add_indicator(*, actor, accomplishment: ExpectedAccomplishment, code: str, description: str, unit: str,
                  direction: str, threshold_value: Decimal | None = None, baseline_year: int | None = None,
                  baseline_value: Decimal | None = None) -> Indicator:
    require_plan_editor(actor, accomplishment.component.section)
    if baseline_year is not None:
        plan_year(baseline_year, accomplishment.component.section, "baseline_year")
    if direction in ("at_most", "at_least") and threshold_value is None:
        raise InvalidInput({"threshold_value": [_("An indicator measured against a threshold needs the threshold.")]})
    indicator = created_or_duplicate(lambda: Indicator.objects.create(
        accomplishment=accomplishment, code=code, description=description, unit=unit, direction=direction,
        threshold_value=threshold_value, baseline_year=baseline_year, baseline_value=baseline_value,
    ), _("Indicator (%(code)s)") % {"code": code})
    record_audit_event(actor=actor, action="budget.indicator.added", target=indicator,
                       changes={"code": code, "direction": direction, "baseline": baseline_value})
    return indicator


@transaction.atomic
def record_indicator_year(*, actor, indicator: Indicator, year: int, target_value: Decimal | None = None,
                          actual_value: Decimal | None = None) -> IndicatorYear:
    """Set the target and/or the reported actual of an indicator for a year."""
    require_plan_editor(actor, indicator.accomplishment.component.section)
    plan_year(year, indicator.accomplishment.component.section)
    row, _created = IndicatorYear.objects.select_for_update(no_key=True).get_or_create(indicator=indicator, year=year)
    before = {"target": row.target_value, "actual": row.actual_value}
    if target_value is not None:
        row.target_value = target_value
    if actual_value is not None:
        row.actual_value = actual_value
    row.save()
    record_audit_event(actor=actor, action="budget.indicator.year_recorded", target=indicator,
                       changes={"year": year, "before": before,
                                "after": {"target": row.target_value, "actual": row.actual_value}})
    return row


@transaction.atomic
def add_strategy_paragraph(*, actor, component: BudgetComponent, number: str, text: str,
                           responsible_unit: OrgUnit | None = None) -> StrategyParagraph:
    require_plan_editor(actor, component.section)
    paragraph = StrategyParagraph.objects.create(component=component, number=number, text=text,
                                                 responsible_unit=responsible_unit)
    record_audit_event(actor=actor, action="budget.strategy.added", target=component,
                       changes={"paragraph": number, "responsible_unit": getattr(responsible_unit, "code", None)})
    return paragraph


@transaction.atomic
def add_legislative_mandate(*, actor, section: BudgetSection, symbol: str, title: str,
                            component: BudgetComponent | None = None) -> LegislativeMandate:
    require_plan_editor(actor, section)
    mandate = LegislativeMandate.objects.create(section=section, component=component, symbol=symbol, title=title)
    record_audit_event(actor=actor, action="budget.mandate.added", target=section, changes={"symbol": symbol})
    return mandate


@transaction.atomic
def add_deliverable(*, actor, component: BudgetComponent, category: str, description: str,
                    subcategory: str = "") -> Deliverable:
    require_plan_editor(actor, component.section)
    deliverable = Deliverable.objects.create(component=component, category=category, subcategory=subcategory,
                                             description=description)
    record_audit_event(actor=actor, action="budget.deliverable.added", target=component,
                       changes={"category": category, "description": description})
    return deliverable


@transaction.atomic
def record_deliverable_year(*, actor, deliverable: Deliverable, year: int, planned_count: int | None = None,
                            actual_count: int | None = None) -> DeliverableYear:
    require_plan_editor(actor, deliverable.component.section)
    plan_year(year, deliverable.component.section)
    row, _created = DeliverableYear.objects.select_for_update(no_key=True).get_or_create(
        deliverable=deliverable, year=year)
    if planned_count is not None:
        row.planned_count = planned_count
    if actual_count is not None:
        row.actual_count = actual_count
    row.save()
    record_audit_event(actor=actor, action="budget.deliverable.year_recorded", target=deliverable.component,
                       changes={"deliverable": deliverable.description, "year": year,
                                "planned": row.planned_count, "actual": row.actual_count})
    return row


@transaction.atomic
def record_performance_result(*, actor, component: BudgetComponent, year: int, planned_result: str,
                              target: str = "", actual: str = "", evidence: str = "") -> PerformanceResult:
    require_plan_editor(actor, component.section)
    plan_year(year, component.section)
    result = PerformanceResult.objects.create(component=component, year=year, planned_result=planned_result,
                                              target=target, actual=actual, evidence=evidence)
    record_audit_event(actor=actor, action="budget.performance.recorded", target=component,
                       changes={"year": year, "planned_result": planned_result, "actual": actual})
    return result


