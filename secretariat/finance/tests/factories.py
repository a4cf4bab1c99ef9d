"""Test setup for the ledger: a chart, funds, open fiscal years and people holding finance roles."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from secretariat.core.tests.factories import UserFactory, delegation, grant
from secretariat.finance.models import Account, FiscalCalendar, Fund, FundKind, Journal
from secretariat.finance.services import structure
from secretariat.finance.services.journal import EntryInput, LineInput


@dataclass
class Ledger:
    admin: object
    regular_budget: Fund
    peacekeeping: Fund
    trust_fund: Fund
    general: Journal

    def account(self, code: str) -> Account:
        return Account.objects.get(code=code)


def superuser(username="finance.admin"):
    user = UserFactory(username=username)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def build_ledger(*, years=(2025, 2026)) -> Ledger:
    admin = superuser()
    structure.install_standard_chart(actor=admin)
    regular = structure.create_fund(actor=admin, code="RB", name="Regular budget", kind=FundKind.REGULAR_BUDGET,
                                    calendar=FiscalCalendar.CALENDAR_YEAR,
                                    name_translations={"fr": "Budget ordinaire", "ar": "الميزانية العادية"})
    peacekeeping = structure.create_fund(actor=admin, code="PKO-UNMISS", name="UNMISS special account",
                                         kind=FundKind.PEACEKEEPING, calendar=FiscalCalendar.JULY_JUNE)
    trust = structure.create_fund(actor=admin, code="TF-HUM", name="Humanitarian trust fund",
                                  kind=FundKind.TRUST_FUND, calendar=FiscalCalendar.CALENDAR_YEAR)
    for year in years:
        structure.create_fiscal_year(actor=admin, calendar=FiscalCalendar.CALENDAR_YEAR, fiscal_year=year)
        structure.create_fiscal_year(actor=admin, calendar=FiscalCalendar.JULY_JUNE, fiscal_year=year)
    return Ledger(admin, regular, peacekeeping, trust, Journal.objects.get(code="GJ"))


def line(account: Account, debit="0", credit="0", **kwargs) -> LineInput:
    return LineInput(account_id=account.pk, debit_amount=Decimal(debit), credit_amount=Decimal(credit), **kwargs)


def simple_entry(ledger: Ledger, amount="100.00", *, fund=None, on=datetime.date(2026, 3, 15),
                 debit="5310", credit="1110", description="Office supplies") -> EntryInput:
    fund = fund or ledger.regular_budget
    return EntryInput(fund_id=fund.pk, entry_on=on, description=description,
                      lines=[line(ledger.account(debit), debit=amount), line(ledger.account(credit), credit=amount)])


@dataclass
class Officers:
    preparer: object
    certifier: object
    approver: object
    poster: object


def officers_for(fund: Fund, limit="1000000.00") -> Officers:
    preparer = UserFactory(username="preparer")
    grant(preparer, "finance_officer", fund)
    certifier = UserFactory(username="certifier")
    grant(certifier, "finance_certifier", fund)
    delegation(certifier, "certifying_officer", fund, limit=limit)
    approver = UserFactory(username="approver")
    grant(approver, "finance_approver", fund)
    delegation(approver, "approving_officer", fund, limit=limit)
    poster = UserFactory(username="accountant")
    grant(poster, "chief_accountant", fund)
    return Officers(preparer, certifier, approver, poster)


def set_up_treasury(ledger):
    """A Dutch vendor, a EUR operating account with its April rate, and the treasurer who pays
    from it (finance and treasury officer on the regular budget)."""
    from secretariat.core.models import Country
    from secretariat.finance.services import bank, payables

    structure.set_exchange_rate(actor=ledger.admin, currency="EUR", year=2026, month=4, units_per_usd=Decimal("0.9"))
    payables.create_vendor(actor=ledger.admin, code="V-NL", name="Helix Cloud Services BV",
                           country=Country.objects.get(alpha2="NL"), iban="NL91ABNA0417164300", bic="ABNANL2A")
    bank.create_bank_account(actor=ledger.admin, code="EUR-OPS", name="Operating EUR", fund=ledger.regular_budget,
                             currency="EUR", iban="DE89370400440532013000", bic="COBADEFFXXX",
                             ledger_account=ledger.account("1120"))
    user = UserFactory(username="treasurer")
    grant(user, "finance_officer", ledger.regular_budget)
    grant(user, "treasury_officer", ledger.regular_budget)
    return user
