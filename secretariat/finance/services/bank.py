"""Bank: accounts, statement import (camt.053, CSV), automatic and manual matching."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput
from secretariat.finance.iso20022 import ParsedStatement, UnreadableStatement, parse_camt053, parse_statement_csv
from secretariat.finance.models import (
    Account,
    AccountType,
    BankAccount,
    BankStatement,
    BankStatementLine,
    Payment,
    Receipt,
    StatementLine,
)
from secretariat.finance.services.errors import (
    BankLineAlreadyMatched,
    MatchAmountDiffers,
    StatementAlreadyImported,
    StatementUnreadable,
)
from secretariat.finance.services.payables import valid_iban


@transaction.atomic
def create_bank_account(*, actor, code: str, name: str, fund, currency: str, iban: str, bic: str,
                        ledger_account: Account) -> BankAccount:
    require_permission(actor=actor, permission="finance.add_bankaccount", action=_("create bank accounts"))
    iban = iban.replace(" ", "").upper()
    if not valid_iban(iban):
        raise InvalidInput({"iban": [_("This is not a valid IBAN.")]})
    if ledger_account.account_type != AccountType.ASSET or ledger_account.statement_line != StatementLine.CASH:
        raise InvalidInput({"ledger_account": [_("Choose a cash account.")]})
    account = BankAccount.objects.create(code=code, name=name, fund=fund, currency=currency, iban=iban,
                                         bic=bic.upper(), ledger_account=ledger_account)
    record_audit_event(actor=actor, action="finance.bank_account.created", target=account,
                       changes={"code": code, "currency": currency})
    return account


@transaction.atomic
def import_bank_statement(*, actor, bank_account: BankAccount, content: bytes, source_format: str,
                          statement_id: str = "", opening_balance: Decimal = Decimal("0")) -> list[BankStatement]:
    """Store the statement(s) in a camt.053 or CSV file for ``bank_account`` and match what can
    be matched automatically. A statement already imported is refused (safe to retry)."""
    require_permission(actor=actor, permission="finance.add_bankstatement", target=bank_account.fund,
                       action=_("import bank statements"))
    try:
        if source_format == "camt053":
            parsed = parse_camt053(content)
        elif source_format == "csv":
            parsed = [parse_statement_csv(content, statement_id=statement_id, opening_balance=opening_balance)]
        else:
            raise UnreadableStatement(f"unknown format {source_format}")
    except UnreadableStatement as error:
        raise StatementUnreadable(reason=str(error)) from None
    imported = []
    for statement in parsed:
        if statement.iban and statement.iban.replace(" ", "") != bank_account.iban:
            raise StatementUnreadable(reason=str(_("the statement is for another account (%(iban)s)")
                                                 % {"iban": statement.iban}))
        if statement.currency and statement.currency != bank_account.currency:
            raise StatementUnreadable(reason=str(_("the statement is in %(currency)s") % {
                "currency": statement.currency}))
        imported.append(store_statement(actor=actor, bank_account=bank_account, statement=statement,
                                        source_format=source_format))
    return imported


def store_statement(*, actor, bank_account: BankAccount, statement: ParsedStatement, source_format: str) -> BankStatement:
    if not statement.statement_id:
        raise InvalidInput({"statement_id": [_("Give the statement's identifier.")]})
    if BankStatement.objects.filter(bank_account=bank_account, statement_id=statement.statement_id).exists():
        raise StatementAlreadyImported(statement=statement.statement_id)
    stored = BankStatement.objects.create(
        bank_account=bank_account, statement_id=statement.statement_id, statement_on=statement.statement_on,
        opening_balance=statement.opening_balance, closing_balance=statement.closing_balance,
        source_format=source_format, imported_by=actor)
    BankStatementLine.objects.bulk_create(
        BankStatementLine(statement=stored, booked_on=ln.booked_on, amount=ln.amount, reference=ln.reference[:140],
                          counterparty=ln.counterparty[:140]) for ln in statement.lines if ln.amount)
    matched = match_automatically(bank_account=bank_account, statement=stored, actor=actor)
    record_audit_event(actor=actor, action="finance.bank_statement.imported", target=stored,
                       changes={"statement_id": statement.statement_id, "lines": len(statement.lines),
                                "auto_matched": matched, "format": source_format})
    return stored


def match_automatically(*, bank_account: BankAccount, statement: BankStatement, actor) -> int:
    """Match debits to payments by end-to-end reference (else by a unique equal amount), credits
    to receipts by reference (else by a unique equal amount). Returns the number matched."""
    now, matched = timezone.now(), 0
    open_payments = list(Payment.objects.filter(payment_run__bank_account=bank_account, bank_line__isnull=True))
    open_receipts = list(Receipt.objects.filter(bank_account=bank_account, bank_line__isnull=True))
    for line in statement.lines.select_for_update(no_key=True).order_by("pk"):
        if line.amount < 0:
            candidates = [p for p in open_payments if p.end_to_end_id == line.reference] or [
                p for p in open_payments if p.amount == -line.amount]
            if len(candidates) == 1:
                line.payment = candidates[0]
                open_payments.remove(candidates[0])
        else:
            candidates = [r for r in open_receipts if r.reference and r.reference in line.reference] or [
                r for r in open_receipts if r.amount == line.amount]
            if len(candidates) == 1:
                line.receipt = candidates[0]
                open_receipts.remove(candidates[0])
        if line.is_matched:
            line.matched_by, line.matched_at, line.is_auto_matched = actor, now, True
            line.save(update_fields=["payment", "receipt", "matched_by", "matched_at", "is_auto_matched"])
            matched += 1
    return matched


@transaction.atomic
def match_bank_line(*, actor, line_id: int, payment_id: int | None = None,
                    receipt_id: int | None = None) -> BankStatementLine:
    """Match a statement line the automatic pass left open, to a payment or a receipt of the same amount."""
    line = BankStatementLine.objects.select_for_update(no_key=True).select_related("statement__bank_account").get(
        pk=line_id)
    require_permission(actor=actor, permission="finance.change_bankstatementline",
                       target=line.statement.bank_account.fund, action=_("match bank statement lines"))
    if line.is_matched:
        raise BankLineAlreadyMatched()
    if (payment_id is None) == (receipt_id is None):
        raise InvalidInput({"payment": [_("Choose one payment or one receipt.")]})
    account = line.statement.bank_account
    if payment_id is not None:
        item = Payment.objects.select_for_update(no_key=True).filter(pk=payment_id,
                                                                     payment_run__bank_account=account).first()
    else:
        item = Receipt.objects.select_for_update(no_key=True).filter(pk=receipt_id, bank_account=account).first()
    if item is None:
        raise InvalidInput({"payment": [_("Choose a payment or receipt of this bank account.")]})
    expected = -item.amount if payment_id is not None else item.amount
    if BankStatementLine.objects.filter(**{"payment" if payment_id else "receipt": item}).exists():
        raise BankLineAlreadyMatched()
    if line.amount != expected:
        raise MatchAmountDiffers(line_amount=line.amount, amount=expected)
    line.payment = item if payment_id else None
    line.receipt = item if receipt_id else None
    line.matched_by, line.matched_at, line.is_auto_matched = actor, timezone.now(), False
    line.save(update_fields=["payment", "receipt", "matched_by", "matched_at", "is_auto_matched"])
    record_audit_event(actor=actor, action="finance.bank_line.matched", target=line,
                       changes={"payment": payment_id, "receipt": receipt_id})
    return line
