"""Resource requirements and posts of a section."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.budget.exceptions import (
    ApprovedTableFrozen,
    ResourceTableDoesNotFoot,
    StagePassed,
)
from secretariat.budget.models import (
    STAGE_ORDER,
    BudgetSection,
    FundingSource,
    ObjectOfExpenditure,
    PostGrade,
    PostLine,
    ResourceLine,
    ResourceStage,
    ResourceVersion,
)
from secretariat.budget.selectors import version_changes
from secretariat.budget.services.structure import require_plan_editor
from secretariat.core.audit import record_audit_event
from secretariat.core.currencies import exceeds_minor_units, minor_units
from secretariat.core.exceptions import InvalidInput

# --- Resource requirements ---------------------------------------------------------------------

# What was spent and what is appropriated or estimated is never below zero; changes and recosting
# may be. Every amount carries at most its currency's decimals (whole cents for US dollars).
NOT_NEGATIVE = {"prior_expenditure": _("the expenditure"), "current_appropriation": _("the appropriation"),
                "estimate_before_recosting": _("the estimate before recosting"),
                "estimate_after_recosting": _("the estimate after recosting")}


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


def resource_row_problems(number: int, row: ResourceInput, components: dict,
                          currency: str) -> tuple[list[str], dict | None]:
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
        return problems, None
    values = {column: Decimal(value) for column, value in values.items()}
    for column, what in NOT_NEGATIVE.items():
        if values[column] < 0:
            problems.append(_("%(row)s: %(what)s cannot be negative (only changes and recosting can).") % {
                "row": label, "what": what})
    if any(exceeds_minor_units(value, currency) for value in values.values()):
        problems.append(_("%(row)s: an amount has more decimals than %(currency)s allows (%(places)s); amounts "
                          "are in %(currency)s, not thousands.") % {"row": label, "currency": currency,
                                                                     "places": minor_units(currency)})
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


# What a new version copies of the previous one's posts when the submission leaves them out.
POST_LINE_FIELDS = ["component_id", "funding_source", "grade", "approved_count", "technical_adjustments",
                    "new_mandates", "other_changes", "proposed_count", "temporary_count"]


def next_version(section: BudgetSection, stage: str | None) -> tuple[int, str, ResourceVersion | None]:
    """The number and stage of the section's next version, and the version it follows.

    Stages only move forward; the Assembly's approval is entered once, and a change after it is
    a revised appropriation (ADR 0054).
    """
    latest = section.resource_versions.order_by("-number").first()
    stage = stage or (latest.stage if latest else ResourceStage.PROPOSED)
    if stage not in ResourceStage.values:
        raise InvalidInput({"stage": [_("Unknown stage.")]})
    if latest is not None:
        if STAGE_ORDER.index(stage) < STAGE_ORDER.index(latest.stage):
            raise StagePassed(stage=ResourceStage(stage).label, current=str(latest))
        if stage == latest.stage == ResourceStage.APPROVED:
            raise ApprovedTableFrozen(version=str(latest))
    return (latest.number + 1 if latest else 1), stage, latest


@transaction.atomic
def set_resource_requirements(*, actor, section: BudgetSection, lines: list[ResourceInput],
                              posts: list[PostInput] | None = None, stated_totals: dict | None = None,
                              stated_post_totals: dict | None = None, stage: str | None = None,
                              reference: str = "", clear: bool = False) -> ResourceVersion:
    """Enter a new version of the section's resource table (lines and posts) that foots.

    Every row must cross-foot (appropriation + changes = estimate before recosting; + recosting
    = estimate after recosting), carry no more decimals than the section's currency, and keep
    expenditure, appropriation and estimates at zero or more; every stated column total (per
    funding source) must equal the sum of its rows. Any problem refuses the whole table: nothing
    is written. The new version is at ``stage`` (by default the latest version's); without
    ``posts`` it keeps the posts of the version before. An empty table removes every line, so it
    is refused unless ``clear`` says that is meant.
    """
    require_plan_editor(actor, section)
    section = BudgetSection.objects.select_for_update(no_key=True).get(pk=section.pk)
    if not lines and not clear:
        raise InvalidInput({"lines": [_("An empty table would remove every resource line of the section; to do "
                                        "that, say so with clear.")]})
    number, stage, previous = next_version(section, stage)
    components = {c.code: c for c in section.components.all()}
    problems: list[str] = []
    resource_rows, post_rows = [], []
    totals: dict[str, dict[str, Decimal]] = {}
    seen = set()
    for row_number, row in enumerate(lines, start=1):
        row_problems, values = resource_row_problems(row_number, row, components, section.currency)
        key = (row.component, row.object_of_expenditure, row.funding_source)
        if key in seen:
            row_problems.append(_("Row %(number)s repeats an earlier row's component, object and source.") % {
                "number": row_number})
        seen.add(key)
        problems.extend(row_problems)
        if values is not None:
            resource_rows.append((row, values))
            source_totals = totals.setdefault(row.funding_source, {})
            for column, value in values.items():
                source_totals[column] = source_totals.get(column, Decimal("0")) + value
    post_totals: dict[str, dict[str, int]] = {}
    seen = set()
    for row_number, row in enumerate(posts or [], start=1):
        row_problems, values = post_row_problems(row_number, row, components)
        key = (row.component, row.funding_source, row.grade)
        if key in seen:
            row_problems.append(_("Post row %(number)s repeats an earlier row's component, source and grade.") % {
                "number": row_number})
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

    version = ResourceVersion.objects.create(section=section, number=number, stage=stage, reference=reference,
                                             created_by=actor)
    ResourceLine.objects.bulk_create(ResourceLine(
        version=version, component=components[row.component], object_of_expenditure=row.object_of_expenditure,
        funding_source=row.funding_source, currency=section.currency,
        prior_expenditure_amount=values["prior_expenditure"],
        current_appropriation_amount=values["current_appropriation"],
        technical_adjustments_amount=values["technical_adjustments"], new_mandates_amount=values["new_mandates"],
        other_changes_amount=values["other_changes"],
        estimate_before_recosting_amount=values["estimate_before_recosting"], recosting_amount=values["recosting"],
        estimate_after_recosting_amount=values["estimate_after_recosting"],
    ) for row, values in resource_rows)
    if posts is not None:
        PostLine.objects.bulk_create(PostLine(
            version=version, component=components[row.component], funding_source=row.funding_source,
            grade=row.grade, approved_count=row.approved, technical_adjustments=row.technical_adjustments,
            new_mandates=row.new_mandates, other_changes=row.other_changes, proposed_count=values["proposed"],
            temporary_count=row.temporary,
        ) for row, values in post_rows)
    elif previous is not None:
        PostLine.objects.bulk_create(
            PostLine(**{field: getattr(line, field) for field in POST_LINE_FIELDS}, version=version)
            for line in previous.post_lines.all())
    record_audit_event(actor=actor, action="budget.resources.version_entered", target=section, changes={
        "version": number, "stage": stage, "reference": reference, "lines": len(resource_rows),
        "posts_kept_from": previous.number if posts is None and previous else None,
        "changes": [change.as_audit() for change in version_changes(version)] if previous else [],
    })
    return version
