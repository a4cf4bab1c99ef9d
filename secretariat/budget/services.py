"""Business actions of the budget: the only code that writes budget records.

Lock order (see docs/budget.md): appropriation, then allotments in primary-key order, then
commitments (audit events take no lock: they are sealed into the chain after commit). Every balance
change writes a ``BudgetMovement`` row in the same transaction as the balance it moves.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.budget.models import (
    Allotment,
    Appropriation,
    AppropriationStatus,
    BudgetComponent,
    BudgetMovement,
    BudgetSection,
    CashFlowReconciliationItem,
    Commitment,
    CommitmentSource,
    CommitmentStatus,
    ComponentKind,
    Deliverable,
    DeliverableYear,
    ExpectedAccomplishment,
    FundingSource,
    Indicator,
    IndicatorYear,
    LegislativeMandate,
    MovementKind,
    ObjectOfExpenditure,
    PerformanceResult,
    PostGrade,
    PostLine,
    ReconciliationKind,
    Redeployment,
    ResourceLine,
    StrategyParagraph,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import require_authority
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.models import OrgUnit
from secretariat.finance import selectors as ledger
from secretariat.finance.models import Fund

CENT = Decimal("0.01")
AMOUNT_PLACES = Decimal("0.0001")
REDEPLOYMENT_AUTHORITY = "budget_redeployment"


def amount_text(value: Decimal, currency: str = "USD") -> str:
    return f"{currency} {value.quantize(CENT):,}"


class InvalidTransition(DomainError):
    message = _("A record in status %(current)s cannot move to %(requested)s.")
    code = "invalid_transition"


class FundsNotAvailable(DomainError):
    message = _("Funds are not available: %(requested)s requested but only %(available)s is available on "
                "allotment %(allotment)s.")
    code = "funds_not_available"


class AllotmentExceedsAppropriation(DomainError):
    message = _("The allotment of %(requested)s exceeds the unallotted balance of the appropriation "
                "(%(unallotted)s of %(appropriation)s).")
    code = "allotment_exceeds_appropriation"


class AppropriationNotApproved(DomainError):
    message = _("The appropriation %(appropriation)s is not approved yet.")
    code = "appropriation_not_approved"


class AppropriationBelowAllotments(DomainError):
    message = _("The appropriation cannot be reduced to %(requested)s: %(allotted)s is already allotted.")
    code = "appropriation_below_allotments"


class RedeploymentNotAllowed(DomainError):
    message = _("This redeployment is not allowed: %(reason)s")
    code = "redeployment_not_allowed"


class CommitmentNotOpen(DomainError):
    message = _("Commitment %(number)s is %(status)s; it can no longer be changed.")
    code = "commitment_not_open"


class ExceedsUnliquidatedBalance(DomainError):
    message = _("%(requested)s exceeds the unliquidated balance of commitment %(number)s (%(open)s).")
    code = "exceeds_unliquidated_balance"


class CurrencyMismatch(DomainError):
    message = _("The amount is in %(given)s but the allotment is kept in %(expected)s.")
    code = "currency_mismatch"


class ResourceTableDoesNotFoot(InvalidInput):
    message = _("The resource table does not foot; nothing was saved.")
    code = "table_does_not_foot"


class DuplicateRecord(DomainError):
    message = _("%(what)s already exists.")
    code = "duplicate"


def positive_amount(amount: Decimal, field: str = "amount") -> Decimal:
    if amount is None or amount <= 0:
        raise InvalidInput({field: [_("Enter an amount greater than zero.")]})
    return Decimal(amount).quantize(AMOUNT_PLACES)


PLAN_YEARS_AROUND = 10  # a section reports on, and plans for, years this close to its budget year


def plan_year(year: int, section: BudgetSection, field: str = "year") -> int:
    """A year of the programme plan: within ten years of the section's budget year (the fascicle
    reports actuals for past years and targets for the next ones)."""
    if not section.budget_year - PLAN_YEARS_AROUND <= year <= section.budget_year + PLAN_YEARS_AROUND:
        raise InvalidInput({field: [_("Enter a year between %(first)s and %(last)s.") % {
            "first": section.budget_year - PLAN_YEARS_AROUND, "last": section.budget_year + PLAN_YEARS_AROUND}]})
    return year


def created_or_duplicate(create, what):
    """Run ``create`` in a savepoint; a unique-constraint clash becomes a clear refusal."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        raise DuplicateRecord(what=what) from None


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


# --- Resource requirements ---------------------------------------------------------------------

RESOURCE_COLUMNS = ["prior_expenditure", "current_appropriation", "technical_adjustments", "new_mandates",
                    "other_changes", "estimate_before_recosting", "recosting", "estimate_after_recosting"]
POST_COLUMNS = ["approved", "technical_adjustments", "new_mandates", "other_changes", "proposed"]


@dataclass(frozen=True)
class ResourceInput:
    component: str
    object_of_expenditure: str
    funding_source: str
    prior_expenditure: Decimal = Decimal("0")
    current_appropriation: Decimal = Decimal("0")
    technical_adjustments: Decimal = Decimal("0")
    new_mandates: Decimal = Decimal("0")
    other_changes: Decimal = Decimal("0")
    recosting: Decimal = Decimal("0")
    estimate_before_recosting: Decimal | None = None  # as stated by the submitter; checked, never trusted
    estimate_after_recosting: Decimal | None = None


@dataclass(frozen=True)
class PostInput:
    component: str
    funding_source: str
    grade: str
    approved: int
    technical_adjustments: int = 0
    new_mandates: int = 0
    other_changes: int = 0
    proposed: int | None = None
    temporary: int = 0


def resource_row_problems(number: int, row: ResourceInput, components: dict) -> tuple[list[str], dict | None]:
    label = _("Row %(number)s (%(component)s, %(object)s, %(source)s)") % {
        "number": number, "component": row.component, "object": row.object_of_expenditure,
        "source": row.funding_source}
    problems = []
    if row.component not in components:
        problems.append(_("%(row)s: there is no component %(code)s in this section.") % {
            "row": label, "code": row.component})
    if row.object_of_expenditure not in ObjectOfExpenditure.values:
        problems.append(_("%(row)s: unknown object of expenditure.") % {"row": label})
    if row.funding_source not in FundingSource.values:
        problems.append(_("%(row)s: unknown funding source.") % {"row": label})
    before = (row.current_appropriation + row.technical_adjustments + row.new_mandates + row.other_changes)
    after = before + row.recosting
    if row.estimate_before_recosting is not None and row.estimate_before_recosting != before:
        problems.append(_("%(row)s: the estimate before recosting is %(stated)s but the appropriation plus the "
                          "changes make %(computed)s.") % {"row": label, "stated": row.estimate_before_recosting,
                                                           "computed": before})
    if row.estimate_after_recosting is not None and row.estimate_after_recosting != after:
        problems.append(_("%(row)s: the estimate after recosting is %(stated)s but the estimate before recosting "
                          "plus recosting make %(computed)s.") % {"row": label,
                                                                  "stated": row.estimate_after_recosting,
                                                                  "computed": after})
    values = {"prior_expenditure": row.prior_expenditure, "current_appropriation": row.current_appropriation,
              "technical_adjustments": row.technical_adjustments, "new_mandates": row.new_mandates,
              "other_changes": row.other_changes, "estimate_before_recosting": before, "recosting": row.recosting,
              "estimate_after_recosting": after}
    if any(value is None for value in values.values()):
        problems.append(_("%(row)s: every column needs a figure.") % {"row": label})
    return problems, (None if problems else values)


def post_row_problems(number: int, row: PostInput, components: dict) -> tuple[list[str], dict | None]:
    label = _("Post row %(number)s (%(component)s, %(grade)s, %(source)s)") % {
        "number": number, "component": row.component, "grade": row.grade, "source": row.funding_source}
    problems = []
    if row.component not in components:
        problems.append(_("%(row)s: there is no component %(code)s in this section.") % {
            "row": label, "code": row.component})
    if row.grade not in PostGrade.values:
        problems.append(_("%(row)s: unknown grade.") % {"row": label})
    if row.funding_source not in FundingSource.values:
        problems.append(_("%(row)s: unknown funding source.") % {"row": label})
    proposed = row.approved + row.technical_adjustments + row.new_mandates + row.other_changes
    if row.proposed is not None and row.proposed != proposed:
        problems.append(_("%(row)s: %(stated)s posts proposed but the approved posts plus the changes make "
                          "%(computed)s.") % {"row": label, "stated": row.proposed, "computed": proposed})
    if row.approved < 0 or proposed < 0:
        problems.append(_("%(row)s: post counts cannot be negative.") % {"row": label})
    if row.temporary < 0 or row.temporary > max(proposed, 0):
        problems.append(_("%(row)s: temporary posts must be between zero and the posts proposed.") % {"row": label})
    return problems, (None if problems else {"approved": row.approved, "proposed": proposed})


def total_problems(what, stated_totals: dict, computed: dict) -> list[str]:
    problems = []
    for source, columns in (stated_totals or {}).items():
        for column, stated in columns.items():
            actual = computed.get(source, {}).get(column, 0)
            if stated != actual:
                problems.append(_("%(what)s, %(source)s, column %(column)s: the total is stated as %(stated)s but "
                                  "the rows add up to %(computed)s.") % {
                    "what": what, "source": source, "column": column, "stated": stated, "computed": actual})
    return problems


@transaction.atomic
def set_resource_requirements(*, actor, section: BudgetSection, lines: list[ResourceInput],
                              posts: list[PostInput] | None = None, stated_totals: dict | None = None,
                              stated_post_totals: dict | None = None) -> BudgetSection:
    """Replace the section's resource requirements and posts with a table that foots.

    Every row must cross-foot (appropriation + changes = estimate before recosting; + recosting
    = estimate after recosting) and every stated column total (per funding source) must equal
    the sum of its rows. Any problem refuses the whole table: nothing is written.
    """
    require_plan_editor(actor, section)
    section = BudgetSection.objects.select_for_update(no_key=True).get(pk=section.pk)
    components = {c.code: c for c in section.components.all()}
    problems: list[str] = []
    resource_rows, post_rows = [], []
    totals: dict[str, dict[str, Decimal]] = {}
    seen = set()
    for number, row in enumerate(lines, start=1):
        row_problems, values = resource_row_problems(number, row, components)
        key = (row.component, row.object_of_expenditure, row.funding_source)
        if key in seen:
            row_problems.append(_("Row %(number)s repeats an earlier row's component, object and source.") % {
                "number": number})
        seen.add(key)
        problems.extend(row_problems)
        if values is not None:
            resource_rows.append((row, values))
            source_totals = totals.setdefault(row.funding_source, {})
            for column, value in values.items():
                source_totals[column] = source_totals.get(column, Decimal("0")) + value
    post_totals: dict[str, dict[str, int]] = {}
    seen = set()
    for number, row in enumerate(posts or [], start=1):
        row_problems, values = post_row_problems(number, row, components)
        key = (row.component, row.funding_source, row.grade)
        if key in seen:
            row_problems.append(_("Post row %(number)s repeats an earlier row's component, source and grade.") % {
                "number": number})
        seen.add(key)
        problems.extend(row_problems)
        if values is not None:
            post_rows.append((row, values))
            source_totals = post_totals.setdefault(row.funding_source, {})
            for column, value in values.items():
                source_totals[column] = source_totals.get(column, 0) + value
    problems += total_problems(_("Resources"), stated_totals, totals)
    problems += total_problems(_("Posts"), stated_post_totals, post_totals)
    if problems:
        raise ResourceTableDoesNotFoot({"lines": [str(p) for p in problems]})

    ResourceLine.objects.filter(component__section=section).delete()
    ResourceLine.objects.bulk_create(ResourceLine(
        component=components[row.component], object_of_expenditure=row.object_of_expenditure,
        funding_source=row.funding_source, currency=section.currency,
        prior_expenditure_amount=values["prior_expenditure"],
        current_appropriation_amount=values["current_appropriation"],
        technical_adjustments_amount=values["technical_adjustments"], new_mandates_amount=values["new_mandates"],
        other_changes_amount=values["other_changes"],
        estimate_before_recosting_amount=values["estimate_before_recosting"], recosting_amount=values["recosting"],
        estimate_after_recosting_amount=values["estimate_after_recosting"],
    ) for row, values in resource_rows)
    if posts is not None:
        PostLine.objects.filter(component__section=section).delete()
        PostLine.objects.bulk_create(PostLine(
            component=components[row.component], funding_source=row.funding_source, grade=row.grade,
            approved_count=row.approved, technical_adjustments=row.technical_adjustments,
            new_mandates=row.new_mandates, other_changes=row.other_changes, proposed_count=values["proposed"],
            temporary_count=row.temporary,
        ) for row, values in post_rows)
    record_audit_event(actor=actor, action="budget.resources.set", target=section, changes={
        "lines": len(resource_rows), "post_lines": len(post_rows),
        "totals": {source: {k: str(v) for k, v in columns.items()} for source, columns in totals.items()},
        "posts": post_totals,
    })
    return section


# --- Appropriations and allotments ---------------------------------------------------------------

@transaction.atomic
def create_appropriation(*, actor, section: BudgetSection, fund: Fund, period_start_on: date,
                         period_end_on: date, amount: Decimal, resolution: str = "",
                         currency: str = "USD") -> Appropriation:
    require_permission(actor=actor, permission="budget.add_appropriation", target=section,
                       action=_("record appropriations"))
    if period_end_on < period_start_on:
        raise InvalidInput({"period_end_on": [_("The period must not end before it starts.")]})
    if amount is None or amount < 0:
        raise InvalidInput({"amount": [_("Enter an amount of zero or more.")]})
    appropriation = created_or_duplicate(lambda: Appropriation.objects.create(
        section=section, fund=fund, period_start_on=period_start_on, period_end_on=period_end_on,
        original_amount=amount, amount=amount, resolution=resolution, currency=currency,
    ), _("An appropriation of fund %(fund)s for this section and period") % {"fund": fund.code})
    record_audit_event(actor=actor, action="budget.appropriation.created", target=appropriation,
                       changes={"fund": fund.code, "amount": amount, "currency": currency, "resolution": resolution})
    return appropriation


@transaction.atomic
def approve_appropriation(*, actor, appropriation_id: int) -> Appropriation:
    """Record the appropriation as approved: the original budget is frozen from here on."""
    appropriation = Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_id)
    require_permission(actor=actor, permission="budget.change_appropriation", target=appropriation,
                       action=_("approve appropriations"))
    appropriation.transition_to(AppropriationStatus.APPROVED)
    appropriation.original_amount = appropriation.amount
    appropriation.approved_by, appropriation.approved_at = actor, timezone.now()
    appropriation.save(update_fields=["status", "original_amount", "approved_by", "approved_at"])
    record_audit_event(actor=actor, action="budget.appropriation.approved", target=appropriation,
                       changes={"amount": appropriation.amount})
    return appropriation


@transaction.atomic
def revise_appropriation(*, actor, appropriation_id: int, amount: Decimal, resolution: str = "") -> Appropriation:
    """Set the final appropriation (revised estimates); it may not fall below what is allotted."""
    appropriation = Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_id)
    require_permission(actor=actor, permission="budget.change_appropriation", target=appropriation,
                       action=_("revise appropriations"))
    if amount is None or amount < 0:
        raise InvalidInput({"amount": [_("Enter an amount of zero or more.")]})
    if amount < appropriation.allotted_amount:
        raise AppropriationBelowAllotments(requested=amount_text(amount, appropriation.currency),
                                           allotted=amount_text(appropriation.allotted_amount, appropriation.currency))
    before = appropriation.amount
    appropriation.amount = amount
    if appropriation.status == AppropriationStatus.DRAFT:
        appropriation.original_amount = amount
    appropriation.save(update_fields=["amount", "original_amount"])
    record_audit_event(actor=actor, action="budget.appropriation.revised", target=appropriation,
                       changes={"before": before, "after": amount, "resolution": resolution})
    return appropriation


@transaction.atomic
def issue_allotment(*, actor, appropriation_id: int, certifying_unit: OrgUnit, object_of_expenditure: str,
                    amount: Decimal, on: date | None = None) -> Allotment:
    """Issue (or increase) the allotment of a certifying unit for one object class.

    Locks the appropriation first: the sum of allotments never exceeds it.
    """
    amount = positive_amount(amount)
    appropriation = Appropriation.objects.select_for_update(no_key=True).select_related("section").get(
        pk=appropriation_id)
    require_permission(actor=actor, permission="budget.add_allotment", target=certifying_unit,
                       action=_("issue allotments"))
    if object_of_expenditure not in ObjectOfExpenditure.values:
        raise InvalidInput({"object_of_expenditure": [_("Unknown object of expenditure.")]})
    if appropriation.status != AppropriationStatus.APPROVED:
        raise AppropriationNotApproved(appropriation=str(appropriation))
    unallotted = appropriation.amount - appropriation.allotted_amount
    if amount > unallotted:
        raise AllotmentExceedsAppropriation(requested=amount_text(amount, appropriation.currency),
                                            unallotted=amount_text(unallotted, appropriation.currency),
                                            appropriation=amount_text(appropriation.amount, appropriation.currency))
    allotment, _created = Allotment.objects.select_for_update(no_key=True).get_or_create(
        appropriation=appropriation, certifying_unit=certifying_unit, object_of_expenditure=object_of_expenditure,
        defaults={"issued_by": actor, "currency": appropriation.currency},
    )
    move_balances(allotment, amount=amount)
    appropriation.allotted_amount += amount
    appropriation.save(update_fields=["allotted_amount"])
    BudgetMovement.objects.create(allotment=allotment, kind=MovementKind.ALLOTTED, amount=amount,
                                  currency=allotment.currency, occurred_on=on or timezone.localdate(), actor=actor)
    record_audit_event(actor=actor, action="budget.allotment.issued", target=allotment,
                       changes={"amount": amount, "total": allotment.amount, "unit": certifying_unit.code,
                                "object": object_of_expenditure})
    return allotment


# --- Commitments and expenditure --------------------------------------------------------------

def locked_allotment(allotment_id: int) -> Allotment:
    return Allotment.objects.select_for_update(no_key=True).get(pk=allotment_id)


def move_balances(allotment: Allotment, *, amount=Decimal("0"), committed=Decimal("0"),
                  expended=Decimal("0")) -> None:
    """Change a locked allotment's balances; the available balance follows in exact decimals."""
    allotment.amount += amount
    allotment.committed_amount += committed
    allotment.expended_amount += expended
    allotment.available_amount = allotment.amount - allotment.committed_amount - allotment.expended_amount
    allotment.save(update_fields=["amount", "committed_amount", "expended_amount", "available_amount"])


def check_currency(allotment: Allotment, currency: str) -> None:
    if currency != allotment.currency:
        raise CurrencyMismatch(given=currency, expected=allotment.currency)


def refuse_if_not_available(allotment: Allotment, amount: Decimal, currency: str) -> None:
    check_currency(allotment, currency)
    if amount > allotment.available_amount:
        raise FundsNotAvailable(requested=amount_text(amount, currency),
                                available=amount_text(allotment.available_amount, currency), allotment=str(allotment))


@transaction.atomic
def commit_funds(*, actor, allotment_id: int, amount: Decimal, currency: str = "USD",
                 source: str = CommitmentSource.MANUAL, source_reference: str = "", description: str = "",
                 on: date | None = None) -> Commitment:
    """Reserve funds on an allotment, or refuse (hard stop) if they are not available.

    Concurrent commitments against one allotment queue on its row lock, so the lock is taken
    last: the commitment and its movement are written first (a refusal rolls them back), and
    only the check, the balance update and the audit event run under it until commit. The
    database's ``budget_allotment_never_overspent`` check is the last line of defence. A request
    the committed balance already cannot cover is refused before writing anything: refusing on
    a committed state is as correct as refusing a moment earlier, and it keeps refusals from
    queueing behind the commitments that drained the allotment. Manual commitments need the
    ``budget.add_commitment`` permission over the allotment; other modules commit on behalf of
    their own (already checked) transactions.
    """
    amount = positive_amount(amount)
    if source not in CommitmentSource.values:
        raise InvalidInput({"source": [_("Unknown source of commitment.")]})
    if source == CommitmentSource.MANUAL:
        require_permission(actor=actor, permission="budget.add_commitment", target=Allotment(pk=allotment_id),
                           action=_("commit funds"))
    refuse_if_not_available(Allotment.objects.select_related("certifying_unit").get(pk=allotment_id), amount, currency)
    on = on or timezone.localdate()
    commitment = Commitment.objects.create(
        allotment_id=allotment_id, source=source, source_reference=source_reference, description=description,
        amount=amount, open_amount=amount, currency=currency, raised_on=on, raised_by=actor,
    )
    BudgetMovement.objects.create(allotment_id=allotment_id, commitment=commitment, kind=MovementKind.COMMITTED,
                                  amount=amount, currency=currency, occurred_on=on, actor=actor,
                                  reference=source_reference)
    allotment = locked_allotment(allotment_id)
    refuse_if_not_available(allotment, amount, currency)
    move_balances(allotment, committed=amount)
    record_audit_event(actor=actor, action="budget.commitment.raised", target=commitment,
                       changes={"allotment": allotment.pk, "amount": amount, "currency": currency, "source": source,
                                "reference": source_reference, "available_after": allotment.available_amount})
    return commitment


def locked_commitment(commitment_id: int) -> tuple[Allotment, Commitment]:
    """Lock a commitment's allotment, then the commitment (parents before children)."""
    allotment_id = Commitment.objects.values_list("allotment_id", flat=True).get(pk=commitment_id)
    allotment = locked_allotment(allotment_id)
    commitment = Commitment.objects.select_for_update(no_key=True).get(pk=commitment_id)
    if commitment.status != CommitmentStatus.OPEN:
        raise CommitmentNotOpen(number=commitment.number, status=commitment.get_status_display())
    return allotment, commitment


def liquidate(allotment: Allotment, commitment: Commitment, amount: Decimal) -> None:
    """Move ``amount`` of a locked commitment from committed to expended on its locked allotment.

    A negative amount (a ledger reversal) gives a liquidation back and re-opens a fully
    liquidated commitment. The available balance does not move either way.
    """
    commitment.liquidated_amount += amount
    commitment.open_amount -= amount
    if commitment.open_amount == 0:
        commitment.transition_to(CommitmentStatus.LIQUIDATED)
    elif commitment.status == CommitmentStatus.LIQUIDATED:
        commitment.transition_to(CommitmentStatus.OPEN)
    commitment.save(update_fields=["liquidated_amount", "open_amount", "status"])
    move_balances(allotment, committed=-amount, expended=amount)


@transaction.atomic
def record_expenditure(*, actor, amount: Decimal, currency: str = "USD", commitment_id: int | None = None,
                       allotment_id: int | None = None, reference: str = "", on: date | None = None):
    """Record expenditure: liquidate (part of) a commitment, or charge an allotment directly.

    Expenditure posted in the ledger arrives through ``record_ledger_expenditure`` (an expense
    line names the commitment it liquidates); this service is for expenditure the ledger does
    not carry. Direct charges pass the same hard stop as commitments.
    """
    amount = positive_amount(amount)
    on = on or timezone.localdate()
    if (commitment_id is None) == (allotment_id is None):
        raise InvalidInput({"commitment": [_("Give either the commitment liquidated or the allotment charged.")]})
    if commitment_id is not None:
        allotment, commitment = locked_commitment(commitment_id)
    else:
        allotment, commitment = locked_allotment(allotment_id), None
    require_permission(actor=actor, permission="budget.add_budgetmovement", target=allotment,
                       action=_("record expenditure"))
    check_currency(allotment, currency)
    if commitment is not None:
        if amount > commitment.open_amount:
            raise ExceedsUnliquidatedBalance(requested=amount_text(amount, currency), number=commitment.number,
                                             open=amount_text(commitment.open_amount, currency))
        liquidate(allotment, commitment, amount)
        kind = MovementKind.LIQUIDATED
    else:
        available = allotment.available_amount
        if amount > available:
            raise FundsNotAvailable(requested=amount_text(amount, currency),
                                    available=amount_text(available, currency), allotment=str(allotment))
        move_balances(allotment, expended=amount)
        kind = MovementKind.EXPENDED
    movement = BudgetMovement.objects.create(allotment=allotment, commitment=commitment, kind=kind, amount=amount,
                                             currency=currency, occurred_on=on, actor=actor, reference=reference)
    record_audit_event(actor=actor, action="budget.expenditure.recorded", target=commitment or allotment,
                       changes={"amount": amount, "currency": currency, "kind": kind, "reference": reference})
    return movement


@transaction.atomic
def cancel_commitment(*, actor, commitment_id: int, amount: Decimal | None = None, reason: str = "",
                      on: date | None = None) -> Commitment:
    """Cancel the unliquidated balance of a commitment (or part of it), releasing the funds."""
    allotment, commitment = locked_commitment(commitment_id)
    if commitment.source == CommitmentSource.MANUAL:
        require_permission(actor=actor, permission="budget.add_commitment", target=allotment,
                           action=_("cancel commitments"))
    amount = commitment.open_amount if amount is None else positive_amount(amount)
    if amount > commitment.open_amount:
        raise ExceedsUnliquidatedBalance(requested=amount_text(amount, commitment.currency),
                                         number=commitment.number,
                                         open=amount_text(commitment.open_amount, commitment.currency))
    commitment.cancelled_amount += amount
    commitment.open_amount -= amount
    if commitment.open_amount == 0:
        commitment.transition_to(
            CommitmentStatus.LIQUIDATED if commitment.liquidated_amount > 0 else CommitmentStatus.CANCELLED)
    commitment.save(update_fields=["cancelled_amount", "open_amount", "status"])
    move_balances(allotment, committed=-amount)
    BudgetMovement.objects.create(allotment=allotment, commitment=commitment, kind=MovementKind.CANCELLED,
                                  amount=amount, currency=commitment.currency, occurred_on=on or timezone.localdate(),
                                  actor=actor, reference=reason[:100])
    record_audit_event(actor=actor, action="budget.commitment.cancelled", target=commitment,
                       changes={"amount": amount, "reason": reason})
    return commitment


@transaction.atomic
def redeploy_funds(*, actor, from_allotment_id: int, to_allotment_id: int, amount: Decimal, reason: str,
                   on: date | None = None) -> Redeployment:
    """Move unencumbered funds between object classes of one appropriation and certifying unit.

    Rules: only an officer holding a delegation of the ``budget_redeployment`` authority over
    the unit, up to its limit; only the available balance moves; posts are neither a source nor a
    destination (post resources are redeployed only with the General Assembly's approval).
    """
    amount = positive_amount(amount)
    if from_allotment_id == to_allotment_id:
        raise RedeploymentNotAllowed(reason=_("the two allotments are the same"))
    ids = sorted([from_allotment_id, to_allotment_id])
    appropriation_ids = set(Allotment.objects.filter(pk__in=ids).values_list("appropriation_id", flat=True))
    if len(appropriation_ids) != 1:
        raise RedeploymentNotAllowed(reason=_("funds can be redeployed only within one appropriation"))
    Appropriation.objects.select_for_update(no_key=True).get(pk=appropriation_ids.pop())
    locked = {a.pk: a for a in Allotment.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}
    if to_allotment_id not in locked:
        raise InvalidInput({"to_allotment": [_("There is no such allotment.")]})
    source, destination = locked[from_allotment_id], locked[to_allotment_id]
    if source.certifying_unit_id != destination.certifying_unit_id:
        raise RedeploymentNotAllowed(reason=_("both allotments must belong to the same certifying unit"))
    if ObjectOfExpenditure.POSTS in (source.object_of_expenditure, destination.object_of_expenditure):
        raise RedeploymentNotAllowed(reason=_("post resources are redeployed only with the approval of the "
                                              "General Assembly"))
    if not reason.strip():
        raise InvalidInput({"reason": [_("Give the reason for the redeployment.")]})
    require_authority(user=actor, authority=REDEPLOYMENT_AUTHORITY, amount=amount, currency=source.currency,
                      target=source.certifying_unit, on=on)
    if amount > source.available_amount:
        raise FundsNotAvailable(requested=amount_text(amount, source.currency),
                                available=amount_text(source.available_amount, source.currency),
                                allotment=str(source))
    move_balances(source, amount=-amount)
    move_balances(destination, amount=amount)
    on = on or timezone.localdate()
    redeployment = Redeployment.objects.create(from_allotment=source, to_allotment=destination, amount=amount,
                                               currency=source.currency, reason=reason, authorised_by=actor)
    for allotment, kind in ((source, MovementKind.REDEPLOYED_OUT), (destination, MovementKind.REDEPLOYED_IN)):
        BudgetMovement.objects.create(allotment=allotment, kind=kind, amount=amount, currency=source.currency,
                                      occurred_on=on, actor=actor, reference=f"RDP-{redeployment.pk}")
    record_audit_event(actor=actor, action="budget.funds.redeployed", target=redeployment,
                       changes={"from": str(source), "to": str(destination), "amount": amount, "reason": reason})
    return redeployment


@transaction.atomic
def record_reconciliation_item(*, actor, fund_code: str, period_start_on: date, kind: str, description: str,
                               amount: Decimal, cash_flow_activity: str = "operating",
                               currency: str = "USD") -> CashFlowReconciliationItem:
    """Enter an entity, timing or presentation difference for the IPSAS 24 reconciliation."""
    require_permission(actor=actor, permission="budget.add_cashflowreconciliationitem",
                       action=_("record reconciliation items"))
    if kind not in ReconciliationKind.values:
        raise InvalidInput({"kind": [_("Unknown kind of difference.")]})
    item = CashFlowReconciliationItem.objects.create(
        fund_code=fund_code, period_start_on=period_start_on, kind=kind, description=description,
        amount=Decimal(amount).quantize(AMOUNT_PLACES), cash_flow_activity=cash_flow_activity, currency=currency,
        recorded_by=actor,
    )
    record_audit_event(actor=actor, action="budget.reconciliation_item.recorded", target=item,
                       changes={"fund": fund_code, "kind": kind, "amount": amount, "description": description})
    return item


# --- Expenditure from the ledger (ADR 0053) -----------------------------------------------------

# The object class an expense account charges. Sub-accounts charge their parent's object class;
# expense accounts not listed (depreciation, exchange differences) are not budget expenditure.
LEDGER_OBJECT_CLASSES = {
    "5110": ObjectOfExpenditure.POSTS,
    "5210": ObjectOfExpenditure.GRANTS_AND_CONTRIBUTIONS,
    "5310": ObjectOfExpenditure.SUPPLIES_AND_MATERIALS,
    "5410": ObjectOfExpenditure.TRAVEL_OF_STAFF,
    "5910": ObjectOfExpenditure.GENERAL_OPERATING_EXPENSES,
}

# The commitment key of expenditure charged to an allotment without a commitment.
DIRECT = None

# Reversing an entry charges again (+1) or gives back (−1) what each of its movements recorded.
REVERSAL_SIGNS = {
    MovementKind.EXPENDED: -1,
    MovementKind.EXPENDITURE_REVERSED: 1,
    MovementKind.LIQUIDATED: -1,
    MovementKind.LIQUIDATION_REVERSED: 1,
}

# (journal entry id, allotment id, id of the commitment liquidated or DIRECT) → net USD.
LedgerCharges = dict[tuple[int, int, int | None], Decimal]


class ExpenditureNotAttributable(DomainError):
    code = "expenditure_not_attributable"
    message = _("Journal entry %(entry)s cannot be charged to one allotment: %(reason)s.")


def allotment_charged(entry, row: dict) -> int | None:
    """The allotment an expense line charges, or None when no allotment covers it.

    The allotment issued to the line's cost centre, for its account's object class, under the
    approved appropriation of its fund whose period covers the entry's date.
    """
    object_class = LEDGER_OBJECT_CLASSES.get(row["account"]) or LEDGER_OBJECT_CLASSES.get(row["object_class"])
    if row["cost_centre"] is None or object_class is None:
        return None
    allotment_ids = list(Allotment.objects.filter(
        appropriation__fund__code=row["fund"], appropriation__status=AppropriationStatus.APPROVED,
        appropriation__period_start_on__lte=entry.entry_on, appropriation__period_end_on__gte=entry.entry_on,
        certifying_unit_id=row["cost_centre"], object_of_expenditure=object_class,
    ).values_list("pk", flat=True))
    if len(allotment_ids) > 1:
        raise ExpenditureNotAttributable(
            entry=entry.number, reason=_("more than one allotment covers its fund, cost centre and object class"))
    return allotment_ids[0] if allotment_ids else None


def refuse_unless_open(entry, commitment: Commitment) -> None:
    if commitment.status != CommitmentStatus.OPEN:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_("commitment %(number)s is %(status)s") % {
            "number": commitment.number, "status": commitment.get_status_display()})


def commitment_named(entry, obligation: str, allotment_id: int | None) -> int:
    """The open commitment an expense line names as its obligation, on the allotment the line charges."""
    pk = Commitment.pk_from_number(obligation)
    commitment = Commitment.objects.filter(pk=pk).select_related("allotment__certifying_unit").first() if pk else None
    if commitment is None:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_(
            "it names %(obligation)s, which is not the number of a commitment") % {"obligation": obligation})
    if commitment.allotment_id != allotment_id:
        raise ExpenditureNotAttributable(entry=entry.number, reason=_(
            "commitment %(number)s is held on allotment %(allotment)s, which does not cover the line that names "
            "it") % {"number": commitment.number, "allotment": str(commitment.allotment)})
    refuse_unless_open(entry, commitment)
    return commitment.pk


def original_charges(originals) -> LedgerCharges:
    """Net USD of the expense lines of posted entries per entry, allotment and commitment named.

    Lines no allotment covers are outside budgetary control, unless they name a commitment: then
    the reference is wrong, and a silent skip would leave the commitment open and the allotment
    charged twice. A net credit naming a commitment is refused: only the reversal of the entry
    that liquidated it gives a liquidation back.
    """
    by_pk = {entry.pk: entry for entry in originals}
    charges: LedgerCharges = defaultdict(Decimal)
    for row in ledger.posted_amounts(
            group_by=("entry", "fund", "account", "object_class", "cost_centre", "obligation"),
            entry_ids=list(by_pk), account_type="expense"):
        if row["amount_usd"] == 0:
            continue
        entry = by_pk[row["entry"]]
        allotment_id = allotment_charged(entry, row)
        commitment_id = commitment_named(entry, row["obligation"], allotment_id) if row["obligation"] else DIRECT
        if allotment_id is not None:
            charges[(entry.pk, allotment_id, commitment_id)] += row["amount_usd"]
    for (entry_id, _allotment_id, commitment_id), amount in charges.items():
        if commitment_id is not DIRECT and amount < 0:
            raise ExpenditureNotAttributable(entry=by_pk[entry_id].number, reason=_(
                "it credits commitment %(number)s; a liquidation is given back by reversing the entry that "
                "recorded it") % {"number": Commitment(pk=commitment_id).number})
    return charges


def reversal_charges(reversals) -> LedgerCharges:
    """Exactly the opposite of what each reversed entry recorded, whatever the allotments look like today."""
    by_original = {entry.reverses_id: entry for entry in reversals}
    charges: LedgerCharges = defaultdict(Decimal)
    for movement in BudgetMovement.objects.filter(journal_entry_id__in=by_original).order_by("pk"):
        key = (by_original[movement.journal_entry_id].pk, movement.allotment_id, movement.commitment_id)
        charges[key] += REVERSAL_SIGNS[movement.kind] * movement.amount
    return charges


def ledger_charges(entries) -> LedgerCharges:
    """Net USD expenditure (debits − credits) per (journal entry, allotment, commitment or DIRECT).

    An expense line charges the allotment that covers it (``allotment_charged``); one that names a
    commitment (``JournalLine.obligation``) liquidates it. A reversal charges exactly the opposite
    of what its original recorded.
    """
    charges = reversal_charges([entry for entry in entries if entry.reverses_id])
    originals = [entry for entry in entries if not entry.reverses_id]
    if originals:
        charges.update(original_charges(originals))
    return charges


def record_ledger_movement(*, entry, allotment: Allotment, kind: str, amount: Decimal, actor,
                           commitment: Commitment | None = None) -> BudgetMovement:
    """The movement of a posting on an allotment (and commitment), with its audit event."""
    movement = BudgetMovement.objects.create(
        allotment=allotment, commitment=commitment, kind=kind, amount=amount, currency="USD",
        occurred_on=entry.entry_on, actor=actor, reference=entry.number, journal_entry=entry)
    changes = {"journal_entry": entry.number, "kind": kind, "amount": amount, "currency": "USD",
               "available_after": allotment.available_amount}
    if commitment is not None:
        changes["commitment"] = commitment.number
    record_audit_event(actor=actor, action="budget.expenditure.recorded_from_ledger",
                       target=commitment or allotment, changes=changes)
    return movement


def charge_from_ledger(*, entry, allotment: Allotment, amount: Decimal, actor) -> BudgetMovement:
    """Charge a locked allotment directly (a negative amount gives expenditure back): the hard stop."""
    refuse_if_not_available(allotment, amount, "USD")
    if -amount > allotment.expended_amount:
        raise ExpenditureNotAttributable(
            entry=entry.number, reason=_("it gives back more than the allotment's recorded expenditure"))
    move_balances(allotment, expended=amount)
    kind = MovementKind.EXPENDED if amount > 0 else MovementKind.EXPENDITURE_REVERSED
    return record_ledger_movement(entry=entry, allotment=allotment, kind=kind, amount=abs(amount), actor=actor)


def liquidate_from_ledger(*, entry, allotment: Allotment, commitment: Commitment, amount: Decimal,
                          actor) -> tuple[BudgetMovement, Decimal]:
    """Liquidate a locked commitment up to its open balance (a negative amount, from a reversal,
    gives a liquidation back); returns the movement and the excess to charge the allotment directly.

    The commitment's state is checked again under its lock: a cancellation may have closed it
    since the lines were read.
    """
    if amount > 0:
        refuse_unless_open(entry, commitment)
    liquidated = min(amount, commitment.open_amount)
    liquidate(allotment, commitment, liquidated)
    kind = MovementKind.LIQUIDATED if liquidated > 0 else MovementKind.LIQUIDATION_REVERSED
    movement = record_ledger_movement(entry=entry, allotment=allotment, kind=kind, amount=abs(liquidated),
                                      actor=actor, commitment=commitment)
    return movement, amount - liquidated


def charges_per_entry_and_allotment(charges: LedgerCharges) -> list[tuple[tuple[int, int], dict]]:
    grouped: dict[tuple[int, int], dict] = defaultdict(dict)
    for (entry_id, allotment_id, commitment_id), amount in charges.items():
        grouped[(entry_id, allotment_id)][commitment_id] = amount
    return sorted(grouped.items())


@transaction.atomic
def record_ledger_expenditure(*, entries, actor) -> list[BudgetMovement]:
    """Record the expenditure in journal entries just posted against the allotments they charge.

    Finance calls this inside the posting transaction (posting listener registered in
    ``BudgetConfig.ready``), after its own locks: allotments are locked here in primary-key
    order, then the commitments named. Per entry and allotment, lines naming a commitment
    liquidate it up to its open balance (committed → expended, the available balance does not
    move); the rest, with any excess, is charged directly, and a net charge beyond the available
    balance refuses the posting (``FundsNotAvailable``, the hard stop). A reversal gives back
    exactly what its original recorded, re-opening what it liquidated. Idempotent: an entry with
    movements is never counted again, and unique constraints on (journal entry, allotment) for
    direct charges and (journal entry, commitment) for liquidations back that up. No permission
    check: posting is the authority, and it was checked by finance.
    """
    recorded = set(BudgetMovement.objects.filter(journal_entry_id__in=[e.pk for e in entries])
                   .values_list("journal_entry_id", flat=True))
    entries = {entry.pk: entry for entry in entries if entry.pk not in recorded}
    charges = {key: amount for key, amount in ledger_charges(list(entries.values())).items() if amount != 0}
    if not charges:
        return []
    allotments = {a.pk: a for a in Allotment.objects.select_for_update(no_key=True)
                  .filter(pk__in=sorted({allotment_id for _entry, allotment_id, _c in charges})).order_by("pk")}
    commitments = {c.pk: c for c in Commitment.objects.select_for_update(no_key=True).filter(
        pk__in=sorted({c for _entry, _allotment, c in charges if c is not DIRECT})).order_by("pk")}
    movements = []
    for (entry_id, allotment_id), by_commitment in charges_per_entry_and_allotment(charges):
        entry, allotment = entries[entry_id], allotments[allotment_id]
        check_currency(allotment, "USD")
        direct = by_commitment.pop(DIRECT, Decimal("0"))
        for commitment_id, amount in sorted(by_commitment.items()):
            movement, excess = liquidate_from_ledger(entry=entry, allotment=allotment,
                                                     commitment=commitments[commitment_id], amount=amount, actor=actor)
            movements.append(movement)
            direct += excess
        if direct:
            movements.append(charge_from_ledger(entry=entry, allotment=allotment, amount=direct, actor=actor))
    return movements
