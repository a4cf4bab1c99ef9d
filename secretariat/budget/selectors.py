"""Reads of the budget: record-level access, the standard resource tables (with the footing
checks a budget officer makes), budgetary-control balances, the IPSAS 24 statement and the
programme performance dashboard."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from secretariat.budget.figures import ONE_DECIMAL, ZEROES, Quantity, add_up, checked
from secretariat.budget.models import (
    GENERAL_SERVICE_AND_RELATED,
    PROFESSIONAL_AND_HIGHER,
    Allotment,
    Appropriation,
    BudgetComponent,
    BudgetMovement,
    BudgetSection,
    CashFlowReconciliationItem,
    Commitment,
    CommitmentStatus,
    ComponentKind,
    FundingSource,
    IndicatorDirection,
    MovementKind,
    ObjectOfExpenditure,
    PostGrade,
    PostLine,
    ReconciliationKind,
    ResourceLine,
    ResourceVersion,
)
from secretariat.core.access import scoped

ZERO = Decimal("0")


# --- Access ------------------------------------------------------------------------------------

def sections_visible_to(*, actor) -> QuerySet:
    return scoped(BudgetSection.objects.select_related("org_unit"), actor=actor,
                  permission="budget.view_budgetsection")


def accessible_section(*, actor, section_id: int) -> BudgetSection:
    """The section, or not-found for both missing and forbidden."""
    section = sections_visible_to(actor=actor).filter(pk=section_id).first()
    if section is None:
        raise Http404
    return section


def allotments_visible_to(*, actor) -> QuerySet:
    return scoped(
        Allotment.objects.select_related("appropriation__section", "certifying_unit"), actor=actor,
        permission="budget.view_allotment",
    )


def accessible_allotment(*, actor, allotment_id: int) -> Allotment:
    allotment = allotments_visible_to(actor=actor).filter(pk=allotment_id).first()
    if allotment is None:
        raise Http404
    return allotment


def appropriations_visible_to(*, actor) -> QuerySet:
    return scoped(Appropriation.objects.select_related("section"), actor=actor,
                  permission="budget.view_appropriation")


def commitments_visible_to(*, actor) -> QuerySet:
    return scoped(Commitment.objects.select_related("allotment__certifying_unit"), actor=actor,
                  permission="budget.view_commitment")


def available_funds(*, allotment: Allotment) -> Decimal:
    """Allotment − unliquidated commitments − expenditure, read fresh from the database."""
    row = Allotment.objects.values("amount", "committed_amount", "expended_amount").get(pk=allotment.pk)
    return row["amount"] - row["committed_amount"] - row["expended_amount"]


def balances_from_movements(*, allotment: Allotment) -> dict[str, Decimal]:
    """The allotment's balances recomputed from its movement journal (to check the running ones)."""
    sums = {row["kind"]: row["total"] for row in
            BudgetMovement.objects.filter(allotment=allotment).values("kind").annotate(total=Sum("amount"))}

    def total(kind):
        return sums.get(kind, ZERO)

    return {
        "amount": total(MovementKind.ALLOTTED) + total(MovementKind.REDEPLOYED_IN) - total(MovementKind.REDEPLOYED_OUT),
        "committed": (total(MovementKind.COMMITTED) - total(MovementKind.LIQUIDATED) - total(MovementKind.CANCELLED)
                      + total(MovementKind.LIQUIDATION_REVERSED)),
        "expended": (total(MovementKind.LIQUIDATED) + total(MovementKind.EXPENDED)
                     - total(MovementKind.EXPENDITURE_REVERSED) - total(MovementKind.LIQUIDATION_REVERSED)),
    }


# --- Standard tables ---------------------------------------------------------------------------

def percentage(change: Decimal, base: Decimal) -> Decimal | None:
    """Change as a percentage of the base, rounded half-up to one decimal, as the fascicles print it."""
    if not base:
        return None
    return (Decimal(change) * 100 / Decimal(base)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class Column:
    key: str
    label: str
    quantity: Quantity = Quantity.AMOUNT

    @property
    def is_percentage(self) -> bool:
        return self.quantity == Quantity.PERCENTAGE


@dataclass
class Row:
    label: str
    values: dict
    kind: str = "line"  # line | subtotal | total
    members: list = field(default_factory=list)  # indices of the rows a subtotal or total adds up
    level: int = 0


@dataclass
class StandardTable:
    """A table as printed, plus the arithmetic it must satisfy.

    ``row_identities`` are (result column, [(sign, column), ...]) that every row must satisfy
    (cross-footing); ``percentages`` are (result column, change column, base column).
    Subtotal and total rows must equal the sum of their member rows (footing).
    """

    code: str
    title: str
    columns: list[Column]
    rows: list[Row]
    row_identities: list = field(default_factory=list)
    percentages: list = field(default_factory=list)
    unit: str = ""

    @property
    def added_columns(self) -> list[Column]:
        """The columns whose subtotals and totals add up their rows (percentages are recomputed)."""
        return [c for c in self.columns if not c.is_percentage]

    def quantity_of(self, key: str) -> Quantity:
        return next(c.quantity for c in self.columns if c.key == key)


def figure(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{Decimal(value):,.2f}"


def footing_problems(table: StandardTable) -> list[str]:
    """Every check a budget officer makes: rows cross-foot, totals foot, percentages recompute."""
    labels = {column.key: column.label for column in table.columns}
    problems = []

    def problem(message, row, column, stated, expected):
        problems.append(str(message % {"table": table.title, "row": row.label, "column": labels.get(column, column),
                                       "stated": figure(stated), "expected": figure(expected)}))

    for row in table.rows:
        for result, terms in table.row_identities:
            quantity = table.quantity_of(result)
            expected = add_up((sign * checked(row.values.get(column) or ZEROES[quantity], quantity)
                               for sign, column in terms), quantity)
            if (row.values.get(result) or ZEROES[quantity]) != expected:
                problem(_("%(table)s, %(row)s: %(column)s is %(stated)s but should be %(expected)s."),
                        row, result, row.values.get(result), expected)
        for result, change, base in table.percentages:
            expected = percentage(row.values.get(change) or ZERO, row.values.get(base) or ZERO)
            if row.values.get(result) != expected:
                problem(_("%(table)s, %(row)s: %(column)s is %(stated)s but should be %(expected)s."),
                        row, result, row.values.get(result), expected)
        if row.members:
            for column in table.added_columns:
                expected = add_up((table.rows[i].values.get(column.key) for i in row.members), column.quantity)
                if (row.values.get(column.key) or ZEROES[column.quantity]) != expected:
                    problem(_("%(table)s, %(row)s: %(column)s is %(stated)s but its rows add up to %(expected)s."),
                            row, column.key, row.values.get(column.key), expected)
    return problems


RESOURCE_TABLE_COLUMNS = [
    ("prior_expenditure", "prior_expenditure_amount"),
    ("current_appropriation", "current_appropriation_amount"),
    ("technical_adjustments", "technical_adjustments_amount"),
    ("new_mandates", "new_mandates_amount"),
    ("other_changes", "other_changes_amount"),
    ("estimate_before_recosting", "estimate_before_recosting_amount"),
    ("recosting", "recosting_amount"),
    ("estimate_after_recosting", "estimate_after_recosting_amount"),
]
CHANGE_PARTS = [(1, "technical_adjustments"), (1, "new_mandates"), (1, "other_changes")]


def resource_columns(section: BudgetSection) -> list[Column]:
    return [
        Column("prior_expenditure", str(_("%(year)s expenditure") % {"year": section.prior_year})),
        Column("current_appropriation", str(_("%(year)s appropriation") % {"year": section.current_year})),
        Column("technical_adjustments", str(_("Technical adjustments"))),
        Column("new_mandates", str(_("New and expanded mandates"))),
        Column("other_changes", str(_("Other"))),
        Column("total_change", str(_("Total change"))),
        Column("percentage_change", str(_("Percentage")), Quantity.PERCENTAGE),
        Column("estimate_before_recosting", str(_("%(year)s estimate before recosting") % {
            "year": section.budget_year})),
        Column("recosting", str(_("Recosting"))),
        Column("estimate_after_recosting", str(_("%(year)s estimate after recosting") % {
            "year": section.budget_year})),
    ]


RESOURCE_IDENTITIES = [
    ("total_change", CHANGE_PARTS),
    ("estimate_before_recosting", [(1, "current_appropriation"), *CHANGE_PARTS]),
    ("estimate_after_recosting", [(1, "estimate_before_recosting"), (1, "recosting")]),
]


def resource_values(queryset) -> dict:
    sums = queryset.aggregate(**{key: Sum(column) for key, column in RESOURCE_TABLE_COLUMNS})
    values = {key: (sums[key] or ZERO) for key, _column in RESOURCE_TABLE_COLUMNS}
    values["total_change"] = values["technical_adjustments"] + values["new_mandates"] + values["other_changes"]
    values["percentage_change"] = percentage(values["total_change"], values["current_appropriation"])
    return values


def with_total(columns: list[Column], rows: list[Row], label) -> list[Row]:
    members = [i for i, row in enumerate(rows) if row.kind == "line"]
    return rows + [Row(str(label), sum_values(columns, rows, members), kind="total", members=members)]


def sum_values(columns: list[Column], rows: list[Row], members: list[int]) -> dict:
    """The member rows added up column by column, each in its own kind of figure."""
    values = {column.key: add_up((rows[i].values.get(column.key) for i in members), column.quantity)
              for column in columns if not column.is_percentage}
    if "total_change" in values and "current_appropriation" in values:
        values["percentage_change"] = percentage(values["total_change"], values["current_appropriation"])
    return values


def resources_by_object(*, section: BudgetSection, version: ResourceVersion | None = None,
                        funding_source: str = FundingSource.REGULAR_BUDGET) -> StandardTable:
    """Financial resources by object of expenditure (Table 29C.11 shape)."""
    lines = ResourceLine.objects.filter(version=version or latest_version(section), funding_source=funding_source)
    rows = [Row(str(label), resource_values(lines.filter(object_of_expenditure=value)))
            for value, label in ObjectOfExpenditure.choices]
    columns = resource_columns(section)
    return StandardTable(
        "resources_by_object", str(_("Financial resources by object of expenditure (%(source)s)") % {
            "source": FundingSource(funding_source).label}),
        columns, with_total(columns, rows, _("Total")), RESOURCE_IDENTITIES,
        [("percentage_change", "total_change", "current_appropriation")], str(_("Thousands of United States dollars")),
    )


def ordered_components(section: BudgetSection) -> list[BudgetComponent]:
    return list(section.components.filter(parent__isnull=True).order_by("position", "code"))


OTHER_SOURCES = (FundingSource.OTHER_ASSESSED, FundingSource.EXTRABUDGETARY)
# The three years of the by-component table: (column suffix, regular budget column of that year).
ALL_SOURCES_YEARS = (("prior", "prior_expenditure"), ("current", "current_appropriation"),
                     ("estimate", "estimate_after_recosting"))


def resources_by_component(*, section: BudgetSection, version: ResourceVersion | None = None) -> StandardTable:
    """Resources by component/subprogramme and funding source (Table 29C.14 shape).

    Regular budget with its full evolution; other assessed and extrabudgetary with prior-year
    expenditure, current estimate and the budget-year estimate. Programme of work subprogrammes
    carry a subtotal (B).
    """
    version = version or latest_version(section)
    columns = resource_columns(section)
    for source in OTHER_SOURCES:
        columns += [
            Column(f"{source}_prior", str(_("%(source)s: %(year)s expenditure") % {
                "source": source.label, "year": section.prior_year})),
            Column(f"{source}_current", str(_("%(source)s: %(year)s estimate") % {
                "source": source.label, "year": section.current_year})),
            Column(f"{source}_estimate", str(_("%(source)s: %(year)s estimate") % {
                "source": source.label, "year": section.budget_year})),
        ]
    columns += [
        Column("all_sources_prior", str(_("Total, all sources: %(year)s expenditure") % {"year": section.prior_year})),
        Column("all_sources_current", str(_("Total, all sources: %(year)s estimate") % {
            "year": section.current_year})),
        Column("all_sources_estimate", str(_("Total, all sources: %(year)s estimate") % {
            "year": section.budget_year})),
    ]

    def component_values(component_ids) -> dict:
        lines = ResourceLine.objects.filter(version=version, component_id__in=component_ids)
        values = resource_values(lines.filter(funding_source=FundingSource.REGULAR_BUDGET))
        for source in OTHER_SOURCES:
            other = resource_values(lines.filter(funding_source=source))
            for suffix, key in ALL_SOURCES_YEARS:
                values[f"{source}_{suffix}"] = other[key]
        for suffix, key in ALL_SOURCES_YEARS:
            values[f"all_sources_{suffix}"] = add_up(
                [values[key]] + [values[f"{source}_{suffix}"] for source in OTHER_SOURCES], Quantity.AMOUNT)
        return values

    rows: list[Row] = []
    programme_rows: list[int] = []
    line_rows: list[int] = []
    programme_of_work = []
    for component in ordered_components(section):
        ids = [component.pk, *component.children.values_list("pk", flat=True)]
        if component.kind == ComponentKind.SUBPROGRAMME:
            programme_of_work.append((component, ids))
            continue
        line_rows.append(len(rows))
        rows.append(Row(str(component), component_values(ids)))
    if programme_of_work:
        rows.append(Row(str(_("B. Programme of work")), {}, kind="heading"))
        for component, ids in programme_of_work:
            programme_rows.append(len(rows))
            rows.append(Row(str(component), component_values(ids), level=1))
        rows.append(Row(str(_("Subtotal, B")), sum_values(columns, rows, programme_rows), kind="subtotal",
                        members=programme_rows))
    members = line_rows + programme_rows
    rows.append(Row(str(_("Total")), sum_values(columns, rows, members), kind="total", members=members))
    identities = RESOURCE_IDENTITIES + [
        (f"all_sources_{suffix}", [(1, key)] + [(1, f"{source}_{suffix}") for source in OTHER_SOURCES])
        for suffix, key in ALL_SOURCES_YEARS]
    return StandardTable(
        "resources_by_component", str(_("Financial resources by component, subprogramme and funding source")),
        columns, rows, identities, [("percentage_change", "total_change", "current_appropriation")],
        str(_("Thousands of United States dollars")),
    )


POST_COLUMNS = [("approved", "approved_count"), ("technical_adjustments", "technical_adjustments"),
                ("new_mandates", "new_mandates"), ("other_changes", "other_changes"), ("proposed", "proposed_count")]


def post_values(queryset) -> dict:
    sums = queryset.aggregate(**{key: Sum(column) for key, column in POST_COLUMNS})
    values = {key: (sums[key] or 0) for key, _column in POST_COLUMNS}
    values["total_change"] = values["technical_adjustments"] + values["new_mandates"] + values["other_changes"]
    return values


def post_columns(section: BudgetSection) -> list[Column]:
    return [
        Column("approved", str(_("%(year)s approved") % {"year": section.current_year}), Quantity.COUNT),
        Column("technical_adjustments", str(_("Technical adjustments")), Quantity.COUNT),
        Column("new_mandates", str(_("New and expanded mandates")), Quantity.COUNT),
        Column("other_changes", str(_("Other")), Quantity.COUNT),
        Column("total_change", str(_("Total change")), Quantity.COUNT),
        Column("proposed", str(_("%(year)s proposed") % {"year": section.budget_year}), Quantity.COUNT),
    ]


POST_IDENTITIES = [("total_change", CHANGE_PARTS), ("proposed", [(1, "approved"), *CHANGE_PARTS])]


def posts_by_grade(*, section: BudgetSection, version: ResourceVersion | None = None,
                   funding_source: str = FundingSource.REGULAR_BUDGET) -> StandardTable:
    """Posts by category and grade with their changes (Tables 29C.12–13 shape)."""
    lines = PostLine.objects.filter(version=version or latest_version(section), funding_source=funding_source)
    columns = post_columns(section)
    rows: list[Row] = []
    category_rows = []
    for category_label, grades in ((_("Professional and higher"), PROFESSIONAL_AND_HIGHER),
                                   (_("General Service and related"), GENERAL_SERVICE_AND_RELATED)):
        members = []
        for grade in grades:
            members.append(len(rows))
            rows.append(Row(str(PostGrade(grade).label), post_values(lines.filter(grade=grade)), level=1))
        category_rows.append(len(rows))
        rows.append(Row(str(_("Subtotal, %(category)s") % {"category": category_label}),
                        sum_values(columns, rows, members), kind="subtotal", members=members))
    rows.append(Row(str(_("Total")), sum_values(columns, rows, category_rows), kind="total", members=category_rows))
    return StandardTable(
        "posts_by_grade", str(_("Posts by category and grade (%(source)s)") % {
            "source": FundingSource(funding_source).label}),
        columns, rows, POST_IDENTITIES, [], str(_("Number of posts")),
    )


def posts_by_component(*, section: BudgetSection, version: ResourceVersion | None = None) -> StandardTable:
    """Posts by component/subprogramme and funding source (Table 29C.15 shape)."""
    version = version or latest_version(section)
    columns = []
    for source, label in FundingSource.choices:
        columns += [Column(f"{source}_approved", str(_("%(source)s: %(year)s") % {
                        "source": label, "year": section.current_year}), Quantity.COUNT),
                    Column(f"{source}_proposed", str(_("%(source)s: %(year)s") % {
                        "source": label, "year": section.budget_year}), Quantity.COUNT)]
    columns += [Column("all_approved", str(_("Total: %(year)s") % {"year": section.current_year}), Quantity.COUNT),
                Column("all_proposed", str(_("Total: %(year)s") % {"year": section.budget_year}), Quantity.COUNT)]
    rows = []
    for component in ordered_components(section):
        ids = [component.pk, *component.children.values_list("pk", flat=True)]
        values = {}
        for source in FundingSource.values:
            counts = post_values(PostLine.objects.filter(version=version, component_id__in=ids,
                                                         funding_source=source))
            values[f"{source}_approved"], values[f"{source}_proposed"] = counts["approved"], counts["proposed"]
        for when in ("approved", "proposed"):
            values[f"all_{when}"] = add_up((values[f"{s}_{when}"] for s in FundingSource.values), Quantity.COUNT)
        rows.append(Row(str(component), values))
    identities = [(f"all_{when}", [(1, f"{s}_{when}") for s in FundingSource.values])
                  for when in ("approved", "proposed")]
    return StandardTable("posts_by_component", str(_("Posts by component, subprogramme and funding source")),
                         columns, with_total(columns, rows, _("Total")), identities, [], str(_("Number of posts")))


def standard_tables(*, section: BudgetSection, version: ResourceVersion | None = None) -> list[StandardTable]:
    """The four standard tables of one version of the section's resources (by default the latest)."""
    version = version or latest_version(section)
    return [
        resources_by_object(section=section, version=version),
        resources_by_component(section=section, version=version),
        posts_by_grade(section=section, version=version),
        posts_by_component(section=section, version=version),
    ]


# --- Versions of the resource table (ADR 0054) ----------------------------------------------------

def latest_version(section: BudgetSection) -> ResourceVersion | None:
    return section.resource_versions.order_by("-number").first()


def resource_versions(*, section: BudgetSection) -> list[ResourceVersion]:
    """The section's versions, latest first, with who entered them."""
    return list(section.resource_versions.select_related("created_by").order_by("-number"))


def version_numbered(*, section: BudgetSection, number: int) -> ResourceVersion:
    version = section.resource_versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


@dataclass(frozen=True)
class Change:
    """One cell of the resource table that differs from the version before (None: no such row)."""

    row: str
    column: str
    before: Decimal | int | None
    after: Decimal | int | None
    quantity: Quantity

    def as_audit(self) -> dict:
        return {"row": self.row, "column": self.column, "before": None if self.before is None else str(self.before),
                "after": None if self.after is None else str(self.after)}


# What a version compares, per kind of line: (model, key fields, compared columns, kind of figure).
VERSIONED_LINES = [
    (ResourceLine, ("component__code", "object_of_expenditure", "funding_source"),
     [column for _key, column in RESOURCE_TABLE_COLUMNS], Quantity.AMOUNT),
    (PostLine, ("component__code", "funding_source", "grade"),
     ["approved_count", "technical_adjustments", "new_mandates", "other_changes", "proposed_count",
      "temporary_count"], Quantity.COUNT),
]
CHOICE_LABELS = {**dict(ObjectOfExpenditure.choices), **dict(FundingSource.choices), **dict(PostGrade.choices)}


def version_changes(version: ResourceVersion) -> list[Change]:
    """Every cell of ``version`` that differs from the version before it (all cells of a first one)."""
    previous = ResourceVersion.objects.filter(section_id=version.section_id, number__lt=version.number).order_by(
        "-number").first()
    changes = []
    for model, key_fields, columns, quantity in VERSIONED_LINES:
        def lines_of(of_version, model=model, key_fields=key_fields, columns=columns):
            if of_version is None:
                return {}
            return {tuple(row[f] for f in key_fields): row
                    for row in model.objects.filter(version=of_version).values(*key_fields, *columns)}

        before, after = lines_of(previous), lines_of(version)
        for key in sorted(before.keys() | after.keys()):
            label = " · ".join(str(CHOICE_LABELS.get(part, part)) for part in key)
            for column in columns:
                old, new = (before.get(key) or {}).get(column), (after.get(key) or {}).get(column)
                if old != new:
                    changes.append(Change(label, str(model._meta.get_field(column).verbose_name), old, new, quantity))
    return changes


# --- Budgetary control reports -------------------------------------------------------------------

@dataclass
class ObligationsReport:
    appropriation: Appropriation
    unliquidated_amount: Decimal
    prior_period_cancellations_amount: Decimal
    open_commitments: list

    @property
    def percentage_of_final_appropriation(self) -> Decimal | None:
        return percentage(self.unliquidated_amount + self.prior_period_cancellations_amount,
                          self.appropriation.amount)


def obligations_report(*, appropriation: Appropriation) -> ObligationsReport:
    """Unliquidated obligations and cancellations of prior-period obligations (SP2 comp. 1 EA(b)).

    A cancellation is of a prior-period obligation when it happens after the appropriation's
    period ended.
    """
    commitments = Commitment.objects.filter(allotment__appropriation=appropriation)
    unliquidated = commitments.filter(status=CommitmentStatus.OPEN).aggregate(total=Sum("open_amount"))["total"]
    cancelled = BudgetMovement.objects.filter(
        allotment__appropriation=appropriation, kind=MovementKind.CANCELLED,
        occurred_on__gt=appropriation.period_end_on,
    ).aggregate(total=Sum("amount"))["total"]
    return ObligationsReport(
        appropriation, unliquidated or ZERO, cancelled or ZERO,
        list(commitments.filter(status=CommitmentStatus.OPEN).select_related("allotment__certifying_unit")
             .order_by("raised_on", "id")),
    )


@dataclass
class BudgetActualRow:
    label: str
    original: Decimal
    final: Decimal
    actual: Decimal

    @property
    def difference_original_final(self) -> Decimal:
        return self.final - self.original

    @property
    def difference_final_actual(self) -> Decimal:
        return self.final - self.actual


@dataclass
class BudgetActualStatement:
    period_start_on: date
    fund_code: str | None
    rows: list[BudgetActualRow]
    total: BudgetActualRow
    reconciliation: list[tuple[str, Decimal]]
    cash_flows: dict[str, Decimal]


def budget_actual_statement(*, period_start_on: date, fund_code: str | None = None,
                            appropriations: QuerySet | None = None) -> BudgetActualStatement:
    """IPSAS 24 statement of comparison of budget and actual amounts, with the reconciliation.

    Actual on a comparable basis is the budget basis (modified cash): expenditure plus
    unliquidated obligations. The reconciliation to the statement of cash flows removes the
    unliquidated obligations (a basis difference) and adds the entity, timing and presentation
    differences recorded for the fund and period.
    """
    appropriations = (appropriations if appropriations is not None else Appropriation.objects.all()).filter(
        period_start_on=period_start_on).select_related("section", "fund").order_by("section__code", "fund__code")
    if fund_code:
        appropriations = appropriations.filter(fund__code=fund_code)
    rows = []
    unliquidated_total = ZERO
    for appropriation in appropriations:
        sums = appropriation.allotments.aggregate(committed=Sum("committed_amount"), expended=Sum("expended_amount"))
        committed, expended = sums["committed"] or ZERO, sums["expended"] or ZERO
        unliquidated_total += committed
        rows.append(BudgetActualRow(f"{appropriation.section.code} {appropriation.section.title} "
                                    f"({appropriation.fund.code})",
                                    appropriation.original_amount, appropriation.amount, expended + committed))
    total = BudgetActualRow(str(_("Total")), sum((r.original for r in rows), ZERO), sum((r.final for r in rows), ZERO),
                            sum((r.actual for r in rows), ZERO))
    items = CashFlowReconciliationItem.objects.filter(period_start_on=period_start_on)
    if fund_code:
        items = items.filter(fund_code=fund_code)
    reconciliation = [(str(_("Actual amount on a comparable basis")), total.actual),
                      (str(_("Basis differences: unliquidated obligations")), -unliquidated_total)]
    for kind, label in ReconciliationKind.choices:
        amount = items.filter(kind=kind).aggregate(total=Sum("amount"))["total"] or ZERO
        reconciliation.append((str(label), amount))
    net_cash = sum((amount for _label, amount in reconciliation), ZERO)
    reconciliation.append((str(_("Actual amount in the statement of cash flows")), net_cash))
    cash_flows = {activity: items.filter(cash_flow_activity=activity).aggregate(t=Sum("amount"))["t"] or ZERO
                  for activity in ("investing", "financing")}
    cash_flows["operating"] = net_cash - cash_flows["investing"] - cash_flows["financing"]
    return BudgetActualStatement(period_start_on, fund_code, rows, total, reconciliation, cash_flows)


# --- Programme performance dashboard -------------------------------------------------------------

def indicator_met(direction: str, target, actual, threshold=None, baseline=None) -> bool | None:
    """Whether the actual meets the target in the indicator's direction (None if not measurable)."""
    if actual is None:
        return None
    if direction == IndicatorDirection.AT_MOST:
        return actual <= threshold
    if direction == IndicatorDirection.AT_LEAST:
        return actual >= threshold
    if target is None:
        return None
    if direction == IndicatorDirection.INCREASE:
        return actual >= target
    if direction == IndicatorDirection.DECREASE:
        return actual <= target
    return actual == target


STATUS_LABELS = {
    "on_track": _("On track"), "partly": _("Partly on track"), "off_track": _("Off track"), "no_data": _("No data"),
}


@dataclass
class IndicatorStatus:
    indicator: object
    years: list
    latest_year: int | None
    is_met: bool | None


@dataclass
class ComponentPerformance:
    component: BudgetComponent
    indicators: list[IndicatorStatus]
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def performance_dashboard(*, section: BudgetSection) -> list[ComponentPerformance]:
    """Indicators' baseline, target and actual by year, and a status per subprogramme.

    An indicator is judged on the latest year with an actual; a subprogramme is on track when
    all its measured indicators are met, off track when none is.
    """
    result = []
    components = section.components.prefetch_related("accomplishments__indicators__years").order_by(
        "position", "code")
    for component in components:
        statuses = []
        for accomplishment in component.accomplishments.all():
            for indicator in accomplishment.indicators.all():
                years = sorted(indicator.years.all(), key=lambda y: y.year)
                measured = [y for y in years if y.actual_value is not None]
                latest = measured[-1] if measured else None
                is_met = None if latest is None else indicator_met(
                    indicator.direction, latest.target_value, latest.actual_value, indicator.threshold_value)
                statuses.append(IndicatorStatus(indicator, years, latest.year if latest else None, is_met))
        judged = [s.is_met for s in statuses if s.is_met is not None]
        if not judged:
            status = "no_data"
        elif all(judged):
            status = "on_track"
        elif any(judged):
            status = "partly"
        else:
            status = "off_track"
        result.append(ComponentPerformance(component, statuses, status))
    return result


def programme_plan(*, section: BudgetSection) -> list[BudgetComponent]:
    """The section's components with everything the plan shows, fetched in a handful of queries."""
    return list(section.components.select_related("responsible_unit", "parent").prefetch_related(
        "accomplishments__indicators__years", "strategy_paragraphs__responsible_unit", "deliverables__years",
        "performance_results", "mandates",
    ).order_by("position", "code"))


def commitments_of(*, allotment: Allotment) -> QuerySet:
    return allotment.commitments.order_by("-created_at", "-id")

