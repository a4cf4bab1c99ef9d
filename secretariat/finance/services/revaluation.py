"""Period-end revaluation of monetary balances held in currencies other than the US dollar."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.finance.models import (
    LEDGER_STATUSES,
    ZERO,
    FiscalPeriod,
    Journal,
    JournalEntry,
    JournalLine,
    PeriodStatus,
    Revaluation,
    SystemAccount,
)
from secretariat.finance.services.errors import (
    RevaluationAlreadyPosted,
    ReversalPeriodNotOpen,
)
from secretariat.finance.services.journal import (
    FUNCTIONAL_CURRENCY,
    EntryInput,
    LedgerLookups,
    LineInput,
    locked_open_periods,
    post_journal_entries,
    usd_amount,
)
from secretariat.finance.services.payables import system_account

ONE_DAY = datetime.timedelta(days=1)


@transaction.atomic
def revalue_monetary_balances(*, actor, fund, period: FiscalPeriod) -> list[JournalEntry]:
    """Restate every monetary account's foreign-currency balance at the period's closing rate.

    For each (account, currency) the USD carried on the lines is compared with the balance in
    the currency divided by the month's UN operational rate; the difference is posted as an
    unrealised exchange gain or loss on the period's last day (journal FX), and reversed on the
    first day of the next period — so the next revaluation again starts from the transaction
    rates and realised differences stay with the payments that realise them. December's is
    reversed on 1 January of the new year, which must exist and be open.

    Once per fund and period: a rerun is refused, naming the entry already posted.
    """
    require_permission(actor=actor, permission="finance.post_journalentry", target=fund,
                       action=_("run the revaluation"))
    locked_open_periods([period.pk])
    earlier = Revaluation.objects.filter(fund=fund, period=period).select_related("journal_entry").first()
    if earlier is not None:
        raise RevaluationAlreadyPosted(fund=fund.code, period=str(period), entry=earlier.journal_entry.number)
    following = FiscalPeriod.objects.filter(calendar=period.calendar, starts_on=period.ends_on + ONE_DAY).first()
    if following is None or following.status != PeriodStatus.OPEN:
        raise ReversalPeriodNotOpen(period=str(period), on=(period.ends_on + ONE_DAY).isoformat())
    lines = revaluation_lines(fund=fund, period=period)
    if not lines:
        return []
    reversed_lines = [LineInput(account_id=ln.account_id, debit_amount=ln.credit_amount,
                                credit_amount=ln.debit_amount, description=ln.description) for ln in lines]
    entries = [EntryInput(fund_id=fund.pk, entry_on=period.ends_on, description=f"Revaluation {period.name}",
                          lines=lines),
               EntryInput(fund_id=fund.pk, entry_on=following.starts_on,
                          description=f"Reversal of revaluation {period.name}", lines=reversed_lines)]
    posted = post_journal_entries(actor=actor, journal=Journal.objects.get(code="FX"), entries=entries,
                                  audit_action="finance.revaluation.posted")
    Revaluation.objects.create(fund=fund, period=period, journal_entry=posted[0], reversal_entry=posted[1],
                               posted_by=actor)
    return posted


def revaluation_lines(*, fund, period: FiscalPeriod) -> list[LineInput]:
    """The lines a revaluation of the fund for the period would post (none when every balance is
    already carried at the closing rate); the period-close checklist asks the same question."""
    lookups = LedgerLookups()
    rows = (JournalLine.objects
            .filter(entry__status__in=LEDGER_STATUSES, fund=fund, account__is_monetary=True,
                    entry__period__calendar=period.calendar, entry__period__starts_on__lte=period.starts_on)
            .exclude(currency=FUNCTIONAL_CURRENCY)
            .values("account_id", "currency")
            .annotate(d=Sum("debit_amount"), c=Sum("credit_amount"), du=Sum("debit_usd"), cu=Sum("credit_usd"))
            .order_by("account_id", "currency"))
    lines, net = [], ZERO
    for row in rows:
        in_currency = Decimal(row["d"] or 0) - Decimal(row["c"] or 0)
        carried_usd = Decimal(row["du"] or 0) - Decimal(row["cu"] or 0)
        difference = usd_amount(in_currency, lookups.rate(row["currency"], period.ends_on)) - carried_usd
        if difference:
            lines.append(side(row["account_id"], difference, f"{row['currency']}"))
            net += difference
    if net:
        lines.append(side(system_account(SystemAccount.EXCHANGE_GAINS_LOSSES).pk, -net, "unrealised"))
    return lines


def side(account_id: int, usd: Decimal, description: str) -> LineInput:
    return LineInput(account_id=account_id, currency=FUNCTIONAL_CURRENCY, description=description,
                     debit_amount=usd if usd > 0 else ZERO, credit_amount=-usd if usd < 0 else ZERO)
