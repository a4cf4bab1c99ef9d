"""Invariants under any sequence of valid postings and reversals (Hypothesis): every fund
balances, the trial balance closes at zero, the maintained balances equal a full scan of the
lines, and the statements tie to the trial balance."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from secretariat.finance import selectors
from secretariat.finance.models import ZERO, FiscalPeriod, Fund, JournalLine
from secretariat.finance.services import journal
from secretariat.finance.services.journal import EntryInput
from secretariat.finance.tests.factories import build_ledger, line

CODES = ["1110", "1210", "1310", "1610", "1690", "2110", "2310", "3110", "4110", "4910", "5110", "5310", "5510"]
amounts = st.one_of(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
                    st.sampled_from([Decimal("0.01"), Decimal("99999.99")]))
dates = st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2026, 12, 31))


@st.composite
def entries(draw):
    """A balanced entry: some debits, and credits that split the same total."""
    debits = draw(st.lists(st.tuples(st.sampled_from(CODES), amounts), min_size=1, max_size=3))
    total = sum(a for _c, a in debits)
    credit_codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3))
    cents = int(total * 100)
    cuts = sorted(draw(st.lists(st.integers(1, max(1, cents - 1)), min_size=len(credit_codes) - 1,
                                max_size=len(credit_codes) - 1, unique=True))) if cents > len(credit_codes) else []
    parts = [Decimal(b - a) / 100 for a, b in zip([0] + cuts, cuts + [cents], strict=True)] if cuts else [total]
    return draw(st.sampled_from(["RB", "TF-HUM"])), draw(dates), debits, list(zip(credit_codes, parts, strict=False))


class LedgerAlwaysBalances(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_postings_and_reversals_keep_every_fund_balanced(self, data):
        ledger = build_ledger()
        accounts = {c: ledger.account(c) for c in CODES}
        posted = []
        for _ in range(data.draw(st.integers(1, 6), label="steps")):
            if posted and data.draw(st.booleans(), label="reverse?"):
                entry = posted.pop(data.draw(st.integers(0, len(posted) - 1)))
                journal.reverse_journal_entry(actor=ledger.admin, entry_id=entry.pk, reversal_on=entry.entry_on,
                                              reason="hypothesis")
                continue
            fund_code, on, debits, credits = data.draw(entries())
            fund = Fund.objects.get(code=fund_code)
            lines = [line(accounts[c], debit=str(a)) for c, a in debits] + [
                line(accounts[c], credit=str(a)) for c, a in credits]
            posted += journal.post_journal_entries(actor=ledger.admin, journal=ledger.general, entries=[
                EntryInput(fund_id=fund.pk, entry_on=on, description="generated", lines=lines)])

        for fund in Fund.objects.all():
            lines = JournalLine.objects.filter(fund=fund)
            assert sum((ln.debit_usd for ln in lines), ZERO) == sum((ln.credit_usd for ln in lines), ZERO)
        last = FiscalPeriod.objects.get(calendar="calendar_year", fiscal_year=2026, number=12)
        for fund_ids in ([ledger.regular_budget.pk], [ledger.trust_fund.pk], None):
            trial = selectors.trial_balance(period=last, fund_ids=fund_ids)
            assert trial.total_closing == 0
            assert trial.total_debits == trial.total_credits
            scanned = selectors.trial_balance_by_full_scan(period=last, fund_ids=fund_ids)
            assert {r.account.pk: r.closing for r in trial.rows if r.closing} == {
                k: v for k, v in scanned.items() if v}
            position = {r.label: r for r in selectors.financial_position(period=last, fund_ids=fund_ids)}
            assert position["Total assets"].current - position["Total liabilities"].current == \
                position["Total net assets"].current
            performance = {r.label: r for r in selectors.financial_performance(period=last, fund_ids=fund_ids)}
            changes = selectors.changes_in_net_assets(period=last, fund_ids=fund_ids)
            assert changes[1].current == performance["Surplus/(deficit) for the year"].current
            assert changes[-1].current == position["Total net assets"].current
            cash = {r.line: r for r in selectors.cash_flow(period=last, fund_ids=fund_ids)}
            cash_in_position = sum((r.closing for r in trial.rows if r.account.statement_line == "cash"), ZERO)
            assert cash["closing"].current == cash_in_position
