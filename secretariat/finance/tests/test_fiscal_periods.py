"""Fiscal years per fund calendar; closing and reopening periods with an audited reason."""

import datetime

import pytest

from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import AuditEvent
from secretariat.finance import selectors
from secretariat.finance.models import FiscalPeriod, PeriodEvent, PeriodStatus
from secretariat.finance.services import structure
from secretariat.finance.services.errors import FiscalYearExists, PeriodAlreadyInStatus, ReasonRequired

pytestmark = pytest.mark.django_db


def test_a_peacekeeping_fund_runs_from_july_to_june(ledger):
    period = selectors.fiscal_period_on(fund=ledger.peacekeeping, on=datetime.date(2026, 2, 10))
    assert (period.fiscal_year, period.number, period.starts_on, period.ends_on) == (
        2025, 8, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    regular = selectors.fiscal_period_on(fund=ledger.regular_budget, on=datetime.date(2026, 2, 10))
    assert (regular.fiscal_year, regular.number) == (2026, 2)


def test_closing_and_reopening_keep_the_reason(ledger, officers):
    # given
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=1)
    # when
    structure.close_fiscal_period(actor=officers.poster, period_id=period.pk, reason="January closed")
    structure.reopen_fiscal_period(actor=officers.poster, period_id=period.pk, reason="Audit adjustment")
    # then
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert list(PeriodEvent.objects.filter(period=period).values_list("status", "reason")) == [
        ("open", "Audit adjustment"), ("closed", "January closed")]
    reopened = AuditEvent.objects.get(action="finance.fiscal_period.reopened")
    assert reopened.changes == {"reason": "Audit adjustment"}


def test_closing_needs_a_reason_an_authorised_officer_and_an_open_period(ledger, officers):
    period = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=1)
    with pytest.raises(ReasonRequired):
        structure.close_fiscal_period(actor=officers.poster, period_id=period.pk, reason="  ")
    with pytest.raises(AccessDenied):
        structure.close_fiscal_period(actor=officers.preparer, period_id=period.pk, reason="x")
    structure.close_fiscal_period(actor=officers.poster, period_id=period.pk, reason="done")
    with pytest.raises(PeriodAlreadyInStatus):
        structure.close_fiscal_period(actor=officers.poster, period_id=period.pk, reason="again")


def test_a_fiscal_year_is_opened_once(ledger):
    with pytest.raises(FiscalYearExists):
        structure.create_fiscal_year(actor=ledger.admin, calendar="calendar_year", fiscal_year=2026)
