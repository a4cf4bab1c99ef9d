"""Demo budget: section 29C (Office of Information and Communications Technology), 2021.

Shaped like the proposed programme budget for 2021 (A/75/6 (Sect. 29C)): three subprogrammes
plus executive direction and management, every object of expenditure, three funding sources and
posts by grade. Where the fascicle gives only margins (object totals and component totals) the
cells are apportioned so that both margins hold exactly; see docs/budget.md. Everything goes
through the services, so the demo is audited like real work.
"""

import datetime
from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from secretariat.budget.models import (
    BudgetSection,
    FundingSource,
    ObjectOfExpenditure,
    ResourceLine,
    ResourceStage,
)
from secretariat.budget.selectors import latest_version
from secretariat.budget.services import (
    appropriations,
    commitments,
    resources,
    structure,
)
from secretariat.budget.services.ledger import LEDGER_OBJECT_CLASSES
from secretariat.core.models import OrgUnit
from secretariat.finance import demo as finance_demo
from secretariat.finance.models import Account, Fund, Journal
from secretariat.finance.services import journal
from secretariat.finance.services import structure as finance_structure
from secretariat.finance.services.journal import EntryInput, LineInput

User = get_user_model()
OE = ObjectOfExpenditure  # short, for the tables below
COMPONENTS = ["A", "1", "2", "3"]
UNITS = {"A": "OICT", "1": "OICT-PPS", "2": "OICT-OPS", "3": "OICT-SSD"}
NON_POST = [OE.OTHER_STAFF_COSTS, OE.CONSULTANTS, OE.TRAVEL_OF_STAFF, OE.CONTRACTUAL_SERVICES,
            OE.GENERAL_OPERATING_EXPENSES, OE.SUPPLIES_AND_MATERIALS, OE.FURNITURE_AND_EQUIPMENT,
            OE.IMPROVEMENT_OF_PREMISES, OE.GRANTS_AND_CONTRIBUTIONS]

# Regular budget, thousands of USD. 2021 estimate before recosting by component × object (Figures 29C.IV–IX).
ESTIMATE_2021 = {
    "A": {OE.POSTS: "2198.4", OE.OTHER_STAFF_COSTS: "38.8", OE.TRAVEL_OF_STAFF: "3.1",
          OE.CONTRACTUAL_SERVICES: "15.3", OE.GENERAL_OPERATING_EXPENSES: "618.3", OE.SUPPLIES_AND_MATERIALS: "12.0",
          OE.FURNITURE_AND_EQUIPMENT: "60.0"},
    "1": {OE.POSTS: "5489.1", OE.TRAVEL_OF_STAFF: "80.0", OE.CONTRACTUAL_SERVICES: "3522.7",
          OE.GENERAL_OPERATING_EXPENSES: "140.4", OE.SUPPLIES_AND_MATERIALS: "6.8",
          OE.FURNITURE_AND_EQUIPMENT: "908.2"},
    "2": {OE.POSTS: "9029.0", OE.OTHER_STAFF_COSTS: "837.6", OE.TRAVEL_OF_STAFF: "50.5",
          OE.CONTRACTUAL_SERVICES: "1754.6", OE.GENERAL_OPERATING_EXPENSES: "11012.7",
          OE.SUPPLIES_AND_MATERIALS: "34.3", OE.FURNITURE_AND_EQUIPMENT: "282.3", OE.IMPROVEMENT_OF_PREMISES: "775.9"},
    "3": {OE.POSTS: "7785.1", OE.OTHER_STAFF_COSTS: "868.0", OE.CONSULTANTS: "127.2", OE.TRAVEL_OF_STAFF: "21.3",
          OE.CONTRACTUAL_SERVICES: "5337.1", OE.GENERAL_OPERATING_EXPENSES: "24.0", OE.SUPPLIES_AND_MATERIALS: "37.6",
          OE.FURNITURE_AND_EQUIPMENT: "889.5"},
}
# "Other" changes 2020 → 2021, all in subprogramme 2 (¶29C.69; Table 29C.11).
OTHER_CHANGES = {"2": {OE.CONTRACTUAL_SERVICES: "15.3", OE.GENERAL_OPERATING_EXPENSES: "2037.4",
                       OE.SUPPLIES_AND_MATERIALS: "-9.7", OE.FURNITURE_AND_EQUIPMENT: "-43.0"}}
EXPENDITURE_2019_BY_OBJECT = {
    OE.OTHER_STAFF_COSTS: "1428.9", OE.CONSULTANTS: "369.6", OE.TRAVEL_OF_STAFF: "120.5",
    OE.GENERAL_OPERATING_EXPENSES: "9196.7", OE.SUPPLIES_AND_MATERIALS: "53.4", OE.FURNITURE_AND_EQUIPMENT: "2785.6",
    OE.IMPROVEMENT_OF_PREMISES: "9.3", OE.GRANTS_AND_CONTRIBUTIONS: "1.9", OE.CONTRACTUAL_SERVICES: "15844.7",
}
# The extracted text prints 7,942.2 for subprogramme 3, which foots neither its component total (15,671.0)
# nor the posts total (24,197.2); 7,943.0 foots both.
POSTS_2019 = {"A": "1977.0", "1": "5598.0", "2": "8679.2", "3": "7943.0"}
NON_POST_2019 = {"A": "834.9", "1": "6937.1", "2": "14310.6", "3": "7728.0"}
RECOSTING_BY_OBJECT = {
    OE.POSTS: "626.6", OE.OTHER_STAFF_COSTS: "33.1", OE.CONSULTANTS: "2.4", OE.TRAVEL_OF_STAFF: "3.0",
    OE.GENERAL_OPERATING_EXPENSES: "224.0", OE.SUPPLIES_AND_MATERIALS: "1.7", OE.FURNITURE_AND_EQUIPMENT: "40.7",
    OE.IMPROVEMENT_OF_PREMISES: "14.7", OE.CONTRACTUAL_SERVICES: "201.9",
}
RECOSTING_BY_COMPONENT = {"A": "70.4", "1": "252.1", "2": "506.4", "3": "319.2"}
# Other assessed (support account) and extrabudgetary: 2019 expenditure / 2020 / 2021 (Table 29C.14).
OTHER_SOURCES = {
    FundingSource.OTHER_ASSESSED: {"A": ("5.2", "18115.6", "17823.5"), "1": ("3173.1", "3506.2", "3507.1"),
                                   "2": ("38595.5", "42896.3", "43263.4"), "3": ("14411.0", "15331.5", "16800.2")},
    FundingSource.EXTRABUDGETARY: {"A": ("465.8", "175.5", "175.5"), "1": ("3538.8", "2753.5", "1824.7"),
                                   "2": ("24442.8", "38014.7", "38014.7"), "3": ("6393.8", "6189.5", "6189.5")},
}
POST_SHARE_OF_OTHER_SOURCES = Decimal("0.6")  # the fascicle gives no object split for these sources

# Posts: {component: {grade: (2020 approved, 2021 proposed)}} per funding source (Tables 29C.13, 29C.15, Annex I).
POSTS = {
    FundingSource.REGULAR_BUDGET: {
        "A": {"ASG": 1, "P-5": 2, "P-4": 1, "P-3": 1, "GS (PL)": 4, "GS (OL)": 8},
        "1": {"D-2": 1, "D-1": 2, "P-5": 5, "P-4": 9, "P-3": 6, "P-2/1": 1, "GS (PL)": 1, "GS (OL)": 10},
        "2": {"D-1": 2, "P-5": 3, "P-4": 5, "P-3": 13, "P-2/1": 2, "GS (PL)": 9, "GS (OL)": 43},
        "3": {"D-1": 2, "P-5": 6, "P-4": 8, "P-3": 16, "P-2/1": 8, "GS (PL)": 2, "GS (OL)": 10, "LL": 2},
    },
    FundingSource.OTHER_ASSESSED: {
        "1": {"P-4": 1, "P-3": 2, "P-2/1": 1},
        "2": {"D-2": 1, "D-1": 1, "P-5": 2, "P-4": 7, "P-3": 6, "GS (PL)": 4, "GS (OL)": (7, 6)},
        "3": {"P-4": 6, "P-3": 5, "P-2/1": 2, "GS (PL)": 1, "GS (OL)": 10},
    },
    FundingSource.EXTRABUDGETARY: {"2": {"P-4": 1, "GS (PL)": 2, "GS (OL)": 9}},
}

TENTH = Decimal("0.1")


def apportion(total: Decimal, weights: dict) -> dict:
    """Split ``total`` over the weights in tenths (largest remainder), so the parts add up exactly."""
    units = int(total / TENTH)
    weight_sum = sum(weights.values())
    if not weight_sum:
        return {key: Decimal("0") for key in weights}
    raw = {key: Decimal(units) * w / weight_sum for key, w in weights.items()}
    floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in raw.items()}
    short = units - sum(floors.values())
    for key in sorted(raw, key=lambda k: raw[k] - floors[k], reverse=True)[:short]:
        floors[key] += 1
    return {key: Decimal(value) * TENTH for key, value in floors.items()}


def two_margin_matrix(object_totals: dict, component_totals: dict, weights: dict, balancing_object) -> dict:
    """Cells whose object totals and component totals both hold; one object absorbs the rounding."""
    cells = {c: {} for c in COMPONENTS}
    for obj, total in object_totals.items():
        if obj == balancing_object:
            continue
        obj_weights = {c: weights[c].get(obj, Decimal("0")) for c in COMPONENTS}
        if not any(obj_weights.values()):
            obj_weights = {c: (Decimal("1") if c == "1" else Decimal("0")) for c in COMPONENTS}
        for component, value in apportion(Decimal(total), obj_weights).items():
            cells[component][obj] = value
    for component in COMPONENTS:
        cells[component][balancing_object] = Decimal(component_totals[component]) - sum(cells[component].values())
    return cells


def thousands(value) -> Decimal:
    return (Decimal(value) * 1000).quantize(Decimal("0.0001"))


def regular_budget_lines() -> list[resources.ResourceInput]:
    estimate = {c: {o: Decimal(v) for o, v in row.items()} for c, row in ESTIMATE_2021.items()}
    changes = {c: {o: Decimal(v) for o, v in row.items()} for c, row in OTHER_CHANGES.items()}
    appropriation_2020 = {c: {o: v - changes.get(c, {}).get(o, Decimal("0")) for o, v in row.items()}
                          for c, row in estimate.items()}
    non_post_weights = {c: {o: v for o, v in row.items() if o != OE.POSTS} for c, row in appropriation_2020.items()}
    expenditure = two_margin_matrix(EXPENDITURE_2019_BY_OBJECT, NON_POST_2019, non_post_weights,
                                    OE.CONTRACTUAL_SERVICES)
    for component, value in POSTS_2019.items():
        expenditure[component][OE.POSTS] = Decimal(value)
    recosting = two_margin_matrix(RECOSTING_BY_OBJECT, RECOSTING_BY_COMPONENT, estimate, OE.CONTRACTUAL_SERVICES)
    lines = []
    for component in COMPONENTS:
        for obj in [OE.POSTS, *NON_POST]:
            values = {
                "prior_expenditure": expenditure[component].get(obj, Decimal("0")),
                "current_appropriation": appropriation_2020[component].get(obj, Decimal("0")),
                "other_changes": changes.get(component, {}).get(obj, Decimal("0")),
                "recosting": recosting[component].get(obj, Decimal("0")),
            }
            if not any(values.values()):
                continue
            lines.append(resources.ResourceInput(component=component, object_of_expenditure=obj,
                                                funding_source=FundingSource.REGULAR_BUDGET,
                                                **{k: thousands(v) for k, v in values.items()}))
    return lines


def other_source_lines() -> list[resources.ResourceInput]:
    lines = []
    for source, by_component in OTHER_SOURCES.items():
        for component, figures in by_component.items():
            prior, current, estimate = (Decimal(f) for f in figures)
            posts = [(f * POST_SHARE_OF_OTHER_SOURCES).quantize(TENTH) for f in (prior, current, estimate)]
            for obj, (p, c, e) in ((OE.POSTS, posts), (OE.CONTRACTUAL_SERVICES,
                                                      [prior - posts[0], current - posts[1], estimate - posts[2]])):
                lines.append(resources.ResourceInput(
                    component=component, object_of_expenditure=obj, funding_source=source,
                    prior_expenditure=thousands(p), current_appropriation=thousands(c),
                    other_changes=thousands(e - c)))
    return lines


def post_lines() -> list[resources.PostInput]:
    lines = []
    for source, by_component in POSTS.items():
        for component, grades in by_component.items():
            for grade, counts in grades.items():
                approved, proposed = counts if isinstance(counts, tuple) else (counts, counts)
                lines.append(resources.PostInput(component=component, funding_source=source, grade=grade,
                                                approved=approved, other_changes=proposed - approved))
    return lines


PLAN = {
    "A": {"kind": "executive_direction", "title": "Executive direction and management", "objective": "",
          "accomplishments": [("a", "Programme of work effectively managed", [
              ("i", "Timely submission of documentation", "% of documents", "maintain", None,
               {2019: ("100", "100"), 2020: ("100", None), 2021: ("100", None)}),
              ("ii", "Air tickets purchased at least 2 weeks before the commencement of travel", "% of tickets",
               "increase", None, {2019: ("100", "44.4"), 2020: ("100", None), 2021: ("100", None)}),
          ])]},
    "1": {"kind": "subprogramme", "title": "Strategy and technological innovation",
          "objective": "To maintain and strengthen an innovative, secure and unified digital space for the United "
                       "Nations, underpinned by an enabling normative framework.",
          "accomplishments": [("a", "Strengthened information-security controls and processes across the "
                                    "Secretariat and field missions", [
              ("i", "Increase in the capacity of the Cybersecurity Section", "% increase", "increase", None,
               {2019: ("35", "38")}),
          ])],
          "performance": ("Strengthened information-security controls and processes across the Secretariat and "
                          "field missions", "35 per cent increase in Cybersecurity Section capacity",
                          "38 per cent (8-person team plus 3 staff)", "A/75/6 (Sect. 29C), para. 29C.20")},
    "2": {"kind": "subprogramme", "title": "Operations support",
          "objective": "An optimized infrastructure for all United Nations entities, within which global "
                       "technology solutions, systems and applications are delivered securely and intuitively.",
          "accomplishments": [("a", "Better 24/7 global support for enterprise applications", [
              ("i", "Client satisfaction with services provided", "% positive feedback", "increase", None,
               {2018: ("76", "76"), 2019: ("76", "93"), 2020: ("90", None), 2021: ("90", None)}),
          ])],
          "performance": ("Better 24/7 global support for enterprise applications", "76 per cent positive feedback",
                          "93 per cent average positive feedback; 185,000 service requests resolved per year",
                          "A/75/6 (Sect. 29C), para. 29C.42")},
    "3": {"kind": "subprogramme", "title": "Enterprise solutions",
          "objective": "To ensure effective and efficient implementation of the mandates of Secretariat entities, "
                       "including through enterprise applications, enterprise websites and enterprise "
                       "knowledge-sharing solutions.",
          "accomplishments": [("a", "Enterprise applications that meet business needs and reduce local solutions "
                                    "and information-security risk", [
              ("i", "Staff-mobility services automated in iNeed", "number of services", "increase", None,
               {2019: ("12", "24")}),
          ])],
          "performance": ("Enterprise applications that meet business needs and reduce local solutions",
                          "12 services", "24 staff-mobility services automated in iNeed",
                          "A/75/6 (Sect. 29C), para. 29C.55")},
}
MANDATES = [("63/262", "Information and communications technology, enterprise resource planning, and security, "
                       "disaster recovery and business continuity"),
            ("69/262, sect. II", "Questions relating to the proposed programme budget for the biennium 2014–2015"),
            ("70/248 A, sect. V", "Questions relating to the proposed programme budget for the biennium 2016–2017"),
            ("71/272 B, sect. III", "Questions relating to the proposed programme budget for the biennium 2016–2017"),
            ("72/262 C, sect. I", "Questions relating to the proposed programme budget for the biennium 2018–2019"),
            ("72/266 B", "Shifting the management paradigm in the United Nations")]


def build_plan(actor, section: BudgetSection, units: dict) -> None:
    for position, (code, spec) in enumerate(PLAN.items()):
        component = structure.add_component(actor=actor, section=section, kind=spec["kind"], code=code,
                                           title=spec["title"], objective=spec["objective"],
                                           responsible_unit=units[code], position=position)
        structure.add_strategy_paragraph(
            actor=actor, component=component, number=f"29C.{16 + 20 * position}",
            text=f"The responsibility for the {spec['title'].lower()} rests with {units[code].name}.",
            responsible_unit=units[code])
        for letter, description, indicators in spec["accomplishments"]:
            accomplishment = structure.add_expected_accomplishment(actor=actor, component=component, letter=letter,
                                                                  description=description)
            for number, text, unit, direction, threshold, years in indicators:
                first_year = min(years)
                baseline = years[first_year][1] or years[first_year][0]
                indicator = structure.add_indicator(
                    actor=actor, accomplishment=accomplishment, code=number, description=text, unit=unit,
                    direction=direction, threshold_value=threshold, baseline_year=first_year - 1,
                    baseline_value=Decimal(baseline))
                for year, (target, actual) in years.items():
                    structure.record_indicator_year(actor=actor, indicator=indicator, year=year,
                                                   target_value=Decimal(target),
                                                   actual_value=Decimal(actual) if actual else None)
        if "performance" in spec:
            planned, target, actual, evidence = spec["performance"]
            structure.record_performance_result(actor=actor, component=component, year=2019,
                                               planned_result=planned, target=target, actual=actual,
                                               evidence=evidence)
        structure.add_deliverable(
            actor=actor, component=component, category="E", subcategory="Information and communications technology",
            description=f"ICT services of {spec['title'].lower()}")
        if code == "A":
            report = structure.add_deliverable(
                actor=actor, component=component, category="A", subcategory="Parliamentary documentation "
                "(number of documents)", description="Report on the progress of the ICT strategy")
            for year, planned, actual in ((2019, 1, 1), (2020, 1, None), (2021, 1, None)):
                structure.record_deliverable_year(actor=actor, deliverable=report, year=year, planned_count=planned,
                                                 actual_count=actual)
    for symbol, title in MANDATES:
        structure.add_legislative_mandate(actor=actor, section=section, symbol=symbol, title=title)


# The finance funds (created by finance's demo, or here through it) each funding source draws on.
FUND_OF_SOURCE = {
    FundingSource.REGULAR_BUDGET: "RB",
    FundingSource.OTHER_ASSESSED: "SA",
    FundingSource.EXTRABUDGETARY: "XB",
}


def demo_funds(actor) -> dict[str, Fund]:
    """The funds of the ledger the demo appropriates from, by funding source."""
    funds = finance_demo.demo_funds(actor)
    return {source: funds[code] for source, code in FUND_OF_SOURCE.items()}


def build_control(actor, section: BudgetSection, units: dict) -> None:
    """Appropriations for 2021 per fund, allotments per certifying unit and object, some activity."""
    funds = demo_funds(actor)
    lines = ResourceLine.objects.filter(version=latest_version(section)).values_list(
        "component__code", "funding_source", "object_of_expenditure", "estimate_after_recosting_amount")
    by_fund: dict = {}
    for code, source, obj, amount in lines:
        if source is not None and amount:
            by_fund.setdefault(source, []).append((code, obj, amount))
    allotments = {}
    for source, cells in by_fund.items():
        appropriation = appropriations.create_appropriation(
            actor=actor, section=section, fund=funds[source], period_start_on=datetime.date(2021, 1, 1),
            period_end_on=datetime.date(2021, 12, 31), amount=sum(amount for _c, _o, amount in cells),
            resolution="75/254 A")
        appropriations.approve_appropriation(actor=actor, appropriation_id=appropriation.pk)
        for code, obj, amount in cells:
            allotments[(source, code, obj)] = appropriations.issue_allotment(
                actor=actor, appropriation_id=appropriation.pk, certifying_unit=units[code],
                object_of_expenditure=obj, amount=amount, on=datetime.date(2021, 1, 4))
    regular = FundingSource.REGULAR_BUDGET
    spent = []
    for code, obj, amount, reference in [
        ("2", OE.GENERAL_OPERATING_EXPENSES, "1000200", "PO-2021-0117 network-security resilience"),
        ("2", OE.GENERAL_OPERATING_EXPENSES, "933800", "PO-2021-0121 broadcast and collaboration platform"),
        ("3", OE.CONTRACTUAL_SERVICES, "2400000", "PO-2021-0203 enterprise application support"),
        ("1", OE.FURNITURE_AND_EQUIPMENT, "350000", "PO-2021-0088 intrusion detection appliances"),
        ("A", OE.TRAVEL_OF_STAFF, "2500", "TR-2021-0042"),
    ]:
        allotment = allotments[(regular, code, obj)]
        commitment = commitments.commit_funds(actor=actor, allotment_id=allotment.pk, amount=Decimal(amount),
                                              source="procurement" if reference.startswith("PO") else "travel",
                                              source_reference=reference, on=datetime.date(2021, 3, 1))
        if obj in ACCOUNT_OF_OBJECT:  # the chart has no expense account for the other object classes
            spent.append((allotment, Decimal(amount) * Decimal("0.6"), commitment.number, reference))
    spent.append((allotments[(regular, "A", OE.POSTS)], Decimal("1500000"), "", "Payroll, January to June 2021"))
    post_expenditure(actor, funds[regular], spent)


# The expense account of the standard chart an object class is charged to: the ledger's own
# mapping (ADR 0053), read the other way.
ACCOUNT_OF_OBJECT = {obj: code for code, obj in LEDGER_OBJECT_CLASSES.items()}
CASH_ACCOUNT = "1110"
EXPENDED_ON = datetime.date(2021, 6, 30)


def post_expenditure(actor, fund: Fund, spent: list) -> None:
    """Post the first half-year's expenditure in the general ledger, as production data arrives.

    The posting records it in the budget (``record_ledger_expenditure``, ADR 0053): a line naming
    a commitment's number as its obligation liquidates that commitment, the payroll charges the
    posts allotment directly. ``spent``: (allotment, amount, commitment number or "", description).
    """
    finance_structure.install_standard_chart(actor=actor)
    finance_demo.open_fiscal_years(actor, (EXPENDED_ON.year,))
    accounts = dict(Account.objects.values_list("code", "pk"))
    entries = [EntryInput(fund_id=fund.pk, entry_on=EXPENDED_ON, description=description, lines=[
        LineInput(account_id=accounts[ACCOUNT_OF_OBJECT[allotment.object_of_expenditure]], debit_amount=amount,
                  cost_centre_id=allotment.certifying_unit_id, obligation=obligation),
        LineInput(account_id=accounts[CASH_ACCOUNT], credit_amount=amount),
    ]) for allotment, amount, obligation, description in spent]
    journal.post_journal_entries(actor=actor, journal=Journal.objects.get(code="GJ"), entries=entries)


def grant_demo_budget_roles(actor, units: dict) -> None:
    """Let the core demo's users work the budget: a budget officer, a certifying unit officer."""
    from secretariat.core import services as core_services
    from secretariat.core.demo import grant_demo_role
    from secretariat.core.models import AuthorityKind, Entity, Role
    from secretariat.core.scopes import Scope

    users = {u.username: u for u in User.objects.filter(username__in=["approver", "certifier", "auditor"])}
    headquarters = Entity.objects.filter(code="UNHQ").first()
    grants = [("approver", "budget_officer", Scope.of(headquarters) if headquarters else Scope("global")),
              ("certifier", "certifying_unit_officer", Scope.of(units["A"])),
              ("auditor", "budget_reader", Scope("global"))]
    for username, role, scope in grants:
        if username in users:
            grant_demo_role(granter=actor, user=users[username], role=Role.objects.get(code=role), scope=scope)
    if "approver" in users:
        core_services.delegate_authority(
            actor=actor, delegate=users["approver"], authority=AuthorityKind.objects.get(code="budget_redeployment"),
            scope=Scope.of(units["A"]), limit_amount=Decimal("250000"), reference="ST/SGB/2019/2")


@transaction.atomic
def load_budget_demo(*, actor=None) -> BudgetSection | None:
    """Build section 29C for 2021 on the demo organisation. Returns None if it is already there."""
    if BudgetSection.objects.filter(code="29C", budget_year=2021).exists():
        return None
    actor = actor or User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        raise ValueError("Load the demo organisation first (secretariat load_demo).")
    units = {code: OrgUnit.objects.get(code=unit_code) for code, unit_code in UNITS.items()}
    section = structure.create_budget_section(
        actor=actor, code="29C", title="Office of Information and Communications Technology", budget_year=2021,
        org_unit=units["A"], programme_title="Programme 25, Management and support services",
        overall_orientation="The Office of Information and Communications Technology provides the Secretariat "
                            "with a unified digital space, global infrastructure and enterprise solutions.")
    build_plan(actor, section, units)
    for stage, reference in ((ResourceStage.PROPOSED, "A/75/6 (Sect. 29C)"), (ResourceStage.APPROVED, "75/254 A")):
        resources.set_resource_requirements(actor=actor, section=section, lines=regular_budget_lines()
                                            + other_source_lines(), posts=post_lines(), stage=stage,
                                            reference=reference)
    build_control(actor, section, units)
    grant_demo_budget_roles(actor, units)
    return section

