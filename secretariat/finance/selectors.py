"""Reads of the ledger: for finance's own screens and API, and the stable interface through which
other apps (budget, procurement, HR, travel, reporting) read posted amounts.

Stable functions for other apps (keyword-only arguments, USD amounts as ``Decimal``; they never
write and never check a user's access — the calling app decides who may see its own report):

* ``posted_amounts(...)``  net posted USD (debits − credits) grouped by any of fund, account,
  object class (account's parent code), cost centre, period — e.g. budget vs actual.
* ``posted_amount(...)``   the same, summed to one figure.
* ``fiscal_period_on(...)`` the period of a fund's calendar that contains a date.
* ``open_fiscal_periods(...)``.
* ``account_balances(...)`` cumulative or year-to-date balances from the maintained period balances.

The finance screens use ``accessible_*`` selectors, which filter by the user's roles in scope.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import has_permission, scoped
from secretariat.core.models import Country
from secretariat.finance.models import (
    ASSET_LINES,
    EXPENSE_LINES,
    LEDGER_STATUSES,
    LIABILITY_LINES,
    NET_ASSET_LINES,
    REVENUE_LINES,
    ZERO,
    Account,
    AccountType,
    Assessment,
    BankAccount,
    BankStatementLine,
    FiscalPeriod,
    Fund,
    JournalEntry,
    JournalLine,
    Payment,
    PeriodBalance,
    PeriodStatus,
    Receipt,
    StatementLine,
    VendorInvoice,
)

# --- Stable interface for other apps ----------------------------------------------------------

GROUPINGS = {
    "entry": "entry_id",
    "fund": "fund__code",
    "account": "account__code",
    "object_class": "account__parent__code",
    "cost_centre": "cost_centre_id",
    "period": "entry__period_id",
    "project": "project__code",
    "grant": "grant__code",
    "obligation": "obligation",  # "" for lines that name none
}


def posted_lines(*, fund_ids=None, account_codes=None, account_type: str | None = None, cost_centre_ids=None,
                 starts_on: datetime.date | None = None, ends_on: datetime.date | None = None,
                 entry_ids=None) -> QuerySet:
    """Lines of posted (and later reversed — their reversals are posted too) entries matching the filters."""
    lines = JournalLine.objects.filter(entry__status__in=LEDGER_STATUSES)
    if entry_ids is not None:
        lines = lines.filter(entry_id__in=entry_ids)
    if fund_ids is not None:
        lines = lines.filter(fund_id__in=fund_ids)
    if account_codes is not None:
        lines = lines.filter(account__code__in=account_codes)
    if account_type is not None:
        lines = lines.filter(account__account_type=account_type)
    if cost_centre_ids is not None:
        lines = lines.filter(cost_centre_id__in=cost_centre_ids)
    if starts_on is not None:
        lines = lines.filter(entry__entry_on__gte=starts_on)
    if ends_on is not None:
        lines = lines.filter(entry__entry_on__lte=ends_on)
    return lines


def posted_amounts(*, group_by: tuple[str, ...] = ("fund", "account"), **filters) -> list[dict]:
    """Net posted USD (debits − credits) per group; ``group_by`` from ``GROUPINGS``.

    Example (budget vs actual of expenses for a fund and year)::

        posted_amounts(group_by=("account", "cost_centre"), fund_ids=[fund.pk],
                       account_type="expense", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
        -> [{"account": "7110", "cost_centre": 12, "amount_usd": Decimal("1500.00")}, ...]
    """
    paths = {name: GROUPINGS[name] for name in group_by}
    rows = (posted_lines(**filters).values(**{f"g_{name}": F(path) for name, path in paths.items()})
            .annotate(debits=Sum("debit_usd"), credits=Sum("credit_usd")).order_by(*[f"g_{n}" for n in paths]))
    return [{**{name: row[f"g_{name}"] for name in paths},
             "amount_usd": Decimal(row["debits"] or 0) - Decimal(row["credits"] or 0)} for row in rows]


def posted_amount(**filters) -> Decimal:
    """Net posted USD (debits − credits) of the lines matching the filters of ``posted_lines``."""
    totals = posted_lines(**filters).aggregate(debits=Sum("debit_usd"), credits=Sum("credit_usd"))
    return Decimal(totals["debits"] or 0) - Decimal(totals["credits"] or 0)


def fiscal_period_on(*, fund: Fund, on: datetime.date) -> FiscalPeriod | None:
    return FiscalPeriod.objects.filter(calendar=fund.calendar, starts_on__lte=on, ends_on__gte=on).first()


def open_fiscal_periods(*, calendar: str) -> QuerySet:
    return FiscalPeriod.objects.filter(calendar=calendar, status=PeriodStatus.OPEN).order_by("starts_on")


def balance_rows(*, period: FiscalPeriod, fund_ids=None, year_to_date: bool = False,
                 before: bool = False) -> dict[int, Decimal]:
    """Net debit balance per account from the maintained period balances (reads at most
    periods × funds × accounts rows, whatever the number of lines).

    Cumulative from the first period up to ``period`` (or year-to-date), or strictly before it.
    """
    periods = FiscalPeriod.objects.filter(calendar=period.calendar)
    if year_to_date:
        periods = periods.filter(fiscal_year=period.fiscal_year)
    periods = periods.filter(starts_on__lt=period.starts_on) if before else periods.filter(
        starts_on__lte=period.starts_on)
    balances = PeriodBalance.objects.filter(period__in=periods)
    if fund_ids is not None:
        balances = balances.filter(fund_id__in=fund_ids)
    rows = balances.values("account_id").annotate(debits=Sum("debit_usd"), credits=Sum("credit_usd"))
    return {row["account_id"]: Decimal(row["debits"] or 0) - Decimal(row["credits"] or 0) for row in rows}


def account_balances(*, period: FiscalPeriod, fund_ids=None) -> dict[str, Decimal]:
    """Net debit balance per account code at the end of ``period`` (balance-sheet accounts
    cumulative, revenue and expense accounts year-to-date)."""
    accounts = {a.pk: a for a in Account.objects.all()}
    cumulative = balance_rows(period=period, fund_ids=fund_ids)
    ytd = balance_rows(period=period, fund_ids=fund_ids, year_to_date=True)
    result = {}
    for account_id, account in accounts.items():
        source = ytd if account.account_type in (AccountType.REVENUE, AccountType.EXPENSE) else cumulative
        if account_id in source:
            result[account.code] = source[account_id]
    return result


# --- Trial balance and statements -------------------------------------------------------------


@dataclass
class TrialBalanceRow:
    account: Account
    opening: Decimal
    debits: Decimal
    credits: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debits - self.credits


@dataclass
class TrialBalance:
    period: FiscalPeriod
    rows: list[TrialBalanceRow]

    @property
    def total_debits(self) -> Decimal:
        return sum((r.debits for r in self.rows), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((r.credits for r in self.rows), ZERO)

    @property
    def total_closing(self) -> Decimal:
        return sum((r.closing for r in self.rows), ZERO)


def trial_balance(*, period: FiscalPeriod, fund_ids=None) -> TrialBalance:
    """Opening balance, the period's debits and credits, and closing balance per account (USD).

    Balances are cumulative since the first period (revenue and expenses are not closed into
    net assets by entries: the statements carry prior years' surplus instead), so the closing
    column sums to zero for any fund or set of funds.
    """
    opening = balance_rows(period=period, fund_ids=fund_ids, before=True)
    movements = PeriodBalance.objects.filter(period=period)
    if fund_ids is not None:
        movements = movements.filter(fund_id__in=fund_ids)
    moved = {row["account_id"]: (Decimal(row["d"] or 0), Decimal(row["c"] or 0)) for row in
             movements.values("account_id").annotate(d=Sum("debit_usd"), c=Sum("credit_usd"))}
    accounts = Account.objects.in_bulk(opening.keys() | moved.keys())
    rows = [TrialBalanceRow(accounts[pk], opening.get(pk, ZERO), *moved.get(pk, (ZERO, ZERO)))
            for pk in accounts]
    rows = [r for r in rows if r.opening or r.debits or r.credits]
    rows.sort(key=lambda r: r.account.code)
    return TrialBalance(period, rows)


def trial_balance_by_full_scan(*, period: FiscalPeriod, fund_ids=None) -> dict[int, Decimal]:
    """Closing balance per account summed from every journal line (what the maintained balances
    save; used by the benchmark and by tests to prove the balances right)."""
    lines = JournalLine.objects.filter(entry__status__in=LEDGER_STATUSES, entry__period__calendar=period.calendar,
                                       entry__period__starts_on__lte=period.starts_on)
    if fund_ids is not None:
        lines = lines.filter(fund_id__in=fund_ids)
    rows = lines.values("account_id").annotate(d=Sum("debit_usd"), c=Sum("credit_usd"))
    return {row["account_id"]: Decimal(row["d"] or 0) - Decimal(row["c"] or 0) for row in rows}


@dataclass
class StatementRow:
    line: str
    label: str
    current: Decimal
    prior: Decimal
    is_total: bool = False


def comparative_period(period: FiscalPeriod) -> FiscalPeriod | None:
    return FiscalPeriod.objects.filter(calendar=period.calendar, fiscal_year=period.fiscal_year - 1,
                                       number=period.number).first()


def amounts_by_statement_line(period: FiscalPeriod | None, fund_ids, *, year_to_date: bool,
                              before: bool = False) -> dict[str, Decimal]:
    """Net debit USD per statement line (cumulative or year-to-date)."""
    if period is None:
        return {}
    balances = balance_rows(period=period, fund_ids=fund_ids, year_to_date=year_to_date, before=before)
    lines = dict(Account.objects.filter(pk__in=balances.keys()).values_list("pk", "statement_line"))
    result: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for account_id, amount in balances.items():
        result[lines[account_id]] += amount
    return result


def label_of(line: str) -> str:
    return str(StatementLine(line).label)


def surplus_of(amounts: dict[str, Decimal]) -> Decimal:
    """Revenue − expenses from net debit amounts (revenue is credit, so negate)."""
    return -sum((amounts.get(line, ZERO) for line in REVENUE_LINES + EXPENSE_LINES), ZERO)


def financial_position(*, period: FiscalPeriod, fund_ids=None) -> list[StatementRow]:
    """IPSAS 1 statement of financial position at the end of ``period``, with the same period of
    the prior year; net assets include the accumulated surplus of all years to date."""
    prior_period = comparative_period(period)
    cur = amounts_by_statement_line(period, fund_ids, year_to_date=False)
    pri = amounts_by_statement_line(prior_period, fund_ids, year_to_date=False)
    rows: list[StatementRow] = []

    def section(lines, sign, total_label):
        total_cur = total_pri = ZERO
        for line in lines:
            c, p = sign * cur.get(line, ZERO), sign * pri.get(line, ZERO)
            if c or p:
                rows.append(StatementRow(line, label_of(line), c, p))
            total_cur, total_pri = total_cur + c, total_pri + p
        rows.append(StatementRow("", str(total_label), total_cur, total_pri, is_total=True))
        return total_cur, total_pri

    assets = section(ASSET_LINES, 1, _("Total assets"))
    liabilities = section(LIABILITY_LINES, -1, _("Total liabilities"))
    rows.append(StatementRow("", str(_("Net assets (total assets less total liabilities)")),
                             assets[0] - liabilities[0], assets[1] - liabilities[1], is_total=True))
    accumulated = [-cur.get(StatementLine.ACCUMULATED_SURPLUS, ZERO) + surplus_of(cur),
                   -pri.get(StatementLine.ACCUMULATED_SURPLUS, ZERO) + surplus_of(pri)]
    rows.append(StatementRow(StatementLine.ACCUMULATED_SURPLUS, label_of(StatementLine.ACCUMULATED_SURPLUS),
                             *accumulated))
    reserves = [-cur.get(StatementLine.RESERVES, ZERO), -pri.get(StatementLine.RESERVES, ZERO)]
    if any(reserves):
        rows.append(StatementRow(StatementLine.RESERVES, label_of(StatementLine.RESERVES), *reserves))
    rows.append(StatementRow("", str(_("Total net assets")), accumulated[0] + reserves[0],
                             accumulated[1] + reserves[1], is_total=True))
    return rows


def financial_performance(*, period: FiscalPeriod, fund_ids=None) -> list[StatementRow]:
    """IPSAS 1 statement of financial performance for the fiscal year to the end of ``period``."""
    prior_period = comparative_period(period)
    cur = amounts_by_statement_line(period, fund_ids, year_to_date=True)
    pri = amounts_by_statement_line(prior_period, fund_ids, year_to_date=True)
    rows = []
    totals = {}
    for lines, sign, label in ((REVENUE_LINES, -1, _("Total revenue")), (EXPENSE_LINES, 1, _("Total expenses"))):
        tc = tp = ZERO
        for line in lines:
            c, p = sign * cur.get(line, ZERO), sign * pri.get(line, ZERO)
            if c or p:
                rows.append(StatementRow(line, label_of(line), c, p))
            tc, tp = tc + c, tp + p
        rows.append(StatementRow("", str(label), tc, tp, is_total=True))
        totals[sign] = (tc, tp)
    rows.append(StatementRow("", str(_("Surplus/(deficit) for the year")), totals[-1][0] - totals[1][0],
                             totals[-1][1] - totals[1][1], is_total=True))
    return rows


def changes_in_net_assets(*, period: FiscalPeriod, fund_ids=None) -> list[StatementRow]:
    """IPSAS 1 statement of changes in net assets for the fiscal year to the end of ``period``."""
    prior_period = comparative_period(period)

    def figures(p):
        if p is None:
            return ZERO, ZERO, ZERO
        start = FiscalPeriod.objects.filter(calendar=p.calendar, fiscal_year=p.fiscal_year, number=1).first()
        opening_amounts = amounts_by_statement_line(start, fund_ids, year_to_date=False, before=True)
        ytd = amounts_by_statement_line(p, fund_ids, year_to_date=True)
        opening = -sum((opening_amounts.get(line, ZERO) for line in NET_ASSET_LINES), ZERO) + surplus_of(
            opening_amounts)
        surplus = surplus_of(ytd)
        direct = -sum((ytd.get(line, ZERO) for line in NET_ASSET_LINES), ZERO)
        return opening, surplus, direct

    cur, pri = figures(period), figures(prior_period)
    return [
        StatementRow("", str(_("Net assets at the beginning of the year")), cur[0], pri[0]),
        StatementRow("", str(_("Surplus/(deficit) for the year")), cur[1], pri[1]),
        StatementRow("", str(_("Other movements recognized directly in net assets")), cur[2], pri[2]),
        StatementRow("", str(_("Net assets at the end of the period")), sum(cur), sum(pri), is_total=True),
    ]


NON_CASH_INVESTING = [StatementLine.PROPERTY_PLANT_EQUIPMENT, StatementLine.INVESTMENTS]
NON_CASH_OPERATING_ASSETS = [line for line in ASSET_LINES if line not in NON_CASH_INVESTING + [StatementLine.CASH]]


def cash_flow(*, period: FiscalPeriod, fund_ids=None) -> list[StatementRow]:
    """IPSAS 2 cash flow statement, indirect method, for the fiscal year to the end of ``period``.

    Every non-cash movement of the year is attributed to operating (surplus, depreciation added
    back, working-capital changes), investing (property, plant and equipment, investments) or
    financing (direct movements in net assets) — so the net change ties to the cash line.
    """
    prior_period = comparative_period(period)

    def figures(p):
        if p is None:
            return {}
        ytd = amounts_by_statement_line(p, fund_ids, year_to_date=True)
        surplus = surplus_of(ytd)
        depreciation = ytd.get(StatementLine.DEPRECIATION, ZERO)
        working_assets = -sum((ytd.get(line, ZERO) for line in NON_CASH_OPERATING_ASSETS), ZERO)
        working_liabilities = -sum((ytd.get(line, ZERO) for line in LIABILITY_LINES), ZERO)
        operating = surplus + depreciation + working_assets + working_liabilities
        investing = -sum((ytd.get(line, ZERO) for line in NON_CASH_INVESTING), ZERO) - depreciation
        financing = -sum((ytd.get(line, ZERO) for line in NET_ASSET_LINES), ZERO)
        start = FiscalPeriod.objects.filter(calendar=p.calendar, fiscal_year=p.fiscal_year, number=1).first()
        opening_cash = amounts_by_statement_line(start, fund_ids, year_to_date=False, before=True).get(
            StatementLine.CASH, ZERO)
        return {"surplus": surplus, "depreciation": depreciation, "assets": working_assets,
                "liabilities": working_liabilities, "operating": operating, "investing": investing,
                "financing": financing, "net": operating + investing + financing, "opening": opening_cash,
                "closing": opening_cash + operating + investing + financing}

    cur, pri = figures(period), figures(prior_period)
    labels = [
        ("surplus", _("Surplus/(deficit) for the year"), False),
        ("depreciation", _("Depreciation and amortization"), False),
        ("assets", _("(Increase)/decrease in receivables, advances and inventories"), False),
        ("liabilities", _("Increase/(decrease) in payables and other liabilities"), False),
        ("operating", _("Net cash flows from operating activities"), True),
        ("investing", _("Net cash flows from investing activities"), True),
        ("financing", _("Net cash flows from financing activities"), True),
        ("net", _("Net increase/(decrease) in cash and cash equivalents"), True),
        ("opening", _("Cash and cash equivalents at the beginning of the year"), False),
        ("closing", _("Cash and cash equivalents at the end of the period"), True),
    ]
    return [StatementRow(key, str(label), cur.get(key, ZERO), pri.get(key, ZERO), is_total=total)
            for key, label, total in labels]


STATEMENTS = {
    "financial-position": (_("Statement of financial position"), financial_position),
    "financial-performance": (_("Statement of financial performance"), financial_performance),
    "changes-in-net-assets": (_("Statement of changes in net assets"), changes_in_net_assets),
    "cash-flow": (_("Cash flow statement"), cash_flow),
}


# --- Access-checked reads for finance's own screens and API ------------------------------------


def accessible_funds(*, actor) -> QuerySet:
    return scoped(Fund.objects.all(), actor=actor, permission="finance.view_ledger")


def accessible_journal_entries(*, actor) -> QuerySet:
    return scoped(JournalEntry.objects.select_related("fund", "journal", "period"), actor=actor,
                  permission="finance.view_journalentry")


def accessible_journal_entry(*, actor, entry_id: int) -> JournalEntry:
    """The entry if the actor may see it; DoesNotExist for missing and forbidden alike."""
    return accessible_journal_entries(actor=actor).get(pk=entry_id)


def statement_fund_ids(*, actor, fund: Fund | None) -> list[int] | None:
    """The funds a statement covers: one fund, or (consolidated) every fund the actor may see."""
    visible = accessible_funds(actor=actor)
    if fund is not None:
        return [fund.pk] if visible.filter(pk=fund.pk).exists() else []
    if has_permission(actor=actor, permission="finance.view_ledger") and visible.count() == Fund.objects.count():
        return None
    return list(visible.values_list("pk", flat=True))


def accessible_vendor_invoices(*, actor) -> QuerySet:
    return scoped(VendorInvoice.objects.select_related("vendor", "fund"), actor=actor,
                  permission="finance.view_vendorinvoice")


# Vendors are shared by every fund (they carry no scope), so a finance role that records or pays
# vendors in any fund may see their bank details; everyone else sees them masked.
BANK_DETAIL_PERMISSIONS = ("finance.add_vendor", "finance.add_paymentrun")


@dataclass(frozen=True)
class BankDetails:
    iban: str
    bic: str
    is_masked: bool


def may_see_vendor_bank_details(*, actor) -> bool:
    return any(has_permission(actor=actor, permission=permission) for permission in BANK_DETAIL_PERMISSIONS)


def masked_iban(iban: str) -> str:
    """Country code, check digits and the last four characters; the rest starred, in groups of four."""
    masked = iban[:4] + "*" * max(len(iban) - 8, 0) + iban[4:][-4:]
    return " ".join(masked[start:start + 4] for start in range(0, len(masked), 4))


def vendor_bank_details(*, vendor, shown: bool) -> BankDetails:
    """The vendor's IBAN and BIC as the reader may see them (``shown`` from ``may_see_vendor_bank_details``)."""
    if shown:
        return BankDetails(vendor.iban, vendor.bic, is_masked=False)
    return BankDetails(masked_iban(vendor.iban), vendor.bic[:4] + "*" * (len(vendor.bic) - 4), is_masked=True)


def accessible_assessments(*, actor) -> QuerySet:
    return scoped(Assessment.objects.select_related("fund", "member_state"), actor=actor,
                  permission="finance.view_assessment")


# --- Receivables reports ----------------------------------------------------------------------


@dataclass
class ContributionStatus:
    member_state: object
    fund: Fund
    assessed: Decimal
    collected: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.assessed - self.collected


def status_of_contributions(*, fund_ids=None, as_of: datetime.date | None = None) -> list[ContributionStatus]:
    """Assessed, collected and outstanding per Member State and fund."""
    assessments = Assessment.objects.all()
    if fund_ids is not None:
        assessments = assessments.filter(fund_id__in=fund_ids)
    if as_of is not None:
        assessments = assessments.filter(assessed_on__lte=as_of)
    rows = (assessments.values("member_state_id", "fund_id")
            .annotate(assessed=Sum("amount"), collected=Sum("collected_amount"))
            .order_by("member_state__alpha3", "fund__code"))
    funds = Fund.objects.in_bulk({r["fund_id"] for r in rows})
    states = Country.objects.in_bulk({r["member_state_id"] for r in rows})
    return [ContributionStatus(states[r["member_state_id"]], funds[r["fund_id"]], Decimal(r["assessed"]),
                               Decimal(r["collected"] or 0)) for r in rows]


def member_state_statement(*, member_state, fund_ids=None) -> dict:
    """A Member State's assessments, receipts and what remains outstanding, per fund."""
    assessments = Assessment.objects.filter(member_state=member_state).select_related("fund")
    if fund_ids is not None:
        assessments = assessments.filter(fund_id__in=fund_ids)
    receipts = Receipt.objects.filter(member_state=member_state).prefetch_related("applications__assessment__fund")
    return {
        "assessments": list(assessments),
        "receipts": list(receipts),
        "assessed": sum((a.amount for a in assessments), ZERO),
        "collected": sum((a.collected_amount for a in assessments), ZERO),
        "unapplied_credits": sum((r.unapplied_amount for r in receipts), ZERO),
    }


# --- Bank reconciliation ----------------------------------------------------------------------


@dataclass
class ReconciliationStatus:
    bank_account: BankAccount
    month: datetime.date
    statement_lines: int
    unmatched_lines: int
    oldest_unmatched_days: int | None

    @property
    def is_reconciled(self) -> bool:
        return self.statement_lines > 0 and self.unmatched_lines == 0


def reconciliation_status(*, bank_accounts=None, today: datetime.date) -> list[ReconciliationStatus]:
    """Per bank account and month: statement lines, those not yet reconciled, and the age in days
    of the oldest such (the target is reconciliation within 30 days of month end). A reversal and
    the line it reverses net off and count as reconciled."""
    lines = BankStatementLine.objects.select_related("statement__bank_account")
    if bank_accounts is not None:
        lines = lines.filter(statement__bank_account__in=bank_accounts)
    open_ids = set(unmatched_bank_lines().filter(pk__in=lines.values("pk")).values_list("pk", flat=True))
    groups: dict[tuple[int, datetime.date], list[BankStatementLine]] = defaultdict(list)
    for line in lines:
        groups[(line.statement.bank_account_id, line.booked_on.replace(day=1))].append(line)
    accounts = BankAccount.objects.in_bulk({key[0] for key in groups})
    result = []
    for (account_id, month), month_lines in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        unmatched = [ln for ln in month_lines if ln.pk in open_ids]
        oldest = min((ln.booked_on for ln in unmatched), default=None)
        result.append(ReconciliationStatus(accounts[account_id], month, len(month_lines), len(unmatched),
                                           (today - oldest).days if oldest else None))
    return result


def unmatched_bank_lines(*, bank_account=None) -> QuerySet:
    """Lines neither matched nor part of a reversal pair, with their proposals."""
    lines = BankStatementLine.objects.filter(
        payment__isnull=True, receipt__isnull=True, reverses__isnull=True, reversed_by__isnull=True,
    ).select_related("statement__bank_account", "proposed_payment__invoice__vendor", "proposed_receipt__member_state")
    if bank_account is not None:
        lines = lines.filter(statement__bank_account=bank_account)
    return lines.order_by("booked_on", "id")


def open_invoices_due(*, on_or_before: datetime.date, fund_ids=None) -> QuerySet:
    invoices = VendorInvoice.objects.filter(due_on__lte=on_or_before).exclude(paid_amount=F("amount"))
    if fund_ids is not None:
        invoices = invoices.filter(fund_id__in=fund_ids)
    return invoices.select_related("vendor").order_by("due_on", "id")


def unapplied_receipts(*, member_state=None) -> QuerySet:
    receipts = Receipt.objects.filter(~Q(applied_amount=F("amount")))
    if member_state is not None:
        receipts = receipts.filter(member_state=member_state)
    return receipts


def match_candidates(*, line: BankStatementLine) -> list:
    """What a person may match an unmatched line to: the proposal first, then the open payments
    (for a debit) or receipts (for a credit) of the account with exactly the line's amount."""
    account = line.statement.bank_account
    if line.amount < 0:
        items = list(Payment.objects.filter(payment_run__bank_account=account, bank_line__isnull=True,
                                            amount=-line.amount).select_related("invoice__vendor")[:10])
    else:
        items = [r for r in Receipt.objects.filter(bank_account=account, bank_line__isnull=True)
                 .select_related("member_state") if r.amount_in_bank == line.amount][:10]
    proposal = line.proposed_payment or line.proposed_receipt
    return ([proposal] if proposal is not None and proposal not in items else []) + items
