"""Receivables: the scale of assessment, assessments issued per fund, receipts and their
application to assessments, and other receivables (staff advances, recoveries)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.currencies import require_minor_units
from secretariat.core.exceptions import InvalidInput
from secretariat.finance.models import (
    CENT,
    ZERO,
    Account,
    Assessment,
    AssessmentRate,
    BankAccount,
    Journal,
    OtherReceivable,
    Receipt,
    ReceiptApplication,
    SystemAccount,
)
from secretariat.finance.services.errors import (
    AssessmentOverCollected,
    NoScaleRate,
    ReceiptOverApplied,
)
from secretariat.finance.services.journal import (
    EntryInput,
    LedgerLookups,
    LineInput,
    post_journal_entries,
    usd_amount,
)
from secretariat.finance.services.payables import system_account


def receivables_journal() -> Journal:
    return Journal.objects.get(code="AR")


@transaction.atomic
def set_assessment_rate(*, actor, member_state, from_year: int, to_year: int, rate_percent: Decimal) -> AssessmentRate:
    """Enter a Member State's rate in the scale of assessment adopted for ``from_year``–``to_year``."""
    require_permission(actor=actor, permission="finance.add_assessmentrate", action=_("maintain the scale of assessment"))
    if not member_state.is_member_state:
        raise InvalidInput({"member_state": [_("Only Member States are assessed.")]})
    if to_year < from_year or not (0 <= rate_percent <= 100):
        raise InvalidInput({"rate_percent": [_("Give a rate between 0 and 100 and an ordered range of years.")]})
    rate, _created = AssessmentRate.objects.update_or_create(
        member_state=member_state, from_year=from_year, defaults={"to_year": to_year, "rate_percent": rate_percent})
    record_audit_event(actor=actor, action="finance.assessment_rate.set", target=member_state,
                       changes={"from_year": from_year, "to_year": to_year, "rate_percent": rate_percent})
    return rate


@transaction.atomic
def issue_assessments(*, actor, fund, reference: str, year: int, total_amount: Decimal, assessed_on: datetime.date,
                      due_on: datetime.date) -> list[Assessment]:
    """Apportion ``total_amount`` among Member States by the scale for ``year`` and post the
    receivables and the assessed-contributions revenue in one entry."""
    require_permission(actor=actor, permission="finance.add_assessment", target=fund, action=_("issue assessments"))
    if total_amount <= 0:
        raise InvalidInput({"total_amount": [_("The amount must be greater than zero.")]})
    if Assessment.objects.filter(fund=fund, reference=reference).exists():
        raise InvalidInput({"reference": [_("Assessments with this reference were already issued for the fund.")]})
    rates = list(AssessmentRate.objects.filter(from_year__lte=year, to_year__gte=year, rate_percent__gt=0)
                 .select_related("member_state").order_by("member_state__alpha3"))
    if not rates:
        raise NoScaleRate(year=year)
    receivable, revenue = (system_account(SystemAccount.ASSESSED_RECEIVABLE),
                           system_account(SystemAccount.ASSESSED_REVENUE))
    assessments = [
        Assessment(fund=fund, member_state=rate.member_state, reference=reference, assessed_on=assessed_on,
                   due_on=due_on,
                   amount=(total_amount * rate.rate_percent / 100).quantize(CENT, rounding=ROUND_HALF_EVEN))
        for rate in rates
    ]
    assessments = [a for a in assessments if a.amount > 0]
    lines = [LineInput(account_id=receivable.pk, debit_amount=a.amount, description=a.member_state.alpha3)
             for a in assessments]
    lines.append(LineInput(account_id=revenue.pk, credit_amount=sum((a.amount for a in assessments), ZERO)))
    [entry] = post_journal_entries(
        actor=actor, journal=receivables_journal(), permission="finance.add_assessment",
        entries=[EntryInput(fund_id=fund.pk, entry_on=assessed_on, description=f"{reference}", lines=lines)],
        audit_action="finance.assessments.posted")
    for assessment in assessments:
        assessment.journal_entry = entry
    Assessment.objects.bulk_create(assessments)
    record_audit_event(actor=actor, action="finance.assessments.issued", target=fund,
                       changes={"reference": reference, "year": year, "member_states": len(assessments),
                                "total": sum((a.amount for a in assessments), ZERO), "entry": entry.number})
    return assessments


@transaction.atomic
def record_receipt(*, actor, member_state, bank_account: BankAccount, fund, received_on: datetime.date,
                   reference: str, amount: Decimal, currency: str = "", bank_amount: Decimal | None = None) -> Receipt:
    """Record money received from an assessed State; it is held as a credit (received in advance)
    until applied to assessments.

    ``amount`` is what the State paid, in ``currency`` (by default the bank account's); the State
    is credited its US dollar equivalent at the operational rate of the receipt date. When the
    bank converted it into the account's currency, ``bank_amount`` is what it credited there, and
    the difference between the two is a realised exchange gain or loss.
    """
    require_permission(actor=actor, permission="finance.add_receipt", target=fund, action=_("record receipts"))
    currency = currency or bank_account.currency
    if not (member_state.is_member_state or AssessmentRate.objects.filter(member_state=member_state).exists()
            or Assessment.objects.filter(member_state=member_state).exists()):
        raise InvalidInput({"member_state": [_("%(payer)s is neither a Member State nor an assessed non-member "
                                               "State: contributions are received from these only.") % {
                                                   "payer": member_state.alpha3}]})
    if amount <= 0:
        raise InvalidInput({"amount": [_("The amount must be greater than zero.")]})
    require_minor_units(amount, currency)
    if currency == bank_account.currency:
        bank_amount = amount
    elif bank_amount is None or bank_amount <= 0:
        raise InvalidInput({"bank_amount": [_("Give the amount the bank credited in %(currency)s.") % {
            "currency": bank_account.currency}]})
    require_minor_units(bank_amount, bank_account.currency, field="bank_amount")
    lookups = LedgerLookups()
    credited = usd_amount(amount, lookups.rate(currency, received_on))
    difference = usd_amount(bank_amount, lookups.rate(bank_account.currency, received_on)) - credited
    lines = [LineInput(account_id=bank_account.ledger_account_id, debit_amount=bank_amount,
                       currency=bank_account.currency),
             LineInput(account_id=system_account(SystemAccount.ADVANCE_RECEIPTS).pk, credit_amount=credited)]
    if difference:
        lines.append(LineInput(account_id=system_account(SystemAccount.EXCHANGE_GAINS_LOSSES).pk,
                               debit_amount=max(-difference, ZERO), credit_amount=max(difference, ZERO),
                               description=str(_("Realised exchange difference"))))
    [entry] = post_journal_entries(
        actor=actor, journal=Journal.objects.get(code="CB"), permission="finance.add_receipt",
        entries=[EntryInput(fund_id=fund.pk, entry_on=received_on, description=f"{member_state.alpha3} {reference}",
                            lines=lines)],
        audit_action="finance.receipt.posted")
    receipt = Receipt.objects.create(member_state=member_state, bank_account=bank_account, received_on=received_on,
                                     reference=reference, currency=currency, received_amount=amount,
                                     bank_amount=bank_amount, amount=credited, journal_entry=entry)
    record_audit_event(actor=actor, action="finance.receipt.recorded", target=receipt,
                       changes={"member_state": member_state.alpha3, "amount": amount, "currency": currency,
                                "bank_amount": bank_amount, "usd": credited, "entry": entry.number})
    return receipt


@dataclass(frozen=True)
class Application:
    assessment_id: int
    amount: Decimal


@transaction.atomic
def apply_receipt(*, actor, receipt_id: int, applications: list[Application],
                  applied_on: datetime.date) -> list[ReceiptApplication]:
    """Apply a receipt to assessments of the same Member State: the credit is moved to settle the
    receivable. Receipt first, then assessments in pk order are locked; over-application of
    either the receipt or an assessment is refused and nothing is written."""
    receipt = Receipt.objects.select_for_update(no_key=True, of=("self",)).select_related("journal_entry").get(
        pk=receipt_id)
    assessments = {a.pk: a for a in Assessment.objects.select_for_update(no_key=True)
                   .filter(pk__in=sorted({a.assessment_id for a in applications}), member_state=receipt.member_state)
                   .select_related("fund").order_by("pk")}
    for fund in {a.fund for a in assessments.values()}:
        require_permission(actor=actor, permission="finance.add_receiptapplication", target=fund,
                           action=_("apply receipts"))
    if len(assessments) != len({a.assessment_id for a in applications}) or any(
            a.fund_id != receipt.journal_entry.fund_id for a in assessments.values()):
        raise InvalidInput({"assessment": [_("A receipt applies only to assessments of the same Member State and "
                                             "fund.")]})
    total = sum((a.amount for a in applications), ZERO)
    if any(a.amount <= 0 for a in applications) or total > receipt.unapplied_amount:
        raise ReceiptOverApplied(amount=total, unapplied=receipt.unapplied_amount)
    remaining = {pk: a.outstanding_amount for pk, a in assessments.items()}
    for application in applications:
        if application.amount > remaining[application.assessment_id]:
            assessment = assessments[application.assessment_id]
            raise AssessmentOverCollected(amount=application.amount, outstanding=remaining[assessment.pk],
                                          assessment=assessment.reference)
        remaining[application.assessment_id] -= application.amount
    credits, receivable = (system_account(SystemAccount.ADVANCE_RECEIPTS),
                           system_account(SystemAccount.ASSESSED_RECEIVABLE))
    fund_id = receipt.journal_entry.fund_id
    lines = [LineInput(account_id=credits.pk, debit_amount=total)]
    lines += [LineInput(account_id=receivable.pk, credit_amount=a.amount,
                        description=assessments[a.assessment_id].reference) for a in applications]
    posted = post_journal_entries(
        actor=actor, journal=receivables_journal(), permission="finance.add_receiptapplication",
        entries=[EntryInput(fund_id=fund_id, entry_on=applied_on,
                            description=f"{receipt.member_state.alpha3} {receipt.reference}", lines=lines)],
        audit_action="finance.receipt_application.posted")
    entry_by_fund = {e.fund_id: e for e in posted}
    created = []
    for application in applications:
        assessment = assessments[application.assessment_id]
        assessment.collected_amount += application.amount
        assessment.save(update_fields=["collected_amount"])
        created.append(ReceiptApplication.objects.create(
            receipt=receipt, assessment=assessment, amount=application.amount, applied_on=applied_on,
            journal_entry=entry_by_fund[assessment.fund_id]))
    receipt.applied_amount += total
    receipt.save(update_fields=["applied_amount"])
    record_audit_event(actor=actor, action="finance.receipt.applied", target=receipt,
                       changes={"amount": total, "assessments": [a.assessment_id for a in applications]})
    return created


@transaction.atomic
def record_other_receivable(*, actor, kind: str, fund, debtor: str, description: str, raised_on: datetime.date,
                            amount: Decimal, counter_account: Account, person=None) -> OtherReceivable:
    """Raise a staff advance, a recovery or another receivable: debit other receivables, credit
    ``counter_account`` (cash for an advance paid out, an expense for a recovery)."""
    require_permission(actor=actor, permission="finance.add_otherreceivable", target=fund,
                       action=_("record receivables"))
    if amount <= 0:
        raise InvalidInput({"amount": [_("The amount must be greater than zero.")]})
    receivable = system_account(SystemAccount.OTHER_RECEIVABLES)
    [entry] = post_journal_entries(
        actor=actor, journal=receivables_journal(), permission="finance.add_otherreceivable",
        entries=[EntryInput(fund_id=fund.pk, entry_on=raised_on, description=description,
                            lines=[LineInput(account_id=receivable.pk, debit_amount=amount),
                                   LineInput(account_id=counter_account.pk, credit_amount=amount)])],
        audit_action="finance.other_receivable.posted")
    other = OtherReceivable.objects.create(kind=kind, fund=fund, debtor=debtor, person=person, description=description,
                                           raised_on=raised_on, amount=amount, journal_entry=entry)
    record_audit_event(actor=actor, action="finance.other_receivable.recorded", target=other,
                       changes={"kind": kind, "amount": amount, "entry": entry.number})
    return other
