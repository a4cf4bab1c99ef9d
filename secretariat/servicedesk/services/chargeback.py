"""The monthly chargeback posted to the ledger and reversed through the finance services (ADR 0023, 0025)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.models import OrgUnit
from secretariat.finance.models import Account, Fund, Journal
from secretariat.finance.services.journal import EntryInput, LineInput, post_journal_entries, reverse_journal_entry
from secretariat.servicedesk.models import ChargebackPosting, Ticket
from secretariat.servicedesk.selectors import VIEW_TICKET, chargeback_statements, month_bounds

# The standard chart (finance/reference.py) has no dedicated inter-departmental recovery accounts:
# client departments bear the cost as "Other operating expenses" on their cost centre, the
# providing unit recovers it as "Other revenue" on its own cost centre. Both legs sit in the same
# fund, so the fund's expense and revenue rise by the same amount and its surplus is unchanged.
CHARGEBACK_EXPENSE_ACCOUNT = "5910"


CHARGEBACK_RECOVERY_ACCOUNT = "4910"


class ChargebackAlreadyPosted(DomainError):
    message = _("The chargeback for %(month)s has already been posted to the ledger (entry %(number)s).")
    code = "chargeback_already_posted"


class NothingToCharge(DomainError):
    message = _("There is no chargeback to post for %(month)s: no tickets were charged that month.")
    code = "nothing_to_charge"


class ChargebackAccountMissing(DomainError):
    message = _("The ledger has no account %(code)s to post the chargeback to.")
    code = "chargeback_account_missing"


def month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


class MonthNotEnded(DomainError):
    message = _("The chargeback for %(month)s can be posted once the month has ended, from %(from)s.")
    code = "month_not_ended"


class ChargebackNotPosted(DomainError):
    message = _("The chargeback for %(month)s is not posted to the ledger, so there is nothing to reverse.")
    code = "chargeback_not_posted"


def standing_posting(*, year: int, month: int):
    """The month's posting not reversed, if any."""
    return ChargebackPosting.objects.filter(year=year, month=month, reversal_entry__isnull=True)


def refuse_if_chargeback_posted(*, year: int, month: int) -> None:
    existing = standing_posting(year=year, month=month).select_related("journal_entry").first()
    if existing is not None:
        raise ChargebackAlreadyPosted(month=month_label(year, month), number=existing.journal_entry.number)


@transaction.atomic
def post_monthly_chargeback(*, actor, year: int, month: int, fund: Fund, providing_unit: OrgUnit,
                            entry_on: datetime.date | None = None, now=None) -> ChargebackPosting:
    """Post the month's chargeback statements to the ledger as one balanced journal entry.

    For each client department and currency of its statement: debit other operating expenses on
    the department's cost centre and credit other revenue on the providing unit's cost centre with
    the same amount, so the entry balances line pair by line pair, whatever the rates of exchange.
    The statements cover every ticket of the month (not one agent's scope): the month is posted
    once for the whole organisation. Posting a month twice is refused, also when two postings
    race: the unique constraint on ``ChargebackPosting`` lets one commit and the other is refused
    the same way (tested on PostgreSQL). Posting goes through ``finance.post_journal_entries``
    (ADR 0014), which checks the poster's ``finance.post_journalentry`` permission on the fund,
    the open period and the month's rates, and locks the period. Posted on the month's last day
    unless ``entry_on`` is given. The poster must also see service-desk tickets (``view_ticket``),
    as the statements being posted are service-desk reports. Only a month that has ended (in UTC,
    as the statements count) is posted: tickets raised later in the month would never be charged.
    """
    require_permission(actor=actor, permission=VIEW_TICKET, action=_("post chargeback statements"))
    label = month_label(year, month)
    if not 1 <= month <= 12:
        raise InvalidInput(errors={"month": [_("Enter a month between 1 and 12.")]})
    _start, month_end = month_bounds(year, month)
    if (now or timezone.now()) < month_end:
        raise MonthNotEnded(month=label, **{"from": month_end.date().isoformat()})
    refuse_if_chargeback_posted(year=year, month=month)
    statements = chargeback_statements(tickets=Ticket.objects.all(), year=year, month=month)
    accounts = Account.objects.in_bulk([CHARGEBACK_EXPENSE_ACCOUNT, CHARGEBACK_RECOVERY_ACCOUNT], field_name="code")
    for code in (CHARGEBACK_EXPENSE_ACCOUNT, CHARGEBACK_RECOVERY_ACCOUNT):
        if code not in accounts:
            raise ChargebackAccountMissing(code=code)
    departments = OrgUnit.objects.in_bulk([s["department"] for s in statements], field_name="code")
    lines = []
    for statement in statements:
        department = departments[statement["department"]]
        for currency, amount in sorted(statement["totals"].items()):
            if not amount:
                continue
            description = f"Service desk chargeback {label}: {department.code}"
            lines.append(LineInput(account_id=accounts[CHARGEBACK_EXPENSE_ACCOUNT].pk, debit_amount=amount,
                                   currency=currency, cost_centre_id=department.pk, description=description))
            lines.append(LineInput(account_id=accounts[CHARGEBACK_RECOVERY_ACCOUNT].pk, credit_amount=amount,
                                   currency=currency, cost_centre_id=providing_unit.pk, description=description))
    if not lines:
        raise NothingToCharge(month=label)
    last_day = month_end.date() - datetime.timedelta(days=1)
    [entry] = post_journal_entries(
        actor=actor, journal=Journal.objects.get(code="GJ"), permission="finance.post_journalentry",
        audit_action="servicedesk.chargeback.posted_to_ledger",
        entries=[EntryInput(fund_id=fund.pk, entry_on=entry_on or last_day,
                            description=f"Service desk chargeback {label}", lines=lines)])
    try:
        with transaction.atomic():
            posting = ChargebackPosting.objects.create(
                year=year, month=month, fund=fund, providing_unit=providing_unit, journal_entry=entry,
                posted_by=actor, posted_at=timezone.now())
    except IntegrityError:
        # A simultaneous posting of the month committed after our check above: refuse like any
        # second posting; raising rolls our journal entry back with the rest of the transaction.
        refuse_if_chargeback_posted(year=year, month=month)
        raise
    record_audit_event(actor=actor, action="servicedesk.chargeback.posted", target=posting, changes={
        "month": label, "fund": fund.code, "providing_unit": providing_unit.code, "entry": entry.number,
        "departments": {s["department"]: {c: a for c, a in s["totals"].items()} for s in statements}})
    return posting


@transaction.atomic
def reverse_monthly_chargeback(*, actor, year: int, month: int, reason: str,
                               reversal_on: datetime.date | None = None, now=None) -> ChargebackPosting:
    """Reverse a month's posted chargeback so that it can be posted again (ADR 0025).

    The journal entry is reversed by ``finance.reverse_journal_entry`` (which checks the right to
    post to the fund and the open period of ``reversal_on``, today by default); the posting keeps
    its row with the reversing entry, and the month no longer counts as posted.
    """
    require_permission(actor=actor, permission=VIEW_TICKET, action=_("reverse chargeback postings"))
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Say why the chargeback is reversed.")]})
    now = now or timezone.now()
    label = month_label(year, month)
    posting = standing_posting(year=year, month=month).select_for_update(no_key=True).first()
    if posting is None:
        raise ChargebackNotPosted(month=label)
    reversal = reverse_journal_entry(actor=actor, entry_id=posting.journal_entry_id,
                                     reversal_on=reversal_on or timezone.localdate(now), reason=reason)
    posting.reversal_entry, posting.reversed_by, posting.reversed_at = reversal, actor, now
    posting.save(update_fields=["reversal_entry", "reversed_by", "reversed_at"])
    record_audit_event(actor=actor, action="servicedesk.chargeback.reversed", target=posting, changes={
        "month": label, "entry": posting.journal_entry.number, "reversal": reversal.number, "reason": reason})
    return posting
