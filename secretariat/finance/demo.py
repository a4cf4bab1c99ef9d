"""Demo ledger for the demo organisation: two fiscal years of postings up to today.

Everything goes through the finance services, as the people who would do it, so the demo is
validated, numbered and audited like real work:

* the administrator installs the standard chart and the funds RB, SA and XB (the budget demo
  creates the same three funds when it runs first; either demo reuses what the other created),
  and gives the finance roles per fund to the demo users;
* the chief accountant opens the previous and the current fiscal year, and the one before them
  for the balances brought forward on its last day (so that the previous year's statements start
  from opening balances, not from nothing), enters the monthly UN operational rates of EUR, CHF,
  KES and THB, posts the payroll interface, accruals, depreciation, travel and other expenses
  (``post_journal_entries``), revalues the foreign-currency balances at each month end and closes
  the months before the previous one;
* the finance officer records vendors and their invoices, which treasury pays in monthly payment
  runs from a US dollar and a euro bank account;
* the contributions officer (the chief accountant) enters a scale of assessment for a sample of
  Member States, issues the regular-budget assessments each January and records and applies the
  Member States' payments: some pay in full, some in instalments, some late, some in part, some
  not at all, and two pay in advance of next year;
* treasury imports the bank statements of the last months (camt.053 for the dollar account, CSV
  for the euro account); the automatic matching finds the payments and receipts, and a few lines
  are left for manual matching (bank charges, interest, two advance payments of the same amount);
* a handful of manual journal entries go through prepare → submit → certify → approve → post, a
  few wait at each step of the workflow, and a travel claim the interface sent twice is reversed.

Dates are relative to ``today`` and amounts come from a seeded random generator: the same day
and seed give the same ledger. ``entries_per_month`` sets the volume (tests use a small one).
Scale rates and amounts are illustrative, shaped like the Organization's, not official figures.
"""

import calendar
import datetime
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from lxml import etree
from schwifty import IBAN

from secretariat.core import services as core_services
from secretariat.core.demo import DEMO_PASSWORD, grant_demo_role
from secretariat.core.models import AuthorityKind, Country, OrgUnit, Person, Role
from secretariat.core.scopes import Scope
from secretariat.finance.models import (
    Account,
    BankAccount,
    BankStatementLine,
    EntryStatus,
    ExchangeRate,
    FiscalCalendar,
    FiscalPeriod,
    Fund,
    FundKind,
    Journal,
    JournalEntry,
    PeriodStatus,
    Receipt,
    ReceivableKind,
    Vendor,
)
from secretariat.finance.services import (
    bank,
    journal,
    payables,
    receivables,
    revaluation,
    structure,
)
from secretariat.finance.services.journal import EntryInput, LineInput, usd_amount

User = get_user_model()
CENT = Decimal("0.01")
CALENDAR = FiscalCalendar.CALENDAR_YEAR

# The funds of the demo; the budget demo appropriates from them (budget/demo.py, FUND_OF_SOURCE).
FUNDS = [
    ("RB", "Regular budget", FundKind.REGULAR_BUDGET),
    ("SA", "Support account for peacekeeping operations", FundKind.SUPPORT_ACCOUNT),
    ("XB", "Extrabudgetary trust fund for ICT", FundKind.TRUST_FUND),
]

# New demo users (password DEMO_PASSWORD): (username, given name, family name).
NEW_USERS = [("finance.officer", "Fatou", "Diallo"), ("chief.accountant", "Kenji", "Sato")]
# Finance roles per fund for the demo users (core's certifier and approver are reused).
ROLES = {
    "finance.officer": ["finance_officer"],
    "chief.accountant": ["chief_accountant", "treasury_officer", "contributions_officer"],
    "certifier": ["finance_certifier"],
    "approver": ["finance_approver"],
}
# Delegations per fund, in force since the start of the previous year so that entries dated then
# can be certified and approved: (username, authority, limit in USD).
DELEGATIONS = [("certifier", "certifying_officer", Decimal("500000")),
               ("approver", "approving_officer", Decimal("1000000"))]

# Units per US dollar in the first month, and how many decimals the rate is given with.
RATES = {"EUR": (Decimal("0.9615"), 4), "CHF": (Decimal("0.9065"), 4), "KES": (Decimal("129.25"), 2),
         "THB": (Decimal("34.120"), 3)}

# Illustrative scale (per cent) for a sample of Member States, shaped like the scale of assessment.
SCALE = {
    "USA": "22.000", "CHN": "15.254", "JPN": "8.033", "DEU": "6.111", "GBR": "4.375", "FRA": "4.318",
    "ITA": "3.189", "CAN": "2.628", "KOR": "2.574", "ESP": "2.134", "AUS": "2.111", "BRA": "2.013",
    "RUS": "1.866", "NLD": "1.377", "MEX": "1.221", "SAU": "1.184", "CHE": "1.134", "IND": "1.044",
    "SWE": "0.871", "TUR": "0.845", "POL": "0.837", "BEL": "0.828", "ARG": "0.719", "NOR": "0.679",
    "AUT": "0.679", "IDN": "0.549", "CHL": "0.420", "THA": "0.368", "NGA": "0.182", "EGY": "0.139",
    "PHL": "0.212", "VNM": "0.093", "KEN": "0.030", "AZE": "0.030", "ETH": "0.010", "LBN": "0.036",
}
# How Member States pay an assessment (shares of the states; every kind is present).
PAYMENT_KINDS = ["prompt", "instalments", "late", "partial", "none"]
PAYMENT_HABITS = ["prompt"] * 16 + ["instalments"] * 7 + ["late"] * 5 + ["partial"] * 4 + ["none"] * 4
REGULAR_BUDGET_ASSESSED = {0: Decimal("3587000000"), 1: Decimal("3720000000")}  # previous, current year

# Cost centres (org unit codes) per fund; missing units are skipped (a small organisation).
HEADQUARTERS_CENTRES = {"RB": ["OICT", "FD", "DGACM", "DPPA", "DESA", "DGC", "OHR"],
                        "SA": ["DPO", "DOS", "OSCM"], "XB": ["OICT-SSD", "DESA"]}
# Payroll outside New York, paid in local currency from local bank accounts: (unit, currency, monthly amount).
LOCAL_PAYROLLS = [("UNOG-ADM", "CHF", Decimal("27500000")), ("UNON-ADM", "KES", Decimal("2450000000")),
                  ("ESCAP-ADM", "THB", Decimal("385000000"))]
MONTHLY_PAYROLL = {"RB": Decimal("118000000"), "SA": Decimal("24500000"), "XB": Decimal("2100000")}

# (code, name, country, currency invoiced in, expense account)
VENDORS = [
    ("ACME-LOG", "Acme Logistics Ltd", "GB", "USD", "5910"),
    ("BLUEFUEL", "Blue Fuel SA", "CH", "USD", "5310"),
    ("NILE-CAT", "Nile Catering", "EG", "USD", "5910"),
    ("ANDES-TEL", "Andes Telecom", "BR", "USD", "5910"),
    ("ATLAS-SEC", "Atlas Security Services", "AE", "USD", "5910"),
    ("HELIX-CLOUD", "Helix Cloud Services BV", "NL", "EUR", "5910"),
    ("DANUBE-PRINT", "Danube Print and Translation GmbH", "AT", "EUR", "5310"),
    ("LUMEN-IT", "Lumen IT Consulting Ltd", "IE", "EUR", "5910"),
]
# The Organization's bank accounts: (code, name, fund, currency, country of the IBAN, BIC, ledger account).
BANK_ACCOUNTS = [
    ("UNHQ-USD-01", "Headquarters operating account (USD)", "RB", "USD", "GB", "DEMOGB2L", "1110"),
    ("UNOV-EUR-01", "Vienna operating account (EUR)", "RB", "EUR", "AT", "DEMOATWW", "1120"),
]
STATEMENT_MONTHS = 3  # bank statements imported for the last three months
PAYMENT_RUN_DAY = 25


def demo_iban(country: str, seed: str) -> str:
    """A made-up IBAN that a standard validator accepts: the country's length and structure and
    valid check digits (schwifty), the same for the same ``seed``."""
    return str(IBAN.random(country_code=country, random=random.Random(seed), use_registry=False))


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month_of(day: datetime.date) -> datetime.date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@dataclass
class FinanceDemo:
    """What the loader did, for the command's report."""

    entries_posted: int = 0
    invoices: int = 0
    assessments: int = 0
    receipts: int = 0
    statement_lines: int = 0
    matched_lines: int = 0


@dataclass
class DemoLedger:
    """The people, structure and running state the loader works with."""

    today: datetime.date
    rng: random.Random
    entries_per_month: int
    officer: object
    accountant: object
    certifier: object
    approver: object
    funds: dict[str, Fund] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    centres: dict[str, list[OrgUnit]] = field(default_factory=dict)
    local_units: dict[str, OrgUnit] = field(default_factory=dict)
    rates: dict[tuple[str, datetime.date], Decimal] = field(default_factory=dict)
    bank_accounts: dict[str, BankAccount] = field(default_factory=dict)
    vendors: list[tuple[Vendor, str, str]] = field(default_factory=list)
    open_invoices: list = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    payments: list = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    invoice_count: int = 0
    advance_receipts: list[Receipt] = field(default_factory=list)

    def account(self, code: str) -> int:
        return self.accounts[code].pk

    def rate(self, currency: str, on: datetime.date) -> Decimal:
        return Decimal("1") if currency == "USD" else self.rates[(currency, on.replace(day=1))]

    def day_in(self, month: datetime.date, *, first: int = 1, last: int = 28) -> datetime.date:
        """A random day of ``month`` between ``first`` and ``last``, never after today."""
        if (month.year, month.month) == (self.today.year, self.today.month):
            last = min(last, self.today.day)
        return month.replace(day=self.rng.randint(min(first, last), last))

    def amount(self, low: int, high: int) -> Decimal:
        return cents(Decimal(self.rng.randint(low * 100, high * 100)) / 100)

    def centre(self, fund_code: str) -> OrgUnit | None:
        units = self.centres.get(fund_code) or []
        return self.rng.choice(units) if units else None


# --- People ------------------------------------------------------------------------------------


def demo_user(username: str) -> object:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValueError(_("Load the demo organisation first (secretariat load_demo)."))
    return user


def finance_users() -> dict[str, object]:
    """Core's certifier and approver, plus the finance officer and chief accountant (created once)."""
    users = {}
    for username, given, family in NEW_USERS:
        users[username] = User.objects.filter(username=username).first() or User.objects.create_user(
            username, email=f"{username}@demo.secretariat.example", password=DEMO_PASSWORD, first_name=given,
            last_name=family)
    for username in ("certifier", "approver"):
        users[username] = demo_user(username)
    return users


def grant_finance_roles(admin, users: dict, funds: dict[str, Fund], since: datetime.date) -> None:
    """Finance roles per fund, and certifying/approving delegations per fund in force since ``since``."""
    authorities = {a.code: a for a in AuthorityKind.objects.filter(code__in=[d[1] for d in DELEGATIONS])}
    for fund in funds.values():
        scope = Scope.of(fund)
        for username, role_codes in ROLES.items():
            for code in role_codes:
                grant_demo_role(granter=admin, user=users[username], role=Role.objects.get(code=code),
                                scope=scope, valid_from=since)
        for username, authority, limit in DELEGATIONS:
            core_services.delegate_authority(actor=admin, delegate=users[username], authority=authorities[authority],
                                             scope=scope, limit_amount=limit, valid_from=since,
                                             reference="ST/SGB/2019/2")


# --- Structure ---------------------------------------------------------------------------------


def demo_funds(admin) -> dict[str, Fund]:
    """The three funds, reused when the budget demo (or anyone) created them first."""
    return {code: Fund.objects.filter(code=code).first() or structure.create_fund(
        actor=admin, code=code, name=name, kind=kind, calendar=CALENDAR) for code, name, kind in FUNDS}


def open_fiscal_years(actor, years) -> None:
    for year in years:
        if not FiscalPeriod.objects.filter(calendar=CALENDAR, fiscal_year=year).exists():
            structure.create_fiscal_year(actor=actor, calendar=CALENDAR, fiscal_year=year)


def enter_rates(ledger: DemoLedger, months: list[datetime.date]) -> None:
    """Monthly operational rates: a seeded random walk from each currency's first rate."""
    for currency, (rate, places) in RATES.items():
        for month in months:
            quantum = Decimal(1).scaleb(-places)
            rate = (rate * (1 + Decimal(ledger.rng.uniform(-0.018, 0.018)))).quantize(quantum)
            existing = ExchangeRate.objects.filter(currency=currency, month_on=month).first()
            if existing is None:
                existing = structure.set_exchange_rate(actor=ledger.accountant, currency=currency, year=month.year,
                                                       month=month.month, units_per_usd=rate)
            ledger.rates[(currency, month)] = existing.units_per_usd


def cost_centres() -> tuple[dict[str, list[OrgUnit]], dict[str, OrgUnit]]:
    codes = {code for codes in HEADQUARTERS_CENTRES.values() for code in codes} | {u for u, _c, _a in LOCAL_PAYROLLS}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    centres = {fund: [units[c] for c in codes if c in units] for fund, codes in HEADQUARTERS_CENTRES.items()}
    return centres, {code: units[code] for code in units if code in {u for u, _c, _a in LOCAL_PAYROLLS}}


def create_vendors_and_banks(ledger: DemoLedger) -> None:
    countries = {c.alpha2: c for c in Country.objects.filter(alpha2__in={v[2] for v in VENDORS})}
    for code, name, country, currency, expense in VENDORS:
        vendor = Vendor.objects.filter(code=code).first() or payables.create_vendor(
            actor=ledger.officer, code=code, name=name, country=countries[country],
            iban=demo_iban(country, f"vendor {code}"), bic=f"DEMO{country}2L")
        ledger.vendors.append((vendor, currency, expense))
    for code, name, fund, currency, country, bic, ledger_account in BANK_ACCOUNTS:
        ledger.bank_accounts[currency] = bank.create_bank_account(
            actor=ledger.accountant, code=code, name=name, fund=ledger.funds[fund], currency=currency,
            iban=demo_iban(country, f"bank account {code}"), bic=bic,
            ledger_account=ledger.accounts[ledger_account])


# --- Monthly activity --------------------------------------------------------------------------


def line(account_id: int, *, debit=None, credit=None, currency="USD", cost_centre=None, description="") -> LineInput:
    return LineInput(account_id=account_id, debit_amount=debit or Decimal("0"), credit_amount=credit or Decimal("0"),
                     currency=currency, cost_centre_id=cost_centre.pk if cost_centre else None,
                     description=description)


def opening_balances(ledger: DemoLedger, on: datetime.date) -> list[EntryInput]:
    """Balances brought forward on ``on``: cash, assets, liabilities, the accumulated surplus balancing."""
    entries = []
    for code, (cash, foreign, ppe, depreciated, benefits) in {
        "RB": (Decimal("640000000"), True, Decimal("1210000000"), Decimal("402500000"), Decimal("615000000")),
        "SA": (Decimal("118000000"), False, Decimal("31200000"), Decimal("10400000"), Decimal("41800000")),
        "XB": (Decimal("61500000"), False, Decimal("0"), Decimal("0"), Decimal("0")),
    }.items():
        lines = [line(ledger.account("1110"), debit=cash)]
        if foreign:
            lines += [line(ledger.account("1120"), debit=amount, currency=currency) for currency, amount in
                      (("CHF", Decimal("21500000")), ("EUR", Decimal("12800000")), ("KES", Decimal("1950000000")),
                       ("THB", Decimal("310000000")))]
        if ppe:
            lines += [line(ledger.account("1610"), debit=ppe), line(ledger.account("1690"), credit=depreciated),
                      line(ledger.account("2310"), credit=benefits)]
        debits = sum((usd_amount(ln.debit_amount, ledger.rate(ln.currency, on)) for ln in lines), Decimal("0"))
        credits = sum((ln.credit_amount for ln in lines), Decimal("0"))
        lines.append(line(ledger.account("3110"), credit=debits - credits))
        entries.append(EntryInput(fund_id=ledger.funds[code].pk, entry_on=on,
                                  description="Opening balances brought forward", lines=lines))
    return entries


def payroll_entries(ledger: DemoLedger, month: datetime.date) -> list[EntryInput]:
    """The payroll interface: staff costs per cost centre, net pay out of the bank, local payrolls in local currency."""
    on = ledger.day_in(month, first=24, last=26)
    label = f"{month:%B %Y}"
    entries = []
    for code, total in MONTHLY_PAYROLL.items():
        centres = ledger.centres.get(code) or [None]
        shares = [Decimal(ledger.rng.randint(60, 140)) for _centre in centres]
        amounts = [cents(total * share / sum(shares) * Decimal(ledger.rng.uniform(0.985, 1.015))) for share in shares]
        lines = [line(ledger.account("5110"), debit=amount, cost_centre=centre,
                      description="Salaries and common staff costs")
                 for centre, amount in zip(centres, amounts, strict=True)]
        lines.append(line(ledger.account("1110"), credit=sum(amounts, Decimal("0")),
                          description="Net pay and deductions"))
        entries.append(EntryInput(fund_id=ledger.funds[code].pk, entry_on=on,
                                  description=f"Payroll {label} — Headquarters", lines=lines))
    for unit_code, currency, amount in LOCAL_PAYROLLS:
        unit = ledger.local_units.get(unit_code)
        if unit is None:
            continue
        amount = cents(amount * Decimal(ledger.rng.uniform(0.98, 1.02)))
        entries.append(EntryInput(
            fund_id=ledger.funds["RB"].pk, entry_on=on, description=f"Payroll {label} — {unit.entity.code}",
            lines=[line(ledger.account("5110"), debit=amount, currency=currency, cost_centre=unit),
                   line(ledger.account("1120"), credit=amount, currency=currency)]))
    return entries


TRAVEL_PURPOSES = ["Mission travel to Nairobi", "Conference servicing, Geneva", "Technical assistance mission, Bangkok",
                   "Official travel, Vienna", "Election observation support", "Training workshop, Addis Ababa",
                   "Fifth Committee consultations", "Home leave travel"]
OTHER_EXPENSES = [("5910", "Utilities and rental of premises"), ("5910", "Communications charges"),
                  ("5910", "Hospitality"), ("5310", "Office supplies purchased locally"),
                  ("5910", "Maintenance of equipment")]
FOREIGN_TRAVEL = {"UNOG-ADM": "CHF", "UNON-ADM": "KES", "ESCAP-ADM": "THB"}


def general_entries(ledger: DemoLedger, month: datetime.date) -> list[EntryInput]:
    """Travel, other operating expenses and grants, ``entries_per_month`` of them."""
    entries = []
    for _index in range(ledger.entries_per_month):
        fund = ledger.rng.choices(["RB", "SA", "XB"], [70, 20, 10])[0]
        roll, on = ledger.rng.random(), ledger.day_in(month)
        if fund == "XB" and roll < 0.5:
            amount = ledger.amount(50000, 450000)
            entries.append(EntryInput(
                fund_id=ledger.funds[fund].pk, entry_on=on, description="Grant to implementing partner, ICT capacity",
                lines=[line(ledger.account("5210"), debit=amount, cost_centre=ledger.centre(fund)),
                       line(ledger.account("1110"), credit=amount)]))
        elif roll < 0.6:
            local = list(ledger.local_units.values()) if fund == "RB" and ledger.rng.random() < 0.35 else []
            unit = ledger.rng.choice(local) if local else None
            currency = FOREIGN_TRAVEL[unit.code] if unit else "USD"
            amount = cents(ledger.amount(900, 38000) * ledger.rate(currency, month))
            entries.append(EntryInput(
                fund_id=ledger.funds[fund].pk, entry_on=on, description=ledger.rng.choice(TRAVEL_PURPOSES),
                lines=[line(ledger.account("5410"), debit=amount, currency=currency,
                            cost_centre=unit or ledger.centre(fund)),
                       line(ledger.account("1120" if unit else "1110"), credit=amount, currency=currency)]))
        else:
            account, description = ledger.rng.choice(OTHER_EXPENSES)
            amount = ledger.amount(2500, 240000)
            entries.append(EntryInput(
                fund_id=ledger.funds[fund].pk, entry_on=on, description=description,
                lines=[line(ledger.account(account), debit=amount, cost_centre=ledger.centre(fund)),
                       line(ledger.account("1110"), credit=amount)]))
    return entries


def recurring_entries(ledger: DemoLedger, month: datetime.date) -> list[EntryInput]:
    """Accruals, depreciation, the support account's financing and the trust fund's contributions."""
    end = min(month_end(month), ledger.today)
    benefits = Decimal(ledger.rng.randint(9500, 11500)) * Decimal("1000")
    centres = ledger.centres["RB"]
    entries = [
        EntryInput(fund_id=ledger.funds["RB"].pk, entry_on=end, description="After-service health insurance accrual",
                   lines=[line(ledger.account("5110"), debit=benefits, cost_centre=centres[1] if len(centres) > 1
                               else None),
                          line(ledger.account("2310"), credit=benefits)]),
        EntryInput(fund_id=ledger.funds["RB"].pk, entry_on=end,
                   description="Depreciation of property, plant and equipment",
                   lines=[line(ledger.account("5510"), debit=Decimal("4125000")),
                          line(ledger.account("1690"), credit=Decimal("4125000"))]),
        EntryInput(fund_id=ledger.funds["SA"].pk, entry_on=ledger.day_in(month, first=3, last=8),
                   description="Transfer from peacekeeping special accounts (prorated share of the support account)",
                   lines=[line(ledger.account("1110"), debit=Decimal("31250000")),
                          line(ledger.account("4910"), credit=Decimal("31250000"))]),
    ]
    for description, unit, low, high in (
            ("Contractual services under umbrella contracts (hosting, security, facilities)", 0, 30000, 38000),
            ("Share of jointly financed common services", 1, 18000, 24000)):
        amount = Decimal(ledger.rng.randint(low, high)) * Decimal("1000")
        entries.append(EntryInput(
            fund_id=ledger.funds["RB"].pk, entry_on=ledger.day_in(month, first=10, last=20), description=description,
            lines=[line(ledger.account("5910"), debit=amount, cost_centre=centres[unit] if len(centres) > unit
                        else None), line(ledger.account("1110"), credit=amount)]))
    if month.month % 3 == 2:
        entries.append(EntryInput(
            fund_id=ledger.funds["RB"].pk, entry_on=ledger.day_in(month, first=10, last=20),
            description="Subventions to research and training institutes",
            lines=[line(ledger.account("5210"), debit=Decimal("12400000")),
                   line(ledger.account("1110"), credit=Decimal("12400000"))]))
    if month.month % 3 == 1:
        donor = ledger.rng.choice(["Norway", "Germany", "Republic of Korea", "Netherlands", "Japan"])
        amount = Decimal(ledger.rng.randint(40, 150)) * Decimal("100000")
        entries.append(EntryInput(fund_id=ledger.funds["XB"].pk, entry_on=ledger.day_in(month, first=5, last=20),
                                  description=f"Voluntary contribution — {donor}",
                                  lines=[line(ledger.account("1110"), debit=amount),
                                         line(ledger.account("4210"), credit=amount)]))
    return entries


def currency_purchases(ledger: DemoLedger, month: datetime.date, spent: dict[str, Decimal]) -> list[EntryInput]:
    """Buy the local currency the month's payments need (in USD at the month's rate)."""
    entries = []
    for currency, amount in sorted(spent.items()):
        if currency == "USD" or not amount:
            continue
        bought = cents(amount * Decimal(ledger.rng.uniform(1.0, 1.06)))
        usd = usd_amount(bought, ledger.rate(currency, month))
        entries.append(EntryInput(fund_id=ledger.funds["RB"].pk, entry_on=month,
                                  description=f"Purchase of {currency} for local disbursements",
                                  lines=[line(ledger.account("1120"), debit=bought, currency=currency),
                                         line(ledger.account("1110"), credit=usd)]))
    return entries


def foreign_spending(entries: list[EntryInput], cash_account: int) -> dict[str, Decimal]:
    spent: dict[str, Decimal] = {}
    for entry in entries:
        for ln in entry.lines:
            if ln.account_id == cash_account and ln.currency != "USD":
                spent[ln.currency] = spent.get(ln.currency, Decimal("0")) + ln.credit_amount
    return spent


def post_month(ledger: DemoLedger, month: datetime.date) -> None:
    """The month's general-journal and payroll-interface entries, each journal posted as one batch."""
    general = general_entries(ledger, month) + recurring_entries(ledger, month)
    payroll = payroll_entries(ledger, month) if month.replace(day=24) <= ledger.today else []
    spent = foreign_spending(general + payroll, ledger.account("1120"))
    general = currency_purchases(ledger, month, spent) + general
    journal.post_journal_entries(actor=ledger.accountant, journal=Journal.objects.get(code="GJ"), entries=general)
    if payroll:
        journal.post_journal_entries(actor=ledger.accountant, journal=Journal.objects.get(code="IF"), entries=payroll,
                                     audit_action="finance.payroll_interface.posted")


def record_invoices(ledger: DemoLedger, month: datetime.date) -> None:
    """Vendor invoices of the month, from the vendors in turn (three in eight invoice in euros), due
    thirty days later."""
    for _index in range(max(2, ledger.entries_per_month // 3)):
        vendor, currency, expense = ledger.vendors[ledger.invoice_count % len(ledger.vendors)]
        ledger.invoice_count += 1
        # Euro invoices are Vienna's, on the regular budget: the other funds hold no foreign currency.
        fund = "RB" if currency == "EUR" else ledger.rng.choices(["RB", "SA", "XB"], [70, 20, 10])[0]
        invoice_on = ledger.day_in(month)
        low, high = (4000, 180000) if currency == "EUR" else (6000, 650000)
        invoice = payables.record_vendor_invoice(
            actor=ledger.officer, vendor=vendor, fund=ledger.funds[fund], expense_account=ledger.accounts[expense],
            invoice_number=f"INV-{invoice_on:%y%m}-{ledger.invoice_count:04d}", invoice_on=invoice_on,
            due_on=invoice_on + datetime.timedelta(days=30), currency=currency, amount=ledger.amount(low, high),
            cost_centre=ledger.centre(fund))
        ledger.open_invoices.append(invoice)


def pay_invoices(ledger: DemoLedger, month: datetime.date) -> None:
    """The month's payment runs (one per bank account): the invoices due by the run.
    The first run pays one invoice only in part (a disputed quantity)."""
    run_on = month.replace(day=PAYMENT_RUN_DAY)
    if run_on > ledger.today:
        return
    for currency, account in ledger.bank_accounts.items():
        due = [inv for inv in ledger.open_invoices
               if inv.currency == currency and inv.due_on <= run_on]
        if not due:
            continue
        partly = not ledger.payments and currency == "USD"
        instructions = [payables.PaymentInstruction(
            invoice_id=inv.pk, amount=cents(inv.outstanding_amount / 2) if partly and index == 0
            else inv.outstanding_amount) for index, inv in enumerate(due)]
        run = payables.create_payment_run(actor=ledger.accountant, bank_account=account, payment_on=run_on,
                                          reference=f"PR-{currency}-{run_on:%Y%m}", instructions=instructions)
        ledger.payments += list(run.payments.select_related("payment_run", "invoice__vendor"))
        ledger.open_invoices = [inv for inv in ledger.open_invoices if inv not in due]


# --- Assessed contributions --------------------------------------------------------------------


def payment_habits(seed: int) -> dict[str, str]:
    """Each Member State's habit (by alpha-3 code), the same every year and whatever the volume."""
    habits = PAYMENT_HABITS[:]
    random.Random(seed).shuffle(habits)
    return dict(zip(sorted(SCALE), habits, strict=True))


def assessed_sample(habits: dict[str, str], count: int | None) -> list[str]:
    """The Member States in the scale: all of them, or ``count`` taken in turn from each habit
    (largest contributors first) so that a small demo still has every kind of payer."""
    if count is None or count >= len(SCALE):
        return sorted(SCALE)
    largest_first = sorted(SCALE, key=lambda code: -Decimal(SCALE[code]))
    by_habit = {habit: [code for code in largest_first if habits[code] == habit] for habit in PAYMENT_KINDS}
    chosen = []
    while len(chosen) < count:
        for codes in by_habit.values():
            if codes and len(chosen) < count:
                chosen.append(codes.pop(0))
    return sorted(chosen)


def enter_scale(ledger: DemoLedger, years: tuple[int, int], codes: list[str]) -> list[Country]:
    states = list(Country.objects.filter(alpha3__in=codes, is_member_state=True).order_by("alpha3"))
    for state in states:
        receivables.set_assessment_rate(actor=ledger.accountant, member_state=state, from_year=years[0],
                                        to_year=years[1] + 1, rate_percent=Decimal(SCALE[state.alpha3]))
    return states


def payment_plan(habit: str, year: int) -> list[tuple[datetime.date, Decimal]]:
    """When a Member State with ``habit`` pays a year's assessment, as (date, share)."""
    return {
        "prompt": [(datetime.date(year, 1, 27), Decimal("1"))],
        "instalments": [(datetime.date(year, 3, 16), Decimal("0.4")), (datetime.date(year, 6, 15), Decimal("0.3")),
                        (datetime.date(year, 9, 15), Decimal("0.3"))],
        "late": [(datetime.date(year, 10, 20), Decimal("1"))],
        "partial": [(datetime.date(year, 5, 18), Decimal("0.5"))],
        "none": [],
    }[habit]


def assess_and_collect(ledger: DemoLedger, habits: dict[str, str], year: int, total: Decimal) -> int:
    """Issue the year's regular-budget assessments (due in thirty days) and record and apply what
    each Member State has paid of them by today."""
    assessed_on = min(datetime.date(year, 1, 2), ledger.today)
    assessments = receivables.issue_assessments(
        actor=ledger.accountant, fund=ledger.funds["RB"], reference=f"RB/{year}", year=year, total_amount=total,
        assessed_on=assessed_on, due_on=assessed_on + datetime.timedelta(days=30))
    for assessment in assessments:
        plan = payment_plan(habits[assessment.member_state.alpha3], year)
        paid_in_full = sum((share for _on, share in plan), Decimal("0")) == 1
        collected = Decimal("0")
        for number, (received_on, share) in enumerate(plan, start=1):
            if received_on > ledger.today:
                break
            last = number == len(plan) and paid_in_full
            amount = assessment.amount - collected if last else cents(assessment.amount * share)
            receipt = record_contribution(ledger, assessment.member_state, received_on, amount, f"{year}-{number}")
            receivables.apply_receipt(actor=ledger.accountant, receipt_id=receipt.pk, applied_on=received_on,
                                      applications=[receivables.Application(assessment_id=assessment.pk,
                                                                            amount=amount)])
            collected += amount
    return len(assessments)


def record_contribution(ledger: DemoLedger, state: Country, received_on: datetime.date, amount: Decimal,
                        suffix: str) -> Receipt:
    receipt = receivables.record_receipt(
        actor=ledger.accountant, member_state=state, bank_account=ledger.bank_accounts["USD"], fund=ledger.funds["RB"],
        received_on=received_on, reference=f"MS-{state.alpha3}-{suffix}", amount=amount)
    ledger.receipts.append(receipt)
    return receipt


def advance_payments(ledger: DemoLedger, states: list[Country], habits: dict[str, str], month: datetime.date) -> None:
    """Two Member States pay the same round amount in advance of next year's assessment: held as
    credits, and ambiguous for the automatic bank matching (same amount, no reference)."""
    payers = sorted((s for s in states if habits[s.alpha3] == "prompt"),
                    key=lambda s: (s.alpha3 not in ("NOR", "SWE"), s.alpha3))[:2]
    for day, state in zip((9, 12), payers, strict=False):
        ledger.advance_receipts.append(record_contribution(
            ledger, state, month.replace(day=day), Decimal("100000.00"), f"{month.year + 1}-ADV"))


def staff_advances(ledger: DemoLedger, month: datetime.date) -> None:
    """Now and then an education-grant advance to a staff member (an other receivable)."""
    if month.month % 4 != 2:
        return
    person = ledger.rng.choice(ledger.people) if ledger.people else None
    receivables.record_other_receivable(
        actor=ledger.officer, kind=ReceivableKind.STAFF_ADVANCE, fund=ledger.funds["RB"],
        debtor=f"{person.given_name} {person.family_name}" if person else "Staff member", person=person,
        description="Education grant advance", raised_on=ledger.day_in(month), amount=ledger.amount(4000, 18000),
        counter_account=ledger.accounts["1110"])


# --- Bank statements ---------------------------------------------------------------------------

CAMT_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@dataclass
class BankLine:
    booked_on: datetime.date
    amount: Decimal  # positive = money in
    end_to_end_id: str
    remittance: str
    counterparty: str


def camt053(*, statement_id: str, account: BankAccount, created_at: datetime.datetime, opening: Decimal,
            lines: list[BankLine], first_day: datetime.date, last_day: datetime.date) -> bytes:
    """The bank's camt.053.001.02 statement of ``lines`` (what a bank would send)."""
    ns = CAMT_NAMESPACE

    def E(tag, *children, text=None, **attrs):  # noqa: N802
        node = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns} if tag == "Document" else None, **attrs)
        node.text = text
        node.extend(children)
        return node

    def balance(code, amount, on):
        return E("Bal", E("Tp", E("CdOrPrtry", E("Cd", text=code))), E("Amt", text=f"{abs(amount):.2f}",
                 Ccy=account.currency), E("CdtDbtInd", text="CRDT" if amount >= 0 else "DBIT"),
                 E("Dt", E("Dt", text=on.isoformat())))

    closing = opening + sum((ln.amount for ln in lines), Decimal("0"))
    entries = []
    for number, ln in enumerate(lines, start=1):
        party = "Dbtr" if ln.amount > 0 else "Cdtr"
        entries.append(E(
            "Ntry", E("Amt", text=f"{abs(ln.amount):.2f}", Ccy=account.currency),
            E("CdtDbtInd", text="CRDT" if ln.amount > 0 else "DBIT"), E("Sts", text="BOOK"),
            E("BookgDt", E("Dt", text=ln.booked_on.isoformat())), E("ValDt", E("Dt", text=ln.booked_on.isoformat())),
            E("AcctSvcrRef", text=f"{statement_id}-{number:04d}"),
            E("BkTxCd", E("Prtry", E("Cd", text="TRF" if ln.end_to_end_id or ln.counterparty else "CHG"))),
            E("NtryDtls", E("TxDtls", E("Refs", E("EndToEndId", text=ln.end_to_end_id or "NOTPROVIDED")),
                            E("RltdPties", E(party, E("Nm", text=ln.counterparty or "BANK"))),
                            E("RmtInf", E("Ustrd", text=ln.remittance))))))
    document = E("Document", E(
        "BkToCstmrStmt",
        E("GrpHdr", E("MsgId", text=statement_id), E("CreDtTm", text=created_at.replace(microsecond=0).isoformat())),
        E("Stmt", E("Id", text=statement_id), E("CreDtTm", text=created_at.replace(microsecond=0).isoformat()),
          E("FrToDt", E("FrDtTm", text=f"{first_day.isoformat()}T00:00:00"),
            E("ToDtTm", text=f"{last_day.isoformat()}T23:59:59")),
          E("Acct", E("Id", E("IBAN", text=account.iban)), E("Ccy", text=account.currency)),
          balance("OPBD", opening, first_day), balance("CLBD", closing, last_day), *entries)))
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def statement_csv(lines: list[BankLine]) -> bytes:
    rows = ["booked_on,amount,reference,counterparty"]
    rows += [f"{ln.booked_on.isoformat()},{ln.amount:.2f},{ln.end_to_end_id or ln.remittance},"
             f"\"{ln.counterparty}\"" for ln in lines]
    return ("\n".join(rows) + "\n").encode()


def bank_lines(ledger: DemoLedger, account: BankAccount, month: datetime.date) -> list[BankLine]:
    """What the bank booked on ``account`` in ``month``: the payments and receipts of the month."""
    last = min(month_end(month), ledger.today)
    lines = []
    with translation.override("en"):
        for receipt in ledger.receipts:
            if receipt.bank_account_id == account.pk and month <= receipt.received_on <= last \
                    and receipt not in ledger.advance_receipts:
                lines.append(BankLine(receipt.received_on, receipt.amount, "",
                                      f"/ROC/{receipt.reference} CONTRIBUTION",
                                      f"GOVERNMENT OF {receipt.member_state.name.upper()}"[:70]))
    for payment in ledger.payments:
        if payment.payment_run.bank_account_id == account.pk and month <= payment.payment_run.payment_on <= last:
            lines.append(BankLine(payment.payment_run.payment_on, -payment.amount, payment.end_to_end_id,
                                  payment.invoice.invoice_number, payment.invoice.vendor.name))
    return sorted(lines, key=lambda ln: ln.booked_on)


def unmatched_extras(ledger: DemoLedger, month: datetime.date, currency: str) -> list[BankLine]:
    """Lines the automatic matching cannot place: charges, interest and the two advance payments
    (same amount, no reference we know), booked first so that both stay ambiguous."""
    if currency != "USD":
        return [BankLine(month.replace(day=28), Decimal("-25.00"), "", "ACCOUNT MAINTENANCE FEE", "")]
    extras = [BankLine(receipt.received_on, receipt.amount, "", "PAYMENT ON ACCOUNT 2ND TRANCHE",
                       "MINISTRY OF FOREIGN AFFAIRS") for receipt in ledger.advance_receipts]
    extras += [BankLine(month.replace(day=14), Decimal("-45.00"), "", "WIRE TRANSFER CHARGES", ""),
               BankLine(month_end(month), Decimal("2318.44"), "", "CREDIT INTEREST", "")]
    return extras


def import_statements(ledger: DemoLedger, months: list[datetime.date], summary: FinanceDemo) -> None:
    """The last months' statements; the month before the current one carries the lines to match by hand.

    The loader matches one of the two advance payments by hand (treasury found the transfer
    advice); the other, the charges and the interest are left for the demo user.
    """
    previous_month = previous_month_of(ledger.today)
    balances = {"USD": Decimal("412650000.00"), "EUR": Decimal("9875000.00")}
    created_at = timezone.now()
    for month in months[-STATEMENT_MONTHS:]:
        for currency, account in ledger.bank_accounts.items():
            lines = bank_lines(ledger, account, month)
            if month == previous_month:
                lines = unmatched_extras(ledger, month, currency) + lines
            if not lines:
                continue
            statement_id = f"{account.code}-{month:%Y-%m}"
            if currency == "USD":
                [statement] = bank.import_bank_statement(
                    actor=ledger.accountant, bank_account=account, source_format="camt053",
                    content=camt053(statement_id=statement_id, account=account, created_at=created_at,
                                    opening=balances[currency], lines=lines, first_day=month,
                                    last_day=min(month_end(month), ledger.today)))
            else:
                [statement] = bank.import_bank_statement(
                    actor=ledger.accountant, bank_account=account, source_format="csv", content=statement_csv(lines),
                    statement_id=statement_id, opening_balance=balances[currency])
            balances[currency] = statement.closing_balance
    if ledger.advance_receipts:
        first = ledger.advance_receipts[0]
        line_to_match = BankStatementLine.objects.filter(
            amount=first.amount, payment__isnull=True, receipt__isnull=True,
            statement__bank_account=first.bank_account).order_by("booked_on", "pk").first()
        if line_to_match is not None:
            bank.match_bank_line(actor=ledger.accountant, line_id=line_to_match.pk, receipt_id=first.pk)
    lines = BankStatementLine.objects.filter(statement__bank_account__in=ledger.bank_accounts.values())
    summary.statement_lines = lines.count()
    summary.matched_lines = lines.filter(payment__isnull=False).count() + lines.filter(receipt__isnull=False).count()


# --- The journal-entry workflow ----------------------------------------------------------------

# (fund, description, [(account, debit, credit, currency, cost centre code)], how far it goes)
MANUAL_ENTRIES = [
    ("RB", "Accrual of data-centre hosting services received but not yet invoiced",
     [("5910", "184500.00", None, "USD", "OICT"), ("2910", None, "184500.00", "USD", None)], EntryStatus.POSTED),
    ("RB", "Reclassification of travel charged to the wrong cost centre",
     [("5410", "12340.50", None, "USD", "DPPA"), ("5410", None, "12340.50", "USD", "OICT")], EntryStatus.POSTED),
    ("RB", "Conference services paid in advance, recorded as an expense",
     [("1410", "46800.00", None, "USD", None), ("5910", None, "46800.00", "USD", "DGACM")], EntryStatus.POSTED),
    ("RB", "Accrual of utilities for the month, Geneva",
     [("5910", "58000.00", None, "CHF", "UNOG-ADM"), ("2910", None, "58000.00", "CHF", None)], EntryStatus.APPROVED),
    ("XB", "Grant expense of the ICT capacity-building project for the quarter",
     [("5210", "250000.00", None, "USD", "OICT-SSD"), ("2910", None, "250000.00", "USD", None)],
     EntryStatus.CERTIFIED),
    ("SA", "Accrual of contractual services for peacekeeping ICT support",
     [("5910", "95000.00", None, "USD", "DPO"), ("2910", None, "95000.00", "USD", None)], EntryStatus.SUBMITTED),
    ("RB", "Recovery of a staff advance (to be completed)",
     [("1110", "1250.00", None, "USD", None), ("1310", None, "1250.00", "USD", None)], EntryStatus.DRAFT),
]
WORKFLOW = [EntryStatus.SUBMITTED, EntryStatus.CERTIFIED, EntryStatus.APPROVED, EntryStatus.POSTED]


def manual_entries(ledger: DemoLedger) -> None:
    """Entries prepared by the finance officer and taken through the workflow by the right people."""
    steps = {EntryStatus.SUBMITTED: (journal.submit_journal_entry, ledger.officer),
             EntryStatus.CERTIFIED: (journal.certify_journal_entry, ledger.certifier),
             EntryStatus.APPROVED: (journal.approve_journal_entry, ledger.approver),
             EntryStatus.POSTED: (journal.post_journal_entry, ledger.accountant)}
    units = {u.code: u for u in OrgUnit.objects.filter(
        code__in={ln[4] for e in MANUAL_ENTRIES for ln in e[2] if ln[4]} | {"DGACM"})}
    general = Journal.objects.get(code="GJ")
    for fund, description, lines, target in MANUAL_ENTRIES:
        entry = journal.create_journal_entry(actor=ledger.officer, journal=general, entry=EntryInput(
            fund_id=ledger.funds[fund].pk, entry_on=ledger.day_in(ledger.today), description=description,
            lines=[LineInput(account_id=ledger.account(account), debit_amount=Decimal(debit or 0),
                             credit_amount=Decimal(credit or 0), currency=currency,
                             cost_centre_id=units[unit].pk if unit in units else None)
                   for account, debit, credit, currency, unit in lines]))
        for status in (WORKFLOW[:WORKFLOW.index(target) + 1] if target in WORKFLOW else []):
            service, actor = steps[status]
            service(actor=actor, entry_id=entry.pk)
    claim = EntryInput(fund_id=ledger.funds["RB"].pk, entry_on=ledger.day_in(ledger.today),
                       description="Travel claim TC-4471, Conference servicing, Geneva",
                       lines=[line(ledger.account("5410"), debit=Decimal("6385.20"), cost_centre=units.get("DGACM")),
                              line(ledger.account("1110"), credit=Decimal("6385.20"))])
    interface = Journal.objects.get(code="IF")
    journal.post_journal_entries(actor=ledger.accountant, journal=interface, entries=[claim])
    [duplicate] = journal.post_journal_entries(actor=ledger.accountant, journal=interface, entries=[claim])
    journal.reverse_journal_entry(actor=ledger.accountant, entry_id=duplicate.pk, reversal_on=ledger.today,
                                  reason="Travel claim sent twice by the travel interface")


def close_old_periods(ledger: DemoLedger) -> None:
    """Months before the previous one are closed (the previous and the current month stay open)."""
    previous_month = previous_month_of(ledger.today)
    for period in FiscalPeriod.objects.filter(calendar=CALENDAR, status=PeriodStatus.OPEN,
                                              ends_on__lt=previous_month).order_by("starts_on"):
        structure.close_fiscal_period(actor=ledger.accountant, period_id=period.pk,
                                      reason="Monthly closing of accounts")


# --- The loader --------------------------------------------------------------------------------


def is_loaded() -> bool:
    return BankAccount.objects.filter(code=BANK_ACCOUNTS[0][0]).exists()


@transaction.atomic
def load_finance_demo(*, entries_per_month: int = 12, member_states: int | None = None, seed: int = 2026,
                      today: datetime.date | None = None) -> FinanceDemo | None:
    """Build the demo ledger on the demo organisation; None if it is already there.

    ``entries_per_month`` and ``member_states`` (how many of the sample are assessed; all by
    default) set the volume.

    Needs core's demo (``admin``, ``certifier``, ``approver``); runs before or after the budget demo.
    """
    if is_loaded():
        return None
    admin = User.objects.filter(username="admin", is_superuser=True).first()
    if admin is None:
        raise ValueError(_("Load the demo organisation first (secretariat load_demo)."))
    today = today or timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    opening_day = start - datetime.timedelta(days=1)  # balances brought forward, in the year before
    users = finance_users()
    ledger = DemoLedger(today=today, rng=random.Random(seed), entries_per_month=entries_per_month,
                        officer=users["finance.officer"], accountant=users["chief.accountant"],
                        certifier=users["certifier"], approver=users["approver"])
    summary = FinanceDemo()

    structure.install_standard_chart(actor=admin)
    ledger.accounts = {a.code: a for a in Account.objects.all()}
    ledger.funds = demo_funds(admin)
    grant_finance_roles(admin, users, ledger.funds, since=start)
    open_fiscal_years(ledger.accountant, (opening_day.year, start.year, today.year))
    months = months_between(start, today)
    enter_rates(ledger, [opening_day.replace(day=1)] + months)
    ledger.centres, ledger.local_units = cost_centres()
    ledger.people = list(Person.objects.filter(user__isnull=True).order_by("index_number")[:40])
    create_vendors_and_banks(ledger)
    habits = payment_habits(seed)
    states = enter_scale(ledger, (start.year, today.year), assessed_sample(habits, member_states))
    previous_month = previous_month_of(today)

    journal.post_journal_entries(actor=ledger.accountant, journal=Journal.objects.get(code="GJ"),
                                 entries=opening_balances(ledger, opening_day))
    for month in months:
        post_month(ledger, month)
        record_invoices(ledger, month)
        if month.month == 1:
            summary.assessments += assess_and_collect(ledger, habits, month.year,
                                                      REGULAR_BUDGET_ASSESSED[month.year - start.year])
        if month == previous_month:
            advance_payments(ledger, states, habits, month)
        staff_advances(ledger, month)
        pay_invoices(ledger, month)
        if month_end(month) < today:
            for fund in ledger.funds.values():
                revaluation.revalue_monetary_balances(actor=ledger.accountant, fund=fund,
                                                      period=FiscalPeriod.objects.get(calendar=CALENDAR,
                                                                                      starts_on=month))
    manual_entries(ledger)
    import_statements(ledger, months, summary)
    close_old_periods(ledger)
    summary.invoices = ledger.invoice_count
    summary.receipts = len(ledger.receipts)
    summary.entries_posted = JournalEntry.objects.filter(status__in=[EntryStatus.POSTED, EntryStatus.REVERSED],
                                                         fund__in=ledger.funds.values()).count()
    return summary
