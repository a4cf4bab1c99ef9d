"""Journal entries: prepare, submit, certify, approve, post, reverse — and direct posting of
entries coming from the sub-ledgers and interfaces.

Lock order in every posting service (ADR 0010): fiscal periods (pk order) → number sequences
(pk order) → the entry → period balances (key order, upserted by the database's posting
triggers, ADR 0006). Audit events take no lock: they are sealed into the chain after commit
(core ADR 0005). Each posting's audit event carries the content hash of every entry it posted,
which ``verify_ledger`` checks the ledger against.
Numbers are taken inside the posting transaction, so a rolled-back posting leaves no gap.
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import has_permission, require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.authority import check_segregation_of_duties, require_authority
from secretariat.core.currencies import exceeds_minor_units, minor_units
from secretariat.finance.entry_hashes import (
    posted_content_hashes,
    written_content_hashes,
)
from secretariat.finance.hooks import notify_posted
from secretariat.finance.models import (
    CENT,
    ZERO,
    Account,
    EntryStatus,
    ExchangeRate,
    FiscalPeriod,
    Fund,
    Journal,
    JournalEntry,
    JournalLine,
    NumberSequence,
    PeriodStatus,
    SystemAccount,
)
from secretariat.finance.services.errors import (
    AccountNotPostable,
    EmptyEntry,
    EntryNotInStatus,
    FundNotUsable,
    InvalidLine,
    LineTooPrecise,
    NoFiscalPeriod,
    ObligationTooLong,
    PeriodNotOpen,
    RateMissing,
    SystemAccountMissing,
    UnbalancedEntry,
)

FUNCTIONAL_CURRENCY = "USD"
# An entry that balances in every transaction currency may be off in USD only by the rounding of
# its converted lines: at most half a cent each. That difference goes to the exchange account.
ROUNDING_TOLERANCE_PER_LINE = Decimal("0.005")
OBLIGATION_LENGTH = JournalLine._meta.get_field("obligation").max_length


@dataclass(frozen=True)
class LineInput:
    """One line as entered: an amount on one side in the transaction currency."""

    account_id: int
    debit_amount: Decimal = ZERO
    credit_amount: Decimal = ZERO
    currency: str = FUNCTIONAL_CURRENCY
    fund_id: int | None = None  # defaults to the entry's fund
    cost_centre_id: int | None = None
    project_id: int | None = None
    grant_id: int | None = None
    description: str = ""
    exchange_rate: Decimal | None = None  # a historical rate (settling a payable); else the month's rate
    obligation: str = ""  # number of the obligation (e.g. a budget commitment) an expense liquidates


@dataclass(frozen=True)
class EntryInput:
    fund_id: int
    entry_on: datetime.date
    description: str
    lines: list[LineInput] = field(default_factory=list)


def usd_amount(amount: Decimal, units_per_usd: Decimal) -> Decimal:
    return (amount / units_per_usd).quantize(CENT, rounding=ROUND_HALF_EVEN)


class LedgerLookups:
    """Reference data read once per service call: funds, accounts, periods and rates."""

    def __init__(self):
        self.funds: dict[int, Fund] = {}
        self.accounts: dict[int, Account] = {}
        self.periods: dict[tuple[str, datetime.date], FiscalPeriod] = {}
        self.rates: dict[tuple[str, datetime.date], Decimal] = {}
        self.system_accounts: dict[str, Account] = {}

    def preload(self, entries: list[EntryInput]) -> None:
        fund_ids = {e.fund_id for e in entries} | {ln.fund_id for e in entries for ln in e.lines if ln.fund_id}
        account_ids = {ln.account_id for e in entries for ln in e.lines}
        self.funds.update(Fund.objects.in_bulk(fund_ids - self.funds.keys()))
        self.accounts.update(Account.objects.in_bulk(account_ids - self.accounts.keys()))

    def fund(self, fund_id: int) -> Fund:
        if fund_id not in self.funds:
            self.funds[fund_id] = Fund.objects.get(pk=fund_id)
        return self.funds[fund_id]

    def account(self, account_id: int) -> Account:
        if account_id not in self.accounts:
            self.accounts[account_id] = Account.objects.get(pk=account_id)
        return self.accounts[account_id]

    def period(self, calendar: str, on: datetime.date) -> FiscalPeriod:
        key = (calendar, on.replace(day=1))
        if key not in self.periods:
            period = FiscalPeriod.objects.filter(calendar=calendar, starts_on__lte=on, ends_on__gte=on).first()
            if period is None:
                raise NoFiscalPeriod(date=on.isoformat(), calendar=calendar)
            self.periods[key] = period
        return self.periods[key]

    def system_account(self, role: str) -> Account:
        if role not in self.system_accounts:
            account = Account.objects.filter(system_role=role).first()
            if account is None:
                raise SystemAccountMissing(role=SystemAccount(role).label)
            self.system_accounts[role] = account
        return self.system_accounts[role]

    def rate(self, currency: str, on: datetime.date) -> Decimal:
        if currency == FUNCTIONAL_CURRENCY:
            return Decimal("1")
        key = (currency, on.replace(day=1))
        if key not in self.rates:
            rate = ExchangeRate.objects.filter(currency=currency, month_on=key[1]).values_list(
                "units_per_usd", flat=True).first()
            if rate is None:
                raise RateMissing(currency=currency, month=f"{on:%Y-%m}")
            self.rates[key] = rate
        return self.rates[key]


def validated_lines(lookups: LedgerLookups, entry: EntryInput) -> tuple[FiscalPeriod, list[JournalLine], Decimal]:
    """The entry's period, its lines with USD amounts, and its USD total; refuses anything invalid.

    Balance is checked per fund in USD (each fund is a self-balancing set of accounts).
    """
    fund = lookups.fund(entry.fund_id)
    if not fund.is_active:
        raise FundNotUsable(fund=fund.code)
    period = lookups.period(fund.calendar, entry.entry_on)
    if period.status != PeriodStatus.OPEN:
        raise PeriodNotOpen(period=str(period))
    if len(entry.lines) < 2:
        raise EmptyEntry()
    lines, debits, credits = [], defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    # Per fund and currency: debits minus credits in the transaction currency, and the lines
    # converted, to tell a USD rounding difference from an entry that does not balance.
    currency_balances: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    converted_lines: dict[str, int] = defaultdict(int)
    fund_ids: dict[str, int] = {}
    for index, line in enumerate(entry.lines, start=1):
        debit, credit = Decimal(line.debit_amount or 0), Decimal(line.credit_amount or 0)
        if not ((debit > 0 and credit == 0) or (debit == 0 and credit > 0)):
            raise InvalidLine(line=index)
        if exceeds_minor_units(debit or credit, line.currency):
            raise LineTooPrecise(line=index, amount=str(debit or credit), currency=line.currency,
                                 places=minor_units(line.currency))
        account = lookups.account(line.account_id)
        if not (account.is_active and account.is_postable):
            raise AccountNotPostable(account=account.code)
        line_fund = lookups.fund(line.fund_id or entry.fund_id)
        if not line_fund.is_active or line_fund.calendar != fund.calendar:
            raise FundNotUsable(fund=line_fund.code)
        rate = line.exchange_rate or lookups.rate(line.currency, entry.entry_on)
        debit_usd, credit_usd = usd_amount(debit, rate), usd_amount(credit, rate)
        if debit_usd + credit_usd == 0:
            raise InvalidLine(line=index)
        obligation = (line.obligation or "").strip()
        if len(obligation) > OBLIGATION_LENGTH:
            raise ObligationTooLong(line=index, limit=OBLIGATION_LENGTH)
        debits[line_fund.code] += debit_usd
        credits[line_fund.code] += credit_usd
        currency_balances[line_fund.code][line.currency] += debit - credit
        converted_lines[line_fund.code] += line.currency != FUNCTIONAL_CURRENCY
        fund_ids[line_fund.code] = line_fund.pk
        lines.append(JournalLine(
            fund_id=line_fund.pk, account_id=account.pk, cost_centre_id=line.cost_centre_id,
            project_id=line.project_id, grant_id=line.grant_id, description=line.description[:300],
            obligation=obligation, currency=line.currency, debit_amount=debit, credit_amount=credit,
            exchange_rate=rate, debit_usd=debit_usd, credit_usd=credit_usd,
        ))
    for fund_code in sorted(debits.keys() | credits.keys()):
        difference = debits[fund_code] - credits[fund_code]
        if not difference:
            continue
        if (any(currency_balances[fund_code].values())
                or abs(difference) > ROUNDING_TOLERANCE_PER_LINE * converted_lines[fund_code]):
            raise UnbalancedEntry(fund=fund_code, debits=debits[fund_code], credits=credits[fund_code])
        lines.append(rounding_line(lookups, fund_id=fund_ids[fund_code], difference=difference))
        credits[fund_code] += max(difference, ZERO)
        debits[fund_code] += max(-difference, ZERO)
    return period, lines, sum(debits.values(), ZERO)


def rounding_line(lookups: LedgerLookups, *, fund_id: int, difference: Decimal) -> JournalLine:
    """The USD line that absorbs the rounding of converted amounts (debits exceed credits by
    ``difference``), on the exchange differences account."""
    amount = abs(difference)
    credit, debit = (amount, ZERO) if difference > 0 else (ZERO, amount)
    return JournalLine(fund_id=fund_id, account_id=lookups.system_account(SystemAccount.EXCHANGE_GAINS_LOSSES).pk,
                       description=str(_("Rounding difference on conversion to US dollars")), obligation="",
                       currency=FUNCTIONAL_CURRENCY, debit_amount=debit, credit_amount=credit,
                       exchange_rate=Decimal("1"), debit_usd=debit, credit_usd=credit)


def locked_open_periods(period_ids) -> dict[int, FiscalPeriod]:
    """Lock the periods (pk order) and refuse if any closed meanwhile.

    In a posting session a period locked open by an earlier posting is not read again: the lock
    holds until the transaction ends, so nobody can have closed it since.
    """
    session = _session.get()
    wanted = sorted(set(period_ids))
    held = session.locked_periods if session is not None else {}
    missing = [pk for pk in wanted if pk not in held]
    periods = {p.pk: p for p in FiscalPeriod.objects.select_for_update(no_key=True)
               .filter(pk__in=missing).order_by("pk")} if missing else {}
    for period in periods.values():
        if period.status != PeriodStatus.OPEN:
            raise PeriodNotOpen(period=str(period))
    held.update(periods)
    return {pk: held[pk] for pk in wanted}


@dataclass
class PostingSession:
    lookups: LedgerLookups = field(default_factory=lambda: LedgerLookups())
    locked_periods: dict[int, FiscalPeriod] = field(default_factory=dict)


_session: ContextVar[PostingSession | None] = ContextVar("ledger_posting_session", default=None)


@contextmanager
def posting_session():
    """Post many single entries in one transaction (a request, an interface file) with the round
    trips of one batch: funds, accounts, periods and rates are read once, and periods locked once.

    The checks are the batch path's: reference data is as read at the first posting of the
    session, as it is for every entry of a batch. Must be opened inside ``transaction.atomic``.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a posting session needs a transaction")
    token = _session.set(PostingSession())
    try:
        yield
    finally:
        _session.reset(token)


def session_lookups() -> LedgerLookups:
    session = _session.get()
    return session.lookups if session is not None else LedgerLookups()


NUMBERS_UPSERT = f"""
    INSERT INTO {NumberSequence._meta.db_table} (journal_id, fiscal_year, last_number) VALUES (%s, %s, %s)
    ON CONFLICT (journal_id, fiscal_year)
    DO UPDATE SET last_number = {NumberSequence._meta.db_table}.last_number + excluded.last_number
    RETURNING last_number"""


def take_numbers(journal: Journal, fiscal_year: int, count: int) -> int:
    """Reserve ``count`` consecutive numbers in the journal's sequence for the year; returns the first.

    One statement creates or advances the sequence row and locks it until the transaction ends,
    so concurrent postings queue here and a rollback returns the numbers: no gaps, no duplicates.
    """
    with connection.cursor() as cursor:
        cursor.execute(NUMBERS_UPSERT, [journal.pk, fiscal_year, count])
        last = cursor.fetchone()[0]
    return last - count + 1


def entry_number(journal: Journal, fiscal_year: int, sequence_number: int) -> str:
    return f"{journal.code}-{fiscal_year}-{sequence_number:06d}"


def mark_posted(entry: JournalEntry, *, journal: Journal, period: FiscalPeriod, sequence_number: int, actor,
                at) -> None:
    entry.transition_to(EntryStatus.POSTED)
    entry.fiscal_year, entry.sequence_number = period.fiscal_year, sequence_number
    entry.number = entry_number(journal, period.fiscal_year, sequence_number)
    entry.posted_by, entry.posted_at = actor, at


POSTED_FIELDS = ["status", "fiscal_year", "sequence_number", "number", "posted_by", "posted_at"]


# --- Preparing and approving ------------------------------------------------------------------


@transaction.atomic
def create_journal_entry(*, actor, journal: Journal, entry: EntryInput) -> JournalEntry:
    """Record a draft entry; it is validated (open period, active accounts, rates, balance) now and
    again when posted."""
    lookups = LedgerLookups()
    lookups.preload([entry])
    fund = lookups.fund(entry.fund_id)
    require_permission(actor=actor, permission="finance.add_journalentry", target=fund,
                       action=_("prepare journal entries"))
    period, lines, total = validated_lines(lookups, entry)
    draft = JournalEntry.objects.create(
        journal=journal, fund=fund, period=period, entry_on=entry.entry_on, description=entry.description[:300],
        total_usd=total, prepared_by=actor,
    )
    for line in lines:
        line.entry = draft
    JournalLine.objects.bulk_create(lines)
    record_audit_event(actor=actor, action="finance.journal_entry.prepared", target=draft,
                       changes={"fund": fund.code, "entry_on": entry.entry_on, "total_usd": total,
                                "lines": len(lines)})
    return draft


def locked_entry(entry_id: int) -> JournalEntry:
    """Lock the entry's period first, then the entry (the posting lock order)."""
    period_id = JournalEntry.objects.values_list("period_id", flat=True).get(pk=entry_id)
    FiscalPeriod.objects.select_for_update(no_key=True).get(pk=period_id)
    return JournalEntry.objects.select_for_update(no_key=True).select_related("fund", "journal", "period").get(
        pk=entry_id)


def require_status(entry: JournalEntry, expected: str) -> None:
    if entry.status != expected:
        raise EntryNotInStatus(entry=str(entry), status=entry.get_status_display(),
                               expected=EntryStatus(expected).label)


@transaction.atomic
def submit_journal_entry(*, actor, entry_id: int) -> JournalEntry:
    entry = locked_entry(entry_id)
    require_permission(actor=actor, permission="finance.submit_journalentry", target=entry.fund,
                       action=_("submit journal entries"))
    require_status(entry, EntryStatus.DRAFT)
    entry.transition_to(EntryStatus.SUBMITTED)
    entry.save(update_fields=["status"])
    record_audit_event(actor=actor, action="finance.journal_entry.submitted", target=entry)
    return entry


@transaction.atomic
def certify_journal_entry(*, actor, entry_id: int) -> JournalEntry:
    """Certify a submitted entry: needs a certifying officer's delegation covering the fund and
    the amount, and someone other than the preparer (segregation of duties)."""
    entry = locked_entry(entry_id)
    require_permission(actor=actor, permission="finance.certify_journalentry", target=entry.fund,
                       action=_("certify journal entries"))
    require_status(entry, EntryStatus.SUBMITTED)
    check_segregation_of_duties(user=actor, duty="certify", performed_by={"prepare": entry.prepared_by})
    require_authority(user=actor, authority="certifying_officer", amount=entry.total_usd, currency="USD",
                      target=entry.fund, on=entry.entry_on)
    entry.transition_to(EntryStatus.CERTIFIED)
    entry.certified_by = actor
    entry.save(update_fields=["status", "certified_by"])
    record_audit_event(actor=actor, action="finance.journal_entry.certified", target=entry,
                       changes={"total_usd": entry.total_usd})
    return entry


@transaction.atomic
def approve_journal_entry(*, actor, entry_id: int) -> JournalEntry:
    """Approve a certified entry: an approving officer's delegation, and not the certifier."""
    entry = locked_entry(entry_id)
    require_permission(actor=actor, permission="finance.approve_journalentry", target=entry.fund,
                       action=_("approve journal entries"))
    require_status(entry, EntryStatus.CERTIFIED)
    check_segregation_of_duties(user=actor, duty="approve",
                                performed_by={"certify": entry.certified_by, "prepare": entry.prepared_by})
    require_authority(user=actor, authority="approving_officer", amount=entry.total_usd, currency="USD",
                      target=entry.fund, on=entry.entry_on)
    entry.transition_to(EntryStatus.APPROVED)
    entry.approved_by = actor
    entry.save(update_fields=["status", "approved_by"])
    record_audit_event(actor=actor, action="finance.journal_entry.approved", target=entry,
                       changes={"total_usd": entry.total_usd})
    return entry


@transaction.atomic
def return_journal_entry(*, actor, entry_id: int, reason: str) -> JournalEntry:
    """Send a submitted or certified entry back to its preparer as a draft."""
    entry = locked_entry(entry_id)
    permission = ("finance.certify_journalentry" if entry.status == EntryStatus.SUBMITTED
                  else "finance.approve_journalentry")
    require_permission(actor=actor, permission=permission, target=entry.fund, action=_("return journal entries"))
    entry.transition_to(EntryStatus.DRAFT)
    entry.certified_by = None
    entry.save(update_fields=["status", "certified_by"])
    record_audit_event(actor=actor, action="finance.journal_entry.returned", target=entry, changes={"reason": reason})
    return entry


@transaction.atomic
def post_journal_entry(*, actor, entry_id: int) -> JournalEntry:
    """Move an approved entry into the ledger of record: number it, add it to the period balances.

    Re-checks what may have changed since approval (period closed, account deactivated). Posted
    entries are immutable (database triggers); corrections go through reverse_journal_entry().
    """
    entry = locked_entry(entry_id)
    require_permission(actor=actor, permission="finance.post_journalentry", target=entry.fund,
                       action=_("post journal entries"))
    require_status(entry, EntryStatus.APPROVED)
    if entry.period.status != PeriodStatus.OPEN:
        raise PeriodNotOpen(period=str(entry.period))
    lines = list(entry.lines.select_related("account"))
    for line in lines:
        if not (line.account.is_active and line.account.is_postable):
            raise AccountNotPostable(account=line.account.code)
    sequence_number = take_numbers(entry.journal, entry.period.fiscal_year, 1)
    mark_posted(entry, journal=entry.journal, period=entry.period, sequence_number=sequence_number, actor=actor,
                at=timezone.now())
    entry.save(update_fields=POSTED_FIELDS)
    notify_posted(entries=[entry], actor=actor)
    record_audit_event(actor=actor, action="finance.journal_entry.posted", target=entry,
                       changes={"number": entry.number, "total_usd": entry.total_usd,
                                "content_hashes": posted_content_hashes([entry.pk])})
    return entry


# --- Direct posting (sub-ledgers, interfaces) --------------------------------------------------


@transaction.atomic
def post_journal_entries(*, actor, journal: Journal, entries: list[EntryInput],
                         audit_action: str = "finance.journal_entries.posted",
                         permission: str = "finance.post_journalentry") -> list[JournalEntry]:
    """Validate, number and post a batch of entries from a sub-ledger or interface in one go.

    Used by payables, receivables, revaluation and system interfaces (payroll, travel) whose
    documents were approved where they originate. Every entry is validated like a manual one;
    the batch is one transaction: all entries post or none does. One audit event lists the
    numbers posted. Sub-ledger services pass the ``permission`` their own action needs.
    """
    if not entries:
        return []
    lookups = session_lookups()
    lookups.preload(entries)
    for fund_id in sorted({e.fund_id for e in entries}):
        require_permission(actor=actor, permission=permission, target=lookups.fund(fund_id),
                           action=_("post journal entries"))
    prepared = [(entry, *validated_lines(lookups, entry)) for entry in entries]
    periods = locked_open_periods(period.pk for _entry, period, _lines, _total in prepared)
    by_year: dict[int, int] = defaultdict(int)
    for _entry, period, _lines, _total in prepared:
        by_year[period.fiscal_year] += 1
    next_number = {year: take_numbers(journal, year, count) for year, count in sorted(by_year.items())}

    now = timezone.now()
    drafts = [
        JournalEntry(journal=journal, fund_id=entry.fund_id, period=periods[period.pk], entry_on=entry.entry_on,
                     description=entry.description[:300], total_usd=total, prepared_by=actor, approved_by=actor)
        for entry, period, _lines, total in prepared
    ]
    for draft, (_entry, period, _lines, _total) in zip(drafts, prepared, strict=True):
        mark_posted(draft, journal=journal, period=period, sequence_number=next_number[period.fiscal_year],
                    actor=actor, at=now)
        next_number[period.fiscal_year] += 1
    # PostgreSQL checks each posted entry's balance at commit (deferred constraint trigger), so
    # entries go in posted; SQLite checks when the status changes, so they go in as drafts first.
    deferred_check = connection.vendor == "postgresql"
    numbers = [(draft.fiscal_year, draft.sequence_number) for draft in drafts]
    if not deferred_check:
        for draft in drafts:
            draft.status = EntryStatus.DRAFT
            draft.fiscal_year = draft.sequence_number = None
    JournalEntry.objects.bulk_create(drafts)
    all_lines = []
    for draft, (_entry, _period, lines, _total) in zip(drafts, prepared, strict=True):
        for line in lines:
            line.entry_id = draft.pk
        all_lines.extend(lines)
    JournalLine.objects.bulk_create(all_lines, batch_size=2000)
    if not deferred_check:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE finance_journalentry SET status = %s, fiscal_year = %s, sequence_number = %s WHERE id = %s",
                [(EntryStatus.POSTED, year, number, d.pk) for d, (year, number) in zip(drafts, numbers, strict=True)])
        for draft, (year, number) in zip(drafts, numbers, strict=True):
            draft.status, draft.fiscal_year, draft.sequence_number = EntryStatus.POSTED, year, number
    notify_posted(entries=drafts, actor=actor)
    record_audit_event(
        actor=actor, action=audit_action, target=drafts[0] if len(drafts) == 1 else None,
        changes={"journal": journal.code, "count": len(drafts), "numbers": [d.number for d in drafts],
                 "total_usd": sum((d.total_usd for d in drafts), ZERO),
                 "content_hashes": written_content_hashes(drafts, [lines for _e, _p, lines, _t in prepared])},
    )
    return drafts


@transaction.atomic
def reverse_journal_entry(*, actor, entry_id: int, reversal_on: datetime.date, reason: str) -> JournalEntry:
    """Correct a posted entry by posting its mirror image (same rates, USD amounts and obligations)
    on ``reversal_on``; the original is marked reversed and otherwise stays untouched."""
    original = JournalEntry.objects.select_related("fund", "journal").get(pk=entry_id)
    require_permission(actor=actor, permission="finance.post_journalentry", target=original.fund,
                       action=_("reverse journal entries"))
    lookups = LedgerLookups()
    period = lookups.period(original.fund.calendar, reversal_on)
    periods = locked_open_periods([period.pk])
    original = JournalEntry.objects.select_for_update(no_key=True).select_related("journal").get(pk=entry_id)
    require_status(original, EntryStatus.POSTED)
    number = take_numbers(original.journal, period.fiscal_year, 1)
    reversal = JournalEntry.objects.create(
        journal=original.journal, fund=original.fund, period=periods[period.pk], entry_on=reversal_on,
        description=str(_("Reversal of %(number)s: %(reason)s") % {"number": original.number, "reason": reason})[:300],
        total_usd=original.total_usd, prepared_by=actor, approved_by=actor, reverses=original,
    )
    lines = [
        JournalLine(entry=reversal, fund_id=line.fund_id, account_id=line.account_id,
                    cost_centre_id=line.cost_centre_id, project_id=line.project_id, grant_id=line.grant_id,
                    description=line.description, obligation=line.obligation, currency=line.currency,
                    debit_amount=line.credit_amount,
                    credit_amount=line.debit_amount, exchange_rate=line.exchange_rate, debit_usd=line.credit_usd,
                    credit_usd=line.debit_usd)
        for line in original.lines.all()
    ]
    JournalLine.objects.bulk_create(lines)
    mark_posted(reversal, journal=original.journal, period=period, sequence_number=number, actor=actor,
                at=timezone.now())
    reversal.save(update_fields=POSTED_FIELDS)
    original.transition_to(EntryStatus.REVERSED)
    original.save(update_fields=["status"])
    notify_posted(entries=[reversal], actor=actor)
    record_audit_event(actor=actor, action="finance.journal_entry.reversed", target=original,
                       changes={"reversal": reversal.number, "reason": reason, "reversal_on": reversal_on,
                                "content_hashes": posted_content_hashes([reversal.pk])})
    return reversal


def may_post(*, actor, fund: Fund) -> bool:
    return has_permission(actor=actor, permission="finance.post_journalentry", target=fund)
