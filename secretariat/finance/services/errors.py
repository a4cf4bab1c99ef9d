"""Refusals of the finance services, each with a translatable message."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError
from secretariat.finance.models import InvalidTransition  # noqa: F401  (re-exported)

CENT = Decimal("0.01")


class FinanceRefusal(DomainError):
    """A refusal whose amounts are shown to the cent."""

    def __init__(self, **params):
        super().__init__(**{k: (v.quantize(CENT) if isinstance(v, Decimal) else v) for k, v in params.items()})


class UnbalancedEntry(FinanceRefusal):
    message = _("The entry does not balance in fund %(fund)s: debits %(debits)s USD, credits %(credits)s USD.")
    code = "unbalanced_entry"


class EmptyEntry(FinanceRefusal):
    message = _("A journal entry needs at least two lines.")
    code = "empty_entry"
    status = 400


class InvalidLine(FinanceRefusal):
    message = _("Line %(line)s: give either a debit or a credit, greater than zero.")
    code = "invalid_line"
    status = 400


class ObligationTooLong(FinanceRefusal):
    message = _("Line %(line)s: an obligation number has at most %(limit)s characters.")
    code = "obligation_too_long"
    status = 400


class PeriodNotOpen(FinanceRefusal):
    message = _("The fiscal period %(period)s is closed: nothing can be posted into it.")
    code = "period_not_open"


class NoFiscalPeriod(FinanceRefusal):
    message = _("There is no fiscal period for %(date)s on the %(calendar)s calendar.")
    code = "no_fiscal_period"


class AccountNotPostable(FinanceRefusal):
    message = _("Account %(account)s is inactive or does not accept postings.")
    code = "account_not_postable"


class FundNotUsable(FinanceRefusal):
    message = _("Fund %(fund)s is inactive or on another fiscal calendar than the entry.")
    code = "fund_not_usable"


class RateMissing(FinanceRefusal):
    message = _("There is no operational rate of exchange for %(currency)s in %(month)s.")
    code = "rate_missing"


class UnknownCurrency(FinanceRefusal):
    message = _("%(currency)s is not an ISO 4217 currency.")
    code = "unknown_currency"
    status = 400


class EntryNotInStatus(FinanceRefusal):
    message = _("Journal entry %(entry)s is %(status)s; this needs it to be %(expected)s.")
    code = "entry_not_in_status"


class PeriodAlreadyInStatus(FinanceRefusal):
    message = _("The fiscal period %(period)s is already %(status)s.")
    code = "period_already_in_status"


class ReasonRequired(FinanceRefusal):
    message = _("Give a reason.")
    code = "reason_required"
    status = 400


class FiscalYearExists(FinanceRefusal):
    message = _("Fiscal year %(year)s already exists on this calendar.")
    code = "fiscal_year_exists"


class PaymentExceedsInvoice(FinanceRefusal):
    message = _("The payment of %(amount)s %(currency)s exceeds the %(outstanding)s %(currency)s still due on invoice %(invoice)s.")
    code = "payment_exceeds_invoice"


class InvoiceCurrencyMismatch(FinanceRefusal):
    message = _("Invoice %(invoice)s is in %(invoice_currency)s but the bank account pays in %(currency)s.")
    code = "invoice_currency_mismatch"


class ReceiptOverApplied(FinanceRefusal):
    message = _("Applying %(amount)s USD exceeds the receipt's unapplied %(unapplied)s USD.")
    code = "receipt_over_applied"


class AssessmentOverCollected(FinanceRefusal):
    message = _("Applying %(amount)s USD exceeds the %(outstanding)s USD outstanding on assessment %(assessment)s.")
    code = "assessment_over_collected"


class SystemAccountMissing(FinanceRefusal):
    message = _("No account is set up as “%(role)s”.")
    code = "system_account_missing"


class NoScaleRate(FinanceRefusal):
    message = _("There is no scale of assessment for %(year)s.")
    code = "no_scale_rate"


class StatementAlreadyImported(FinanceRefusal):
    message = _("Statement %(statement)s was already imported for this bank account.")
    code = "statement_already_imported"


class StatementUnreadable(FinanceRefusal):
    message = _("The bank statement could not be read: %(reason)s")
    code = "statement_unreadable"
    status = 400


class BankLineAlreadyMatched(FinanceRefusal):
    message = _("This bank statement line is already matched.")
    code = "bank_line_already_matched"


class MatchAmountDiffers(FinanceRefusal):
    message = _("The bank line's amount %(line_amount)s does not equal the %(amount)s of the item matched.")
    code = "match_amount_differs"


class BankLineNotMatched(FinanceRefusal):
    message = _("This bank statement line is not matched.")
    code = "bank_line_not_matched"


class LineTooPrecise(FinanceRefusal):
    message = _("Line %(line)s: %(amount)s %(currency)s has more decimals than %(currency)s allows (%(places)s).")
    code = "amount_too_precise"
    status = 400


class RevaluationAlreadyPosted(FinanceRefusal):
    message = _("The revaluation of fund %(fund)s for %(period)s was already posted (%(entry)s); it is posted "
                "once per period.")
    code = "revaluation_already_posted"


class ReversalPeriodNotOpen(FinanceRefusal):
    message = _("The revaluation for %(period)s is reversed on %(on)s, but there is no open fiscal period that "
                "day; open it (or create the new fiscal year) first.")
    code = "reversal_period_not_open"
