"""Detecting what the database's guards cannot stop: changes made by a database superuser with
the triggers switched off (ADR 0006).

``verify_ledger`` checks every posted entry against the content hash its posting's audit event
recorded, each line's USD amounts against its amounts and rate, each entry's balance per fund,
and the maintained period balances against the sums of the posted lines. It reads only; each
finding names the entry, line and field, or the period, fund and account, with what was
expected and what was found.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from secretariat.core.audit import has_valid_mac
from secretariat.core.models import AuditEvent
from secretariat.finance.entry_hashes import content_hash, stored_entries_with_lines
from secretariat.finance.models import (
    LEDGER_STATUSES,
    ZERO,
    Account,
    FiscalPeriod,
    Fund,
    JournalEntry,
    JournalLine,
    PeriodBalance,
)
from secretariat.finance.services.journal import usd_amount

CHUNK = 1000
AMOUNT_PLACES = Decimal("0.0001")  # the scale of every USD column


@dataclass
class LedgerVerification:
    entries_checked: int = 0
    findings: list[str] = field(default_factory=list)

    @property
    def is_intact(self) -> bool:
        return not self.findings


def recorded_content_hashes(result: LedgerVerification) -> dict[str, str]:
    """``{entry number: hash}`` from the posting events whose MAC verifies; the others are findings."""
    recorded = {}
    for event in AuditEvent.objects.filter(changes__has_key="content_hashes").order_by("pk"):
        if not has_valid_mac(event):
            result.findings.append(f"audit event {event.sequence or event.pk} ({event.action}) recording posted "
                                   f"entries was not written by the application or was changed since")
            continue
        recorded.update(event.changes["content_hashes"])
    return recorded


def check_lines(entry: dict, lines: list[dict], funds: dict[int, str], result: LedgerVerification) -> None:
    number, debits, credits = entry["number"], defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for line in lines:
        for side in ("debit", "credit"):
            expected = usd_amount(line[f"{side}_amount"], line["exchange_rate"])
            if line[f"{side}_usd"] != expected:
                result.findings.append(
                    f"entry {number}, line {line['id']}: {side}_usd is {line[f'{side}_usd']}, its {side}_amount "
                    f"{line[f'{side}_amount']} at rate {line['exchange_rate']} gives {expected}")
        debits[line["fund_id"]] += line["debit_usd"]
        credits[line["fund_id"]] += line["credit_usd"]
    for fund_id in sorted(debits):
        if debits[fund_id] != credits[fund_id]:
            result.findings.append(f"entry {number}: fund {funds[fund_id]} does not balance "
                                   f"(debits {debits[fund_id]}, credits {credits[fund_id]})")


def check_period_balances(result: LedgerVerification) -> None:
    expected = {
        (row["entry__period_id"], row["fund_id"], row["account_id"]): (row["debit_usd"], row["credit_usd"])
        for row in JournalLine.objects.filter(entry__status__in=LEDGER_STATUSES)
        .values("entry__period_id", "fund_id", "account_id")
        .annotate(debit_usd=Sum("debit_usd"), credit_usd=Sum("credit_usd")).order_by()
    }
    found = {(row.period_id, row.fund_id, row.account_id): (row.debit_usd, row.credit_usd)
             for row in PeriodBalance.objects.all()}
    periods = {p.pk: str(p) for p in FiscalPeriod.objects.all()}
    funds = dict(Fund.objects.values_list("pk", "code"))
    accounts = dict(Account.objects.values_list("pk", "code"))
    nothing = (ZERO, ZERO)
    for key in sorted(expected.keys() | found.keys()):
        want, have = expected.get(key, nothing), found.get(key, nothing)
        for side, wanted, had in (("debit_usd", want[0], have[0]), ("credit_usd", want[1], have[1])):
            wanted, had = Decimal(wanted).quantize(AMOUNT_PLACES), Decimal(had).quantize(AMOUNT_PLACES)
            if wanted != had:
                period_id, fund_id, account_id = key
                result.findings.append(
                    f"period balance {periods.get(period_id, period_id)}, fund {funds.get(fund_id, fund_id)}, "
                    f"account {accounts.get(account_id, account_id)}: {side} expected {wanted} "
                    f"(sum of posted lines), found {had}")


def verify_ledger() -> LedgerVerification:
    result = LedgerVerification()
    recorded = recorded_content_hashes(result)
    seen, funds = set(), dict(Fund.objects.values_list("pk", "code"))
    posted_ids = list(JournalEntry.objects.filter(status__in=LEDGER_STATUSES).order_by("pk")
                      .values_list("pk", flat=True))
    for start in range(0, len(posted_ids), CHUNK):
        for entry, lines in stored_entries_with_lines(posted_ids[start:start + CHUNK]):
            number = entry["number"]
            seen.add(number)
            result.entries_checked += 1
            if number not in recorded:
                result.findings.append(f"entry {number}: no content hash was recorded in the audit trail when "
                                       f"it was posted")
            elif recorded[number] != (found := content_hash(entry, lines)):
                result.findings.append(f"entry {number}: its lines or amounts differ from what was posted "
                                       f"(content hash recorded {recorded[number][:16]}…, found {found[:16]}…)")
            check_lines(entry, lines, funds, result)
    for number in sorted(recorded.keys() - seen):
        result.findings.append(f"entry {number}: recorded as posted in the audit trail, missing from the ledger")
    check_period_balances(result)
    return result
