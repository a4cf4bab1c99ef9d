"""Bank: accounts, statement import (camt.053, camt.054, CSV), automatic and manual matching.

Lock order: the bank account (serialises imports and manual matching on one account) → statement
lines (pk order) → payments and receipts.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.currencies import exceeds_minor_units, too_many_decimals
from secretariat.core.exceptions import InvalidInput
from secretariat.core.formats import quantized
from secretariat.finance.iso20022 import (
    ParsedStatement,
    UnreadableStatement,
    parse_camt,
    parse_statement_csv,
)
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
from secretariat.finance.services.bank_identifiers import checked_bic, checked_iban
from secretariat.finance.services.errors import (
    BankLineAlreadyMatched,
    BankLineNotMatched,
    MatchAmountDiffers,
    ReasonRequired,
    StatementAlreadyImported,
    StatementUnreadable,
)

SOURCE_FORMATS = ("camt053", "camt054", "csv")
MATCH_FIELDS = ["payment", "receipt", "matched_by", "matched_at", "is_auto_matched"]


@transaction.atomic
def create_bank_account(*, actor, code: str, name: str, fund, currency: str, iban: str, bic: str,
                        ledger_account: Account, other_identifier: str = "",
                        latin_characters_only: bool = False) -> BankAccount:
    require_permission(actor=actor, permission="finance.add_bankaccount", action=_("create bank accounts"))
    iban, bic = checked_iban(iban), checked_bic(bic)
    if ledger_account.account_type != AccountType.ASSET or ledger_account.statement_line != StatementLine.CASH:
        raise InvalidInput({"ledger_account": [_("Choose a cash account.")]})
    account = BankAccount.objects.create(code=code, name=name, fund=fund, currency=currency, iban=iban, bic=bic,
                                         ledger_account=ledger_account, other_identifier=other_identifier.strip(),
                                         latin_characters_only=latin_characters_only)
    record_audit_event(actor=actor, action="finance.bank_account.created", target=account,
                       changes={"code": code, "currency": currency})
    return account


@transaction.atomic
def import_bank_statement(*, actor, bank_account: BankAccount, content: bytes, source_format: str,
                          statement_id: str = "", opening_balance: Decimal = Decimal("0")) -> list[BankStatement]:
    """Store the statement(s) of a camt.053 or CSV file, or the notifications of a camt.054 file,
    for ``bank_account`` and match what can be matched automatically.

    A file for another account or currency, or whose balances do not foot, is refused whole with
    the reason; a statement already imported is refused (safe to retry).
    """
    require_permission(actor=actor, permission="finance.add_bankstatement", target=bank_account.fund,
                       action=_("import bank statements"))
    try:
        if source_format in ("camt053", "camt054"):
            parsed = parse_camt(content)
        elif source_format == "csv":
            parsed = [parse_statement_csv(content, statement_id=statement_id, opening_balance=opening_balance)]
        else:
            raise UnreadableStatement(_("unknown format %(format)s") % {"format": source_format})
        for statement in parsed:
            check_statement_is_for(statement, bank_account)
    except UnreadableStatement as error:
        raise StatementUnreadable(reason=str(error)) from None
    BankAccount.objects.select_for_update(no_key=True).filter(pk=bank_account.pk).first()
    return [store_statement(actor=actor, bank_account=bank_account, statement=statement) for statement in parsed]


def check_statement_is_for(statement: ParsedStatement, bank_account: BankAccount) -> None:
    """Refuse a statement that names another account, or has amounts in another currency or with
    more decimals than the account's currency has (such a line could never be matched)."""
    if statement.source_format != "csv":
        if statement.iban:
            if statement.iban != bank_account.iban:
                raise UnreadableStatement(_("the statement is for the account with IBAN %(iban)s, not %(ours)s") % {
                    "iban": statement.iban, "ours": bank_account.iban})
        elif statement.other_account_id:
            if statement.other_account_id != bank_account.other_identifier:
                raise UnreadableStatement(_("the statement is for the account identified as %(id)s, which is not "
                                            "this bank account's identifier") % {"id": statement.other_account_id})
        else:
            raise UnreadableStatement(_("the statement does not identify its account (neither IBAN nor other "
                                        "identifier)"))
    if statement.currency and statement.currency != bank_account.currency:
        raise UnreadableStatement(_("the statement is in %(currency)s but the account is in %(account)s") % {
            "currency": statement.currency, "account": bank_account.currency})
    for line in statement.lines:
        if line.currency and line.currency != bank_account.currency:
            raise UnreadableStatement(
                _("the entry of %(amount)s booked on %(date)s (reference %(reference)s) is in %(currency)s but the "
                  "account is in %(account)s") % {"amount": line.amount, "date": line.booked_on.isoformat(),
                                                  "reference": line.entry_reference or line.reference or "-",
                                                  "currency": line.currency, "account": bank_account.currency})
        if exceeds_minor_units(line.amount, bank_account.currency):
            raise UnreadableStatement(
                _("the entry booked on %(date)s (reference %(reference)s): %(problem)s") % {
                    "date": line.booked_on.isoformat(), "reference": line.entry_reference or line.reference or "-",
                    "problem": too_many_decimals(line.amount, bank_account.currency)})


def check_follows_previous_statement(statement: ParsedStatement, bank_account: BankAccount) -> None:
    """A bank's statement opens where the account's previous one closed: a gap means a statement
    is missing (or made up), and the reconciliation would silently skip its entries. CSV files
    carry no balances of the bank's own, so only camt statements are held to this."""
    if statement.source_format == "csv" or statement.opening_balance is None:
        return
    previous = (BankStatement.objects.filter(bank_account=bank_account, closing_balance__isnull=False,
                                             statement_on__lte=statement.statement_on)
                .exclude(source_format="csv").order_by("-statement_on", "-id").first())
    if previous is not None and previous.closing_balance != statement.opening_balance:
        currency = bank_account.currency
        raise StatementUnreadable(reason=_(
            "statement %(statement)s opens at %(opening)s, but the previous statement %(previous)s of this account "
            "closed at %(closing)s: a statement is missing or wrong") % {
                "statement": statement.statement_id, "opening": quantized(statement.opening_balance, currency),
                "previous": previous.statement_id, "closing": quantized(previous.closing_balance, currency)})


def store_statement(*, actor, bank_account: BankAccount, statement: ParsedStatement) -> BankStatement:
    if not statement.statement_id:
        raise InvalidInput({"statement_id": [_("Give the statement's identifier.")]})
    if BankStatement.objects.filter(bank_account=bank_account, statement_id=statement.statement_id).exists():
        raise StatementAlreadyImported(statement=statement.statement_id)
    check_follows_previous_statement(statement, bank_account)
    stored = BankStatement.objects.create(
        bank_account=bank_account, statement_id=statement.statement_id, statement_on=statement.statement_on,
        opening_balance=statement.opening_balance, closing_balance=statement.closing_balance,
        source_format=statement.source_format, imported_by=actor)
    lines = [BankStatementLine(statement=stored, booked_on=ln.booked_on, amount=ln.amount,
                               reference=ln.reference[:140], counterparty=ln.counterparty[:140],
                               entry_reference=ln.entry_reference[:35], is_reversal=ln.is_reversal)
             for ln in statement.lines if ln.amount]
    outcome = match_automatically(bank_account=bank_account, lines=lines, actor=actor)
    record_audit_event(actor=actor, action="finance.bank_statement.imported", target=stored,
                       changes={"statement_id": statement.statement_id, "lines": len(lines),
                                "auto_matched": outcome.matched, "proposed": outcome.proposed,
                                "reversals": outcome.reversed, "format": statement.source_format})
    return stored


@dataclass
class OpenItems:
    """The account's payments and receipts not yet matched, indexed for matching."""

    payments_by_reference: dict[str, Payment]
    receipts_by_reference: dict[str, Receipt]
    by_amount: dict[Decimal, list] = field(default_factory=dict)  # signed as the bank line would be

    @classmethod
    def of(cls, bank_account: BankAccount) -> "OpenItems":
        payments = Payment.objects.filter(payment_run__bank_account=bank_account, bank_line__isnull=True)
        receipts = Receipt.objects.filter(bank_account=bank_account, bank_line__isnull=True)
        items = cls({p.end_to_end_id: p for p in payments}, {r.reference: r for r in receipts if r.reference})
        for payment in items.payments_by_reference.values():
            items.by_amount.setdefault(-payment.amount, []).append(payment)
        for receipt in receipts:
            items.by_amount.setdefault(receipt.amount_in_bank, []).append(receipt)
        return items

    def by_reference(self, line: BankStatementLine):
        """The open item the line's reference names: a payment's end-to-end id, or a receipt's
        reference among the words of the remittance information."""
        if line.amount < 0:
            return self.payments_by_reference.get(line.reference)
        return next((self.receipts_by_reference[word] for word in reference_words(line.reference)
                     if word in self.receipts_by_reference), None)

    def take(self, item) -> None:
        if isinstance(item, Payment):
            self.payments_by_reference.pop(item.end_to_end_id, None)
            self.by_amount[-item.amount].remove(item)
        else:
            self.receipts_by_reference.pop(item.reference, None)
            self.by_amount[item.amount_in_bank].remove(item)

    def give_back(self, item) -> None:
        if isinstance(item, Payment):
            self.payments_by_reference[item.end_to_end_id] = item
            self.by_amount.setdefault(-item.amount, []).append(item)
        else:
            self.receipts_by_reference[item.reference] = item
            self.by_amount.setdefault(item.amount_in_bank, []).append(item)


def reference_words(reference: str) -> list[str]:
    return [word for word in re.split(r"[\s/]+", reference) if word]


@dataclass
class MatchOutcome:
    matched: int = 0
    proposed: int = 0
    reversed: int = 0


def match_automatically(*, bank_account: BankAccount, lines: list[BankStatementLine], actor) -> MatchOutcome:
    """Match new lines and store them.

    A line is matched automatically only when its reference names an open payment (end-to-end id)
    or receipt of exactly its amount. A reference naming an item of another amount, or an amount
    that only one open item has, is a proposal for a person to confirm. A reversal (``RvslInd``)
    re-opens what it reverses: the original line's match is undone and the two lines net off.
    """
    now, outcome, items = timezone.now(), MatchOutcome(), OpenItems.of(bank_account)
    new_line_of: dict[tuple[str, int], BankStatementLine] = {}
    pending_reversals: list[tuple[BankStatementLine, BankStatementLine]] = []
    for line in lines:
        if line.is_reversal:
            original = reversed_line(line, bank_account=bank_account, new_line_of=new_line_of)
            if original is not None:
                item = original.payment or original.receipt
                original.payment = original.receipt = original.matched_by = original.matched_at = None
                original.is_auto_matched = False
                if original.pk:
                    original.save(update_fields=MATCH_FIELDS)
                    line.reverses = original
                else:
                    pending_reversals.append((line, original))
                items.give_back(item)
                outcome.reversed += 1
            continue
        item = items.by_reference(line)
        expected = item and (-item.amount if isinstance(item, Payment) else item.amount_in_bank)
        if item is not None and expected == line.amount:
            set_match(line, item)
            line.matched_by, line.matched_at, line.is_auto_matched = actor, now, True
            new_line_of[(type(item).__name__, item.pk)] = line
            items.take(item)
            outcome.matched += 1
            continue
        if item is None:
            alike = items.by_amount.get(line.amount, [])
            item = alike[0] if len(alike) == 1 else None
        if item is not None:
            line.proposed_payment = item if isinstance(item, Payment) else None
            line.proposed_receipt = item if isinstance(item, Receipt) else None
            outcome.proposed += 1
    BankStatementLine.objects.bulk_create(lines, batch_size=2000)
    for reversal, original in pending_reversals:
        reversal.reverses = original
    BankStatementLine.objects.bulk_update([reversal for reversal, _original in pending_reversals], ["reverses"])
    for reversal in (line for line in lines if line.reverses_id):
        record_audit_event(actor=actor, action="finance.bank_line.reversed", target=reversal.reverses,
                           changes={"reversal_line": reversal.pk, "amount": reversal.amount})
    return outcome


def set_match(line: BankStatementLine, item) -> None:
    line.payment = item if isinstance(item, Payment) else None
    line.receipt = item if isinstance(item, Receipt) else None


def reversed_line(line: BankStatementLine, *, bank_account, new_line_of) -> BankStatementLine | None:
    """The matched line a reversal undoes: the line matched to the payment (money back in) or
    receipt (money back out) its reference names, for the opposite amount; None if there is none."""
    if line.amount > 0:
        item = Payment.objects.filter(payment_run__bank_account=bank_account, end_to_end_id=line.reference).first()
    else:
        words = reference_words(line.reference)
        item = Receipt.objects.filter(bank_account=bank_account, reference__in=words).first() if words else None
    if item is None:
        return None
    original = new_line_of.pop((type(item).__name__, item.pk), None) or BankStatementLine.objects.filter(
        **{type(item).__name__.lower(): item}).select_for_update(no_key=True).first()
    if original is None or original.amount != -line.amount:
        return None
    return original


@transaction.atomic
def match_bank_line(*, actor, line_id: int, payment_id: int | None = None,
                    receipt_id: int | None = None) -> BankStatementLine:
    """Match a statement line the automatic pass left open (confirming a proposal, or choosing
    another item) to a payment or a receipt of the same amount."""
    line = locked_line(line_id)
    require_permission(actor=actor, permission="finance.change_bankstatementline",
                       target=line.statement.bank_account.fund, action=_("match bank statement lines"))
    if line.is_matched or line.is_reconciled:
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
    expected = -item.amount if payment_id is not None else item.amount_in_bank
    if BankStatementLine.objects.filter(**{"payment" if payment_id else "receipt": item}).exists():
        raise BankLineAlreadyMatched()
    if line.amount != expected:
        raise MatchAmountDiffers(line_amount=line.amount, amount=expected)
    set_match(line, item)
    line.matched_by, line.matched_at, line.is_auto_matched = actor, timezone.now(), False
    line.save(update_fields=MATCH_FIELDS)
    record_audit_event(actor=actor, action="finance.bank_line.matched", target=line,
                       changes={"payment": payment_id, "receipt": receipt_id})
    return line


@transaction.atomic
def unmatch_bank_line(*, actor, line_id: int, reason: str) -> BankStatementLine:
    """Undo a line's match (automatic or manual), giving the reason; the item is open again."""
    line = locked_line(line_id)
    require_permission(actor=actor, permission="finance.change_bankstatementline",
                       target=line.statement.bank_account.fund, action=_("match bank statement lines"))
    if not reason.strip():
        raise ReasonRequired()
    if not line.is_matched:
        raise BankLineNotMatched()
    changes = {"payment": line.payment_id, "receipt": line.receipt_id, "was_automatic": line.is_auto_matched,
               "reason": reason.strip()}
    line.payment = line.receipt = line.matched_by = line.matched_at = None
    line.is_auto_matched = False
    line.save(update_fields=MATCH_FIELDS)
    record_audit_event(actor=actor, action="finance.bank_line.unmatched", target=line, changes=changes)
    return line


def locked_line(line_id: int) -> BankStatementLine:
    account_id = BankStatementLine.objects.filter(pk=line_id).values_list("statement__bank_account", flat=True).first()
    if account_id is None:
        raise InvalidInput({"line": [_("There is no such bank statement line.")]})
    BankAccount.objects.select_for_update(no_key=True).filter(pk=account_id).first()
    return BankStatementLine.objects.select_for_update(no_key=True, of=("self",)).select_related(
        "statement__bank_account").get(pk=line_id)
