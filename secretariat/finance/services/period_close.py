"""What is still open before a month can close, per fund on the period's calendar.

The checklist page shows it and the close service refuses while anything blocking remains, so
both give the same answer. Blocking: entries prepared in the period but not posted (they could
never be posted once it closes), bank lines booked up to the period's end and not reconciled, and
a revaluation that would post something but has not been run. Invoices due and unpaid are shown
for attention only: an unpaid invoice is a payable the closed month correctly carries.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from secretariat.finance.models import (
    LEDGER_STATUSES,
    FiscalPeriod,
    Fund,
    InvoiceStatus,
    JournalEntry,
    Revaluation,
    VendorInvoice,
)
from secretariat.finance.selectors import unmatched_bank_lines
from secretariat.finance.services.errors import FinanceRefusal, RateMissing
from secretariat.finance.services.revaluation import revaluation_lines


class PeriodHasOpenItems(FinanceRefusal):
    message = _("The fiscal period %(period)s cannot be closed while items are open: %(items)s.")
    code = "period_has_open_items"


@dataclass(frozen=True)
class FundChecklist:
    fund: Fund
    unposted_entries: int
    unmatched_bank_lines: int
    revaluation_due: bool
    unpaid_invoices_due: int

    @property
    def blocking_items(self) -> int:
        return self.unposted_entries + self.unmatched_bank_lines + int(self.revaluation_due)

    def describe_blocking(self) -> str:
        parts = []
        if self.unposted_entries:
            parts.append(ngettext("%(count)d entry not posted", "%(count)d entries not posted",
                                  self.unposted_entries) % {"count": self.unposted_entries})
        if self.unmatched_bank_lines:
            parts.append(ngettext("%(count)d bank line not matched", "%(count)d bank lines not matched",
                                  self.unmatched_bank_lines) % {"count": self.unmatched_bank_lines})
        if self.revaluation_due:
            parts.append(str(_("revaluation not run")))
        return f"{self.fund.code}: {', '.join(parts)}"


def counts_by_fund(queryset, fund_path: str) -> dict[int, int]:
    return dict(queryset.values_list(fund_path).annotate(n=Count("pk")).order_by())


def revaluation_due(*, fund: Fund, period: FiscalPeriod, done: set[int]) -> bool:
    if fund.pk in done:
        return False
    try:
        return bool(revaluation_lines(fund=fund, period=period))
    except RateMissing:
        return True  # the month's rate is still to be entered, so the revaluation cannot have run


def period_close_checklist(*, period: FiscalPeriod, funds=None) -> list[FundChecklist]:
    """Per fund on the period's calendar (or the given ones): what is open before it can close."""
    funds = list((funds if funds is not None else Fund.objects.all()).filter(calendar=period.calendar)
                 .order_by("code"))
    unposted = counts_by_fund(JournalEntry.objects.filter(period=period).exclude(status__in=LEDGER_STATUSES),
                              "fund")
    unmatched = counts_by_fund(unmatched_bank_lines().filter(booked_on__lte=period.ends_on),
                               "statement__bank_account__fund")
    unpaid = counts_by_fund(VendorInvoice.objects.filter(due_on__lte=period.ends_on).exclude(
        status=InvoiceStatus.PAID), "fund")
    done = set(Revaluation.objects.filter(period=period).values_list("fund_id", flat=True))
    return [FundChecklist(fund, unposted.get(fund.pk, 0), unmatched.get(fund.pk, 0),
                          revaluation_due(fund=fund, period=period, done=done), unpaid.get(fund.pk, 0))
            for fund in funds]


def require_nothing_open(period: FiscalPeriod) -> None:
    """Refuse to close the period while any fund on its calendar has a blocking item."""
    blocking = [row for row in period_close_checklist(period=period) if row.blocking_items]
    if blocking:
        raise PeriodHasOpenItems(period=str(period), items="; ".join(row.describe_blocking() for row in blocking))
