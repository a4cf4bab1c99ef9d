"""Maintaining the ledger's structure: accounts, funds, analytic codes, fiscal years and periods,
and the operational rates of exchange."""

import calendar as month_calendar
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import Currency
from secretariat.finance.models import (
    CALENDAR_START_MONTH,
    STATEMENT_LINES_BY_TYPE,
    Account,
    AnalyticCode,
    ExchangeRate,
    FiscalPeriod,
    Fund,
    PeriodEvent,
    PeriodStatus,
)
from secretariat.finance.services.errors import (
    FiscalYearExists,
    PeriodAlreadyInStatus,
    ReasonRequired,
    UnknownCurrency,
)
from secretariat.finance.services.period_close import require_nothing_open


@transaction.atomic
def create_account(
    *, actor, code: str, name: str, account_type: str, statement_line: str = "", parent: Account | None = None,
    is_postable: bool = True, is_monetary: bool = False, system_role: str | None = None,
    name_translations: dict | None = None,
) -> Account:
    """Add an account to the chart; a posting account must map to a statement line of its type."""
    require_permission(actor=actor, permission="finance.add_account", action=_("maintain the chart of accounts"))
    errors = {}
    if Account.objects.filter(code=code).exists():
        errors["code"] = [_("An account with this code already exists.")]
    if is_postable and statement_line not in STATEMENT_LINES_BY_TYPE.get(account_type, []):
        errors["statement_line"] = [_("Choose a statement line that fits the account type.")]
    if parent is not None and parent.account_type != account_type:
        errors["parent"] = [_("The parent account must be of the same type.")]
    if errors:
        raise InvalidInput(errors)
    account = Account.objects.create(
        code=code, name=name, account_type=account_type, statement_line=statement_line, parent=parent,
        is_postable=is_postable, is_monetary=is_monetary, system_role=system_role,
        name_translations=name_translations or {},
    )
    record_audit_event(actor=actor, action="finance.account.created", target=account,
                       changes={"code": code, "type": account_type, "statement_line": statement_line})
    return account


@transaction.atomic
def set_account_active(*, actor, account_id: int, is_active: bool) -> Account:
    require_permission(actor=actor, permission="finance.change_account", action=_("maintain the chart of accounts"))
    account = Account.objects.select_for_update(no_key=True).get(pk=account_id)
    account.is_active = is_active
    account.save(update_fields=["is_active"])
    record_audit_event(actor=actor, action="finance.account.activation_changed", target=account,
                       changes={"is_active": is_active})
    return account


@transaction.atomic
def create_fund(*, actor, code: str, name: str, kind: str, calendar: str, entity=None,
                name_translations: dict | None = None) -> Fund:
    require_permission(actor=actor, permission="finance.add_fund", action=_("create funds"))
    if Fund.objects.filter(code=code).exists():
        raise InvalidInput({"code": [_("A fund with this code already exists.")]})
    fund = Fund.objects.create(code=code, name=name, kind=kind, calendar=calendar, entity=entity,
                               name_translations=name_translations or {})
    record_audit_event(actor=actor, action="finance.fund.created", target=fund,
                       changes={"code": code, "kind": kind, "calendar": calendar})
    return fund


@transaction.atomic
def create_analytic_code(*, actor, kind: str, code: str, name: str) -> AnalyticCode:
    require_permission(actor=actor, permission="finance.add_analyticcode", action=_("create projects and grants"))
    if AnalyticCode.objects.filter(kind=kind, code=code).exists():
        raise InvalidInput({"code": [_("This code already exists.")]})
    analytic = AnalyticCode.objects.create(kind=kind, code=code, name=name)
    record_audit_event(actor=actor, action="finance.analytic_code.created", target=analytic,
                       changes={"kind": kind, "code": code})
    return analytic


def month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, month_calendar.monthrange(year, month)[1])


@transaction.atomic
def create_fiscal_year(*, actor, calendar: str, fiscal_year: int) -> list[FiscalPeriod]:
    """Open the twelve monthly periods of a fiscal year.

    A calendar-year fund's year 2026 runs January–December 2026; a peacekeeping fund's financial
    period 2026 runs 1 July 2026 to 30 June 2027 (named after the year it starts in).
    """
    require_permission(actor=actor, permission="finance.close_fiscalperiod", action=_("open fiscal years"))
    if FiscalPeriod.objects.filter(calendar=calendar, fiscal_year=fiscal_year).exists():
        raise FiscalYearExists(year=fiscal_year)
    start_month = CALENDAR_START_MONTH[calendar]
    periods = []
    for number in range(1, 13):
        month_index = start_month - 1 + number - 1
        year, month = fiscal_year + month_index // 12, month_index % 12 + 1
        periods.append(FiscalPeriod(calendar=calendar, fiscal_year=fiscal_year, number=number,
                                    starts_on=month_start(year, month), ends_on=month_end(year, month)))
    FiscalPeriod.objects.bulk_create(periods)
    record_audit_event(actor=actor, action="finance.fiscal_year.created",
                       changes={"calendar": calendar, "fiscal_year": fiscal_year})
    return list(FiscalPeriod.objects.filter(calendar=calendar, fiscal_year=fiscal_year).order_by("number"))


@transaction.atomic
def change_fiscal_period_status(*, actor, period_id: int, status: str, reason: str) -> FiscalPeriod:
    """Close or reopen a period; the reason is kept with the period and in the audit trail.

    The period row is locked, so a posting in flight (which locks it too) either finishes before
    the close or sees the period closed. Closing is refused while the period-close checklist has
    blocking items (``period_close``).
    """
    require_permission(actor=actor, permission="finance.close_fiscalperiod",
                       action=_("close or reopen fiscal periods"))
    if not reason.strip():
        raise ReasonRequired()
    period = FiscalPeriod.objects.select_for_update(no_key=True).get(pk=period_id)
    if period.status == status:
        raise PeriodAlreadyInStatus(period=str(period), status=period.get_status_display())
    if status == PeriodStatus.CLOSED:
        require_nothing_open(period)
    period.transition_to(status)
    period.save(update_fields=["status"])
    PeriodEvent.objects.create(period=period, status=status, reason=reason.strip(), changed_by=actor)
    action = "finance.fiscal_period.closed" if status == PeriodStatus.CLOSED else "finance.fiscal_period.reopened"
    record_audit_event(actor=actor, action=action, target=period, changes={"reason": reason.strip()})
    return period


def close_fiscal_period(*, actor, period_id: int, reason: str) -> FiscalPeriod:
    return change_fiscal_period_status(actor=actor, period_id=period_id, status=PeriodStatus.CLOSED, reason=reason)


def reopen_fiscal_period(*, actor, period_id: int, reason: str) -> FiscalPeriod:
    return change_fiscal_period_status(actor=actor, period_id=period_id, status=PeriodStatus.OPEN, reason=reason)


@transaction.atomic
def set_exchange_rate(*, actor, currency: str, year: int, month: int, units_per_usd: Decimal) -> ExchangeRate:
    """Enter (or correct) the UN operational rate of exchange of a currency for a month."""
    require_permission(actor=actor, permission="finance.add_exchangerate", action=_("enter exchange rates"))
    if not Currency.objects.filter(code=currency).exists():
        raise UnknownCurrency(currency=currency)
    if units_per_usd <= 0:
        raise InvalidInput({"units_per_usd": [_("The rate must be greater than zero.")]})
    rate, created = ExchangeRate.objects.select_for_update(no_key=True).get_or_create(
        currency=currency, month_on=month_start(year, month), defaults={"units_per_usd": units_per_usd})
    previous = None if created else rate.units_per_usd
    if not created:
        rate.units_per_usd = units_per_usd
        rate.save(update_fields=["units_per_usd"])
    record_audit_event(actor=actor, action="finance.exchange_rate.set", target=rate,
                       changes={"currency": currency, "month": f"{year}-{month:02d}", "units_per_usd": units_per_usd,
                                "previous": previous})
    return rate


@transaction.atomic
def install_standard_chart(*, actor) -> list[Account]:
    """Create the standard IPSAS chart (``finance.reference.STANDARD_CHART``) where codes are free."""
    from secretariat.finance.reference import STANDARD_CHART

    created = []
    by_code = {a.code: a for a in Account.objects.all()}
    for code, parent, name, account_type, line, is_monetary, role in STANDARD_CHART:
        if code in by_code:
            continue
        by_code[code] = create_account(
            actor=actor, code=code, name=name, account_type=account_type, statement_line=line,
            parent=by_code.get(parent) if parent else None, is_postable=bool(line), is_monetary=is_monetary,
            system_role=role,
        )
        created.append(by_code[code])
    return created
