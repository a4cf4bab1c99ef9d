"""Payables: vendors, vendor invoices, payment runs (with their ISO 20022 pain.001 file)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.currencies import require_minor_units
from secretariat.core.exceptions import InvalidInput
from secretariat.finance.iso20022 import is_bank_latin, pain001_credit_transfer
from secretariat.finance.models import (
    ZERO,
    Account,
    BankAccount,
    InvoiceStatus,
    Journal,
    Payment,
    PaymentRun,
    SystemAccount,
    Vendor,
    VendorInvoice,
)
from secretariat.finance.services.bank_identifiers import checked_bic, checked_iban
from secretariat.finance.services.errors import (
    InvoiceCurrencyMismatch,
    PaymentExceedsInvoice,
    SystemAccountMissing,
)
from secretariat.finance.services.journal import (
    FUNCTIONAL_CURRENCY,
    EntryInput,
    LedgerLookups,
    LineInput,
    post_journal_entries,
    usd_amount,
)


def system_account(role: str) -> Account:
    account = Account.objects.filter(system_role=role).first()
    if account is None:
        raise SystemAccountMissing(role=SystemAccount(role).label)
    return account


@transaction.atomic
def create_vendor(*, actor, code: str, name: str, country, iban: str, bic: str, latin_name: str = "") -> Vendor:
    """A vendor with its bank details; the name is kept as entered (any script), ``latin_name``
    is what goes to banks that accept Latin characters only."""
    require_permission(actor=actor, permission="finance.add_vendor", action=_("create vendors"))
    if Vendor.objects.filter(code=code).exists():
        raise InvalidInput({"code": [_("A vendor with this code already exists.")]})
    iban, bic, latin_name = checked_vendor_details(iban=iban, bic=bic, latin_name=latin_name)
    vendor = Vendor.objects.create(code=code, name=name, country=country, iban=iban, bic=bic, latin_name=latin_name)
    record_audit_event(actor=actor, action="finance.vendor.created", target=vendor, changes={"code": code})
    return vendor


def checked_vendor_details(*, iban: str, bic: str, latin_name: str) -> tuple[str, str, str]:
    iban, bic, latin_name = checked_iban(iban), checked_bic(bic), " ".join(latin_name.split())
    if latin_name and not is_bank_latin(latin_name):
        raise InvalidInput({"latin_name": [_("Use only Latin letters, digits, spaces and / - ? : ( ) . , ' +")]})
    return iban, bic, latin_name


@transaction.atomic
def update_vendor(*, actor, vendor_id: int, name: str, country, iban: str, bic: str, latin_name: str = "") -> Vendor:
    """Correct a vendor's name, country or bank details, checked as on creation; the audit trail
    names the fields changed (a change of bank details is what a payment fraud looks like)."""
    require_permission(actor=actor, permission="finance.add_vendor", action=_("change vendors"))
    vendor = Vendor.objects.select_for_update(no_key=True).get(pk=vendor_id)
    iban, bic, latin_name = checked_vendor_details(iban=iban, bic=bic, latin_name=latin_name)
    new = {"name": name, "country": country, "iban": iban, "bic": bic, "latin_name": latin_name}
    changed = sorted(field for field, value in new.items() if getattr(vendor, field) != value)
    if changed:
        for field in changed:
            setattr(vendor, field, new[field])
        vendor.save(update_fields=changed)
        record_audit_event(actor=actor, action="finance.vendor.changed", target=vendor, changes={"fields": changed})
    return vendor


@transaction.atomic
def record_vendor_invoice(
    *, actor, vendor: Vendor, fund, expense_account: Account, invoice_number: str, invoice_on: datetime.date,
    due_on: datetime.date, currency: str, amount: Decimal, cost_centre=None, obligation: str = "",
) -> VendorInvoice:
    """Record an invoice and post the expense and the payable (payables journal) at the month's rate.

    ``obligation`` names what the invoice liquidates (e.g. the commitment raised for the purchase
    order); it goes on the expense line, where the budget liquidates it at posting (ADR 0053).
    """
    if amount <= 0:
        raise InvalidInput({"amount": [_("The amount must be greater than zero.")]})
    require_minor_units(amount, currency)
    if due_on < invoice_on:
        raise InvalidInput({"due_on": [_("The due date cannot be before the invoice date.")]})
    if VendorInvoice.objects.filter(vendor=vendor, invoice_number=invoice_number).exists():
        raise InvalidInput({"invoice_number": [_("This vendor's invoice was already recorded.")]})
    payables = system_account(SystemAccount.PAYABLES)
    rate = LedgerLookups().rate(currency, invoice_on)
    entry = EntryInput(fund_id=fund.pk, entry_on=invoice_on, description=f"{vendor.code} {invoice_number}",
                       lines=[LineInput(account_id=expense_account.pk, debit_amount=amount, currency=currency,
                                        cost_centre_id=cost_centre.pk if cost_centre else None,
                                        obligation=obligation),
                              LineInput(account_id=payables.pk, credit_amount=amount, currency=currency)])
    [posted] = post_journal_entries(actor=actor, journal=Journal.objects.get(code="AP"), entries=[entry],
                                    audit_action="finance.vendor_invoice.posted",
                                    permission="finance.add_vendorinvoice")
    invoice = VendorInvoice.objects.create(
        vendor=vendor, fund=fund, expense_account=expense_account, cost_centre=cost_centre,
        obligation=obligation.strip(), invoice_number=invoice_number, invoice_on=invoice_on, due_on=due_on,
        currency=currency, amount=amount, exchange_rate=rate, journal_entry=posted,
    )
    record_audit_event(actor=actor, action="finance.vendor_invoice.recorded", target=invoice,
                       changes={"amount": amount, "currency": currency, "entry": posted.number,
                                "obligation": invoice.obligation})
    return invoice


@dataclass(frozen=True)
class PaymentInstruction:
    invoice_id: int
    amount: Decimal


@transaction.atomic
def create_payment_run(*, actor, bank_account: BankAccount, payment_on: datetime.date, reference: str,
                       instructions: list[PaymentInstruction]) -> PaymentRun:
    """Pay invoices from a bank account: payments recorded against the invoices, and one cash
    entry per fund (payable cleared at the invoice's rate, bank credited at today's rate, the
    difference a realised exchange gain or loss).

    Invoices are locked in pk order; a payment larger than what is still due is refused and
    nothing is written.
    """
    require_permission(actor=actor, permission="finance.add_paymentrun", target=bank_account.fund,
                       action=_("create payment runs"))
    if not instructions:
        raise InvalidInput({"instructions": [_("Choose at least one invoice to pay.")]})
    if PaymentRun.objects.filter(reference=reference).exists():
        raise InvalidInput({"reference": [_("A payment run with this reference already exists.")]})
    invoices = {inv.pk: inv for inv in VendorInvoice.objects.select_for_update(no_key=True)
                .filter(pk__in=sorted({i.invoice_id for i in instructions})).select_related("vendor").order_by("pk")}
    owed: dict[int, Decimal] = {pk: inv.outstanding_amount for pk, inv in invoices.items()}
    for instruction in instructions:
        invoice = invoices[instruction.invoice_id]
        if invoice.currency != bank_account.currency:
            raise InvoiceCurrencyMismatch(invoice=str(invoice), invoice_currency=invoice.currency,
                                          currency=bank_account.currency)
        require_minor_units(instruction.amount, invoice.currency)
        if bank_account.latin_characters_only and not (is_bank_latin(invoice.vendor.name)
                                                       or invoice.vendor.latin_name):
            raise InvalidInput({"instructions": [_(
                "Vendor %(vendor)s has no name in Latin characters, which the bank of %(account)s requires.") % {
                    "vendor": invoice.vendor.code, "account": bank_account.code}]})
        if instruction.amount <= 0 or instruction.amount > owed[invoice.pk]:
            raise PaymentExceedsInvoice(amount=instruction.amount, currency=invoice.currency,
                                        outstanding=owed[invoice.pk], invoice=str(invoice))
        owed[invoice.pk] -= instruction.amount

    run = PaymentRun.objects.create(reference=reference, bank_account=bank_account, payment_on=payment_on,
                                    created_by=actor)
    payables, fx = system_account(SystemAccount.PAYABLES), system_account(SystemAccount.EXCHANGE_GAINS_LOSSES)
    today_rate = LedgerLookups().rate(bank_account.currency, payment_on)
    lines_by_fund: dict[int, list[LineInput]] = {}
    for number, instruction in enumerate(instructions, start=1):
        invoice = invoices[instruction.invoice_id]
        Payment.objects.create(payment_run=run, invoice=invoice, end_to_end_id=f"{reference}-{number}"[:35],
                               currency=invoice.currency, amount=instruction.amount)
        invoice.paid_amount += instruction.amount
        invoice.status = InvoiceStatus.PAID if invoice.paid_amount == invoice.amount else InvoiceStatus.PARTLY_PAID
        invoice.save(update_fields=["paid_amount", "status"])
        lines = lines_by_fund.setdefault(invoice.fund_id, [])
        lines.append(LineInput(account_id=payables.pk, debit_amount=instruction.amount, currency=invoice.currency,
                               exchange_rate=invoice.exchange_rate, description=str(invoice)))
        lines.append(LineInput(account_id=bank_account.ledger_account_id, credit_amount=instruction.amount,
                               currency=invoice.currency, exchange_rate=today_rate, description=str(invoice)))
        difference = (usd_amount(instruction.amount, today_rate)
                      - usd_amount(instruction.amount, invoice.exchange_rate))
        if difference:
            lines.append(LineInput(account_id=fx.pk, currency=FUNCTIONAL_CURRENCY,
                                   debit_amount=difference if difference > 0 else ZERO,
                                   credit_amount=-difference if difference < 0 else ZERO,
                                   description=str(_("Realised exchange difference"))))
    entries = [EntryInput(fund_id=fund_id, entry_on=payment_on, description=f"{reference}", lines=lines)
               for fund_id, lines in sorted(lines_by_fund.items())]
    posted = post_journal_entries(actor=actor, journal=Journal.objects.get(code="CB"), entries=entries,
                                  audit_action="finance.payment_run.posted", permission="finance.add_paymentrun")
    run.journal_entry = posted[0]
    run.save(update_fields=["journal_entry"])
    record_audit_event(actor=actor, action="finance.payment_run.created", target=run,
                       changes={"payments": len(instructions), "entries": [p.number for p in posted],
                                "total": sum((i.amount for i in instructions), ZERO)})
    return run


DEBTOR_NAME = "United Nations"


@transaction.atomic
def payment_file(*, actor, run: PaymentRun) -> bytes:
    """The run's ISO 20022 pain.001 file for the bank. It carries the vendors' full bank details,
    so only those who may pay from the run's account get it (not every reader of payment runs),
    and every copy taken is audited."""
    require_permission(actor=actor, permission="finance.add_paymentrun", target=run.bank_account.fund,
                       action=_("download payment files"))
    record_audit_event(actor=actor, action="finance.payment_run.file_downloaded", target=run,
                       changes={"reference": run.reference})
    return pain001_credit_transfer(run=run, debtor_name=DEBTOR_NAME, created_at=timezone.now())
