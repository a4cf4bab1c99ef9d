"""The IPSAS general ledger and its sub-ledgers.

Structure (accounts, funds, analytic codes, fiscal periods per fund calendar, exchange rates),
the journal (entries, lines, gapless numbering, maintained period balances), payables (vendors,
invoices, payment runs, payments), receivables (scale of assessment, assessments, receipts and
their applications, other receivables) and the bank (accounts, imported statements, matches).

Invariants the database holds itself (ADR 0010): every posted entry balances in USD per fund,
posted entries and their lines are immutable, amounts are non-negative, states are valid.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError
from secretariat.core.models.translated import TranslatedNameMixin

ZERO = Decimal("0")
CENT = Decimal("0.01")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=19, decimal_places=4, **kwargs)


def obligation_field() -> models.CharField:
    """The number of the obligating document (e.g. a budget commitment, CMT-0000042) that an
    expense liquidates. Finance keeps it as given and never interprets it; the app that owns the
    number acts on it when the entry is posted (posting listeners, ADR 0053). The database default
    keeps raw inserts that do not know the column (interfaces, the ledger benchmark) working."""
    return models.CharField(_("obligation"), max_length=50, blank=True, default="", db_default="",
                            help_text=_("Number of the obligation (commitment) this expense liquidates."))


class InvalidTransition(DomainError):
    message = _("A %(record)s cannot go from “%(current)s” to “%(requested)s”.")
    code = "invalid_transition"


class StateMachine(models.Model):
    """``transition_to`` is the only way a status changes; allowed moves in ``ALLOWED_TRANSITIONS``."""

    ALLOWED_TRANSITIONS: dict = {}

    class Meta:
        abstract = True

    def transition_to(self, new_status: str) -> None:
        if new_status not in self.ALLOWED_TRANSITIONS.get(self.status, set()):
            labels = dict(self._meta.get_field("status").choices)
            raise InvalidTransition(record=self._meta.verbose_name, current=labels.get(self.status, self.status),
                                    requested=labels.get(new_status, new_status))
        self.status = new_status


# --- Structure ---------------------------------------------------------------------------------


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    NET_ASSETS = "net_assets", _("Net assets")
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


DEBIT_NORMAL = {AccountType.ASSET, AccountType.EXPENSE}


class StatementLine(models.TextChoices):
    """Where an account is shown in the IPSAS financial statements."""

    # Statement of financial position: assets
    CASH = "cash", _("Cash and cash equivalents")
    INVESTMENTS = "investments", _("Investments")
    ASSESSED_CONTRIBUTIONS_RECEIVABLE = "assessed_receivable", _("Assessed contributions receivable")
    OTHER_RECEIVABLES = "other_receivables", _("Other receivables")
    ADVANCES = "advances", _("Advances")
    INVENTORIES = "inventories", _("Inventories")
    PROPERTY_PLANT_EQUIPMENT = "ppe", _("Property, plant and equipment")
    # liabilities
    PAYABLES = "payables", _("Accounts payable and accrued liabilities")
    ADVANCE_RECEIPTS = "advance_receipts", _("Advance receipts")
    EMPLOYEE_BENEFITS = "employee_benefits", _("Employee benefits liabilities")
    OTHER_LIABILITIES = "other_liabilities", _("Other liabilities")
    # net assets
    ACCUMULATED_SURPLUS = "accumulated_surplus", _("Accumulated surpluses/(deficits)")
    RESERVES = "reserves", _("Reserves")
    # Statement of financial performance: revenue
    ASSESSED_CONTRIBUTIONS = "assessed_contributions", _("Assessed contributions")
    VOLUNTARY_CONTRIBUTIONS = "voluntary_contributions", _("Voluntary contributions")
    OTHER_REVENUE = "other_revenue", _("Other revenue")
    # expenses
    EMPLOYEE_SALARIES = "salaries", _("Employee salaries, allowances and benefits")
    GRANTS = "grants", _("Grants and other transfers")
    SUPPLIES = "supplies", _("Supplies and consumables")
    TRAVEL = "travel", _("Travel")
    DEPRECIATION = "depreciation", _("Depreciation and amortization")
    OTHER_EXPENSES = "other_expenses", _("Other operating expenses")
    EXCHANGE_DIFFERENCES = "exchange_differences", _("Net exchange (gains)/losses")


ASSET_LINES = [StatementLine.CASH, StatementLine.INVESTMENTS, StatementLine.ASSESSED_CONTRIBUTIONS_RECEIVABLE,
               StatementLine.OTHER_RECEIVABLES, StatementLine.ADVANCES, StatementLine.INVENTORIES,
               StatementLine.PROPERTY_PLANT_EQUIPMENT]
LIABILITY_LINES = [StatementLine.PAYABLES, StatementLine.ADVANCE_RECEIPTS, StatementLine.EMPLOYEE_BENEFITS,
                   StatementLine.OTHER_LIABILITIES]
NET_ASSET_LINES = [StatementLine.ACCUMULATED_SURPLUS, StatementLine.RESERVES]
REVENUE_LINES = [StatementLine.ASSESSED_CONTRIBUTIONS, StatementLine.VOLUNTARY_CONTRIBUTIONS,
                 StatementLine.OTHER_REVENUE]
EXPENSE_LINES = [StatementLine.EMPLOYEE_SALARIES, StatementLine.GRANTS, StatementLine.SUPPLIES,
                 StatementLine.TRAVEL, StatementLine.DEPRECIATION, StatementLine.OTHER_EXPENSES,
                 StatementLine.EXCHANGE_DIFFERENCES]
STATEMENT_LINES_BY_TYPE = {
    AccountType.ASSET: ASSET_LINES, AccountType.LIABILITY: LIABILITY_LINES,
    AccountType.NET_ASSETS: NET_ASSET_LINES, AccountType.REVENUE: REVENUE_LINES,
    AccountType.EXPENSE: EXPENSE_LINES + [StatementLine.EXCHANGE_DIFFERENCES],
}


class SystemAccount(models.TextChoices):
    """Accounts the sub-ledgers post to automatically (at most one account each)."""

    PAYABLES = "payables", _("Accounts payable")
    ASSESSED_RECEIVABLE = "assessed_receivable", _("Assessed contributions receivable")
    ASSESSED_REVENUE = "assessed_revenue", _("Assessed contributions revenue")
    ADVANCE_RECEIPTS = "advance_receipts", _("Contributions received in advance")
    OTHER_RECEIVABLES = "other_receivables", _("Other receivables")
    EXCHANGE_GAINS_LOSSES = "exchange_gains_losses", _("Exchange gains and losses")
    ACCUMULATED_SURPLUS = "accumulated_surplus", _("Accumulated surplus")


class Account(TranslatedNameMixin):
    """An account of the chart; posting accounts are leaves, headers group them."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent account"))
    account_type = models.CharField(_("type"), max_length=12, choices=AccountType.choices)
    statement_line = models.CharField(_("IPSAS statement line"), max_length=30, choices=StatementLine.choices,
                                      blank=True)
    is_postable = models.BooleanField(_("accepts postings"), default=True)
    is_monetary = models.BooleanField(_("monetary item (revalued at period end)"), default=False)
    system_role = models.CharField(_("system role"), max_length=30, choices=SystemAccount.choices, null=True,
                                   blank=True, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(condition=Q(account_type__in=AccountType.values), name="finance_account_type_valid"),
            models.CheckConstraint(condition=~Q(is_postable=True, statement_line=""),
                                   name="finance_postable_account_has_statement_line"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"


class FundKind(models.TextChoices):
    REGULAR_BUDGET = "regular_budget", _("Regular budget")
    PEACEKEEPING = "peacekeeping", _("Peacekeeping mission special account")
    SUPPORT_ACCOUNT = "support_account", _("Support account for peacekeeping operations")
    TRUST_FUND = "trust_fund", _("Trust fund")
    SPECIAL_ACCOUNT = "special_account", _("Multi-year special account")


class FiscalCalendar(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", _("Calendar year (January–December)")
    JULY_JUNE = "july_june", _("Peacekeeping financial period (July–June)")


CALENDAR_START_MONTH = {FiscalCalendar.CALENDAR_YEAR: 1, FiscalCalendar.JULY_JUNE: 7}


class Fund(TranslatedNameMixin):
    """A fund with its own self-balancing set of accounts; also a scope for roles and delegations."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FundKind.choices)
    calendar = models.CharField(_("fiscal calendar"), max_length=20, choices=FiscalCalendar.choices,
                                default=FiscalCalendar.CALENDAR_YEAR)
    entity = models.ForeignKey("core.Entity", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="funds", verbose_name=_("entity"))
    is_active = models.BooleanField(_("active"), default=True)

    scope_paths = {"fund": "", "entity": "entity"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FundKind.values), name="finance_fund_kind_valid"),
            models.CheckConstraint(condition=Q(calendar__in=FiscalCalendar.values), name="finance_fund_calendar_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"


class AnalyticKind(models.TextChoices):
    PROJECT = "project", _("Project")
    GRANT = "grant", _("Grant")


class AnalyticCode(TranslatedNameMixin):
    """A project or grant that lines may be tagged with (cost centres are org units)."""

    kind = models.CharField(_("kind"), max_length=10, choices=AnalyticKind.choices)
    code = models.CharField(_("code"), max_length=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("analytic code")
        verbose_name_plural = _("analytic codes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="finance_analytic_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=AnalyticKind.values), name="finance_analytic_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FiscalPeriod(StateMachine):
    """A month of a fiscal year of one calendar; closing it closes it for every fund on that calendar."""

    ALLOWED_TRANSITIONS = {PeriodStatus.OPEN: {PeriodStatus.CLOSED}, PeriodStatus.CLOSED: {PeriodStatus.OPEN}}

    calendar = models.CharField(_("fiscal calendar"), max_length=20, choices=FiscalCalendar.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("period"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)

    class Meta:
        ordering = ["calendar", "starts_on"]
        verbose_name = _("fiscal period")
        verbose_name_plural = _("fiscal periods")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "fiscal_year", "number"], name="finance_period_unique"),
            models.UniqueConstraint(fields=["calendar", "starts_on"], name="finance_period_start_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=12), name="finance_period_number_range"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="finance_period_dates_ordered"),
            models.CheckConstraint(condition=Q(status__in=PeriodStatus.values), name="finance_period_status_valid"),
        ]

    @property
    def name(self) -> str:
        return f"{self.fiscal_year}-{self.number:02d}"

    def __str__(self) -> str:
        return f"{self.get_calendar_display()} {self.name}"


class ExchangeRate(models.Model):
    """A UN operational rate of exchange: units of ``currency`` per US dollar for a month."""

    currency = models.CharField(_("currency"), max_length=3)
    month_on = models.DateField(_("month"), help_text=_("First day of the month the rate applies to."))
    units_per_usd = models.DecimalField(_("units per US dollar"), max_digits=19, decimal_places=6)

    class Meta:
        ordering = ["currency", "-month_on"]
        verbose_name = _("operational rate of exchange")
        verbose_name_plural = _("operational rates of exchange")
        constraints = [
            models.UniqueConstraint(fields=["currency", "month_on"], name="finance_rate_unique_per_month"),
            models.CheckConstraint(condition=Q(units_per_usd__gt=0), name="finance_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.month_on:%Y-%m} {self.units_per_usd}"


# --- Journal -----------------------------------------------------------------------------------


class Journal(TranslatedNameMixin):
    """A book of entries with its own gapless numbering per fiscal year (general, payables, …)."""

    code = models.CharField(_("code"), max_length=10, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("journal")
        verbose_name_plural = _("journals")


class NumberSequence(models.Model):
    """The last number used in a journal and fiscal year; locked while the next is taken."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="sequences")
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["journal", "fiscal_year"], name="finance_sequence_unique")]


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CERTIFIED = "certified", _("Certified")
    APPROVED = "approved", _("Approved")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


LEDGER_STATUSES = [EntryStatus.POSTED, EntryStatus.REVERSED]


class JournalEntry(StateMachine):
    ALLOWED_TRANSITIONS = {
        EntryStatus.DRAFT: {EntryStatus.SUBMITTED, EntryStatus.POSTED},
        EntryStatus.SUBMITTED: {EntryStatus.CERTIFIED, EntryStatus.DRAFT},
        EntryStatus.CERTIFIED: {EntryStatus.APPROVED, EntryStatus.DRAFT},
        EntryStatus.APPROVED: {EntryStatus.POSTED},
        EntryStatus.POSTED: {EntryStatus.REVERSED},
    }

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries", verbose_name=_("journal"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="journal_entries", verbose_name=_("fund"))
    period = models.ForeignKey(FiscalPeriod, on_delete=models.PROTECT, related_name="journal_entries",
                               verbose_name=_("fiscal period"))
    entry_on = models.DateField(_("accounting date"))
    description = models.CharField(_("description"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), null=True, blank=True)
    sequence_number = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    total_usd = money_field(_("total debits (USD)"), default=ZERO)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("certified by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("posted by"))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    scope_paths = {"fund": "fund", "entity": "fund__entity"}

    class Meta:
        ordering = ["-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="finance_entry_status_valid"),
            models.UniqueConstraint(fields=["journal", "fiscal_year", "sequence_number"],
                                    name="finance_entry_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=LEDGER_STATUSES, sequence_number__isnull=False, fiscal_year__isnull=False)
                | (~Q(status__in=LEDGER_STATUSES) & Q(sequence_number__isnull=True)),
                name="finance_entry_numbered_when_posted",
            ),
        ]
        permissions = [
            ("submit_journalentry", "Can submit journal entries"),
            ("certify_journalentry", "Can certify journal entries"),
            ("approve_journalentry", "Can approve journal entries"),
            ("post_journalentry", "Can post journal entries"),
            ("close_fiscalperiod", "Can close and reopen fiscal periods"),
            ("view_ledger", "Can view the ledger and financial statements"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft %(id)s") % {"id": self.pk})


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="journal_lines", verbose_name=_("fund"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="journal_lines",
                                verbose_name=_("account"))
    cost_centre = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="journal_lines", verbose_name=_("cost centre"))
    project = models.ForeignKey(AnalyticCode, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="project_lines", verbose_name=_("project"))
    grant = models.ForeignKey(AnalyticCode, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="grant_lines", verbose_name=_("grant"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    obligation = obligation_field()
    currency = models.CharField(_("currency"), max_length=3)
    debit_amount = money_field(_("debit"), default=ZERO)
    credit_amount = money_field(_("credit"), default=ZERO)
    exchange_rate = models.DecimalField(_("units per US dollar"), max_digits=19, decimal_places=6)
    debit_usd = money_field(_("debit (USD)"), default=ZERO)
    credit_usd = money_field(_("credit (USD)"), default=ZERO)

    scope_paths = {"fund": "fund", "entity": "fund__entity"}

    class Meta:
        ordering = ["id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(debit_amount__gt=0, credit_amount=0) | Q(debit_amount=0, credit_amount__gt=0),
                name="finance_line_exactly_one_side_positive",
            ),
            models.CheckConstraint(condition=Q(debit_usd__gte=0, credit_usd__gte=0), name="finance_line_usd_not_negative"),
            models.CheckConstraint(condition=Q(exchange_rate__gt=0), name="finance_line_rate_positive"),
        ]
        indexes = [
            models.Index(fields=["account", "fund"], name="finance_line_account_fund"),
            models.Index(fields=["cost_centre", "account"], name="finance_line_cost_centre"),
            # Few lines name an obligation: a partial index finds them without indexing the rest.
            models.Index(fields=["obligation"], name="finance_line_obligation", condition=~Q(obligation="")),
        ]


class PeriodBalance(models.Model):
    """Posted USD movements per period, fund and account; kept by the posting service so that
    statements read thousands of rows instead of millions of lines (ADR 0011)."""

    period = models.ForeignKey(FiscalPeriod, on_delete=models.PROTECT, related_name="balances")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="period_balances")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="period_balances")
    debit_usd = money_field(_("debits (USD)"), default=ZERO)
    credit_usd = money_field(_("credits (USD)"), default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "fund", "account"], name="finance_period_balance_unique"),
        ]


class PeriodEvent(models.Model):
    """Closing and reopening history of a period, with the officer's reason."""

    period = models.ForeignKey(FiscalPeriod, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("new status"), max_length=10, choices=PeriodStatus.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]


# --- Payables ----------------------------------------------------------------------------------


class Vendor(TranslatedNameMixin):
    """A supplier of goods or services (or any payee); shared with procurement."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="vendors",
                                verbose_name=_("country"))
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    latin_name = models.CharField(
        _("name in Latin characters"), max_length=140, blank=True,
        help_text=_("Sent instead of the name to banks that accept Latin characters only."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        constraints = [
            models.CheckConstraint(condition=Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$"),
                                   name="finance_vendor_iban_format"),
            models.CheckConstraint(condition=Q(bic__regex=r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$"),
                                   name="finance_vendor_bic_format"),
        ]


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")


class VendorInvoice(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("vendor"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="vendor_invoices", verbose_name=_("fund"))
    expense_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="vendor_invoices",
                                        verbose_name=_("expense account"))
    cost_centre = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="vendor_invoices", verbose_name=_("cost centre"))
    obligation = obligation_field()
    invoice_number = models.CharField(_("vendor's invoice number"), max_length=50)
    invoice_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3)
    amount = money_field(_("amount"))
    exchange_rate = models.DecimalField(_("units per US dollar when recorded"), max_digits=19, decimal_places=6,
                                        default=Decimal("1"))
    paid_amount = money_field(_("amount paid"), default=ZERO)
    status = models.CharField(_("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    scope_paths = {"fund": "fund", "entity": "fund__entity"}

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("vendor invoice")
        verbose_name_plural = _("vendor invoices")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "invoice_number"], name="finance_invoice_unique_per_vendor"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_invoice_amount_positive"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0, paid_amount__lte=F("amount")),
                                   name="finance_invoice_not_overpaid"),
            models.CheckConstraint(condition=Q(due_on__gte=F("invoice_on")), name="finance_invoice_due_after_date"),
            models.CheckConstraint(condition=Q(status__in=InvoiceStatus.values), name="finance_invoice_status_valid"),
        ]

    @property
    def outstanding_amount(self) -> Decimal:
        return self.amount - self.paid_amount

    def __str__(self) -> str:
        return f"{self.vendor.code} {self.invoice_number}"


class BankAccount(models.Model):
    """An account of the Organization at a bank, in one currency, booked to a cash ledger account."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="bank_accounts", verbose_name=_("fund"))
    currency = models.CharField(_("currency"), max_length=3)
    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    other_identifier = models.CharField(
        _("other account identifier"), max_length=34, blank=True,
        help_text=_("How the bank identifies the account in its statements when it gives no IBAN."))
    bic = models.CharField(_("BIC"), max_length=11)
    ledger_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="bank_accounts",
                                       verbose_name=_("ledger account"))
    latin_characters_only = models.BooleanField(
        _("bank accepts Latin characters only"), default=False,
        help_text=_("Payment files then carry each payee's name in Latin characters."))

    scope_paths = {"fund": "fund"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return f"{self.code} ({self.currency})"


class PaymentRun(models.Model):
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="payment_runs")
    payment_on = models.DateField(_("payment date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")

    def __str__(self) -> str:
        return self.reference


class Payment(models.Model):
    payment_run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(VendorInvoice, on_delete=models.PROTECT, related_name="payments")
    end_to_end_id = models.CharField(_("end-to-end reference"), max_length=35, unique=True)
    currency = models.CharField(_("currency"), max_length=3)
    amount = money_field(_("amount"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_payment_amount_positive")]


# --- Receivables -------------------------------------------------------------------------------


class AssessmentRate(models.Model):
    """A Member State's rate in the scale of assessment for a range of years (percent)."""

    member_state = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="assessment_rates",
                                     verbose_name=_("Member State"))
    from_year = models.PositiveSmallIntegerField(_("from year"))
    to_year = models.PositiveSmallIntegerField(_("to year"))
    rate_percent = models.DecimalField(_("rate (percent)"), max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["-from_year", "member_state__alpha3"]
        constraints = [
            models.UniqueConstraint(fields=["member_state", "from_year"], name="finance_scale_unique"),
            models.CheckConstraint(condition=Q(to_year__gte=F("from_year")), name="finance_scale_years_ordered"),
            models.CheckConstraint(condition=Q(rate_percent__gte=0, rate_percent__lte=100),
                                   name="finance_scale_rate_range"),
        ]


class Assessment(models.Model):
    """An amount assessed on a Member State for a fund, issued with a journal entry."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("fund"))
    member_state = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="assessments",
                                     verbose_name=_("Member State"))
    reference = models.CharField(_("reference"), max_length=50)
    assessed_on = models.DateField(_("assessed on"))
    due_on = models.DateField(_("due on"))
    amount = money_field(_("amount assessed (USD)"))
    collected_amount = money_field(_("amount collected (USD)"), default=ZERO)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    scope_paths = {"fund": "fund"}

    class Meta:
        ordering = ["assessed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "member_state", "reference"], name="finance_assessment_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_assessment_amount_positive"),
            models.CheckConstraint(condition=Q(collected_amount__gte=0, collected_amount__lte=F("amount")),
                                   name="finance_assessment_not_overcollected"),
        ]

    @property
    def outstanding_amount(self) -> Decimal:
        return self.amount - self.collected_amount


class Receipt(models.Model):
    """Money received from an assessed State into a bank account: paid in ``currency``, credited
    to the State in USD at the operational rate of the day (``amount``)."""

    member_state = models.ForeignKey("core.Country", on_delete=models.PROTECT, related_name="receipts",
                                     verbose_name=_("Member State"))
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="receipts")
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=50)
    currency = models.CharField(_("currency paid"), max_length=3, default="USD")
    received_amount = money_field(_("amount paid"), null=True, blank=True)
    bank_amount = money_field(_("amount credited by the bank (account currency)"), null=True, blank=True)
    amount = money_field(_("amount (USD)"))
    applied_amount = money_field(_("amount applied (USD)"), default=ZERO)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_receipt_amount_positive"),
            models.CheckConstraint(condition=Q(applied_amount__gte=0, applied_amount__lte=F("amount")),
                                   name="finance_receipt_not_overapplied"),
        ]

    @property
    def unapplied_amount(self) -> Decimal:
        return self.amount - self.applied_amount

    @property
    def amount_in_bank(self) -> Decimal:
        """What the bank statement shows for this receipt (receipts before currencies: the USD amount)."""
        return self.amount if self.bank_amount is None else self.bank_amount


class ReceiptApplication(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="applications")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="applications")
    amount = money_field(_("amount (USD)"))
    applied_on = models.DateField(_("applied on"))
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="finance_application_amount_positive")]


class ReceivableKind(models.TextChoices):
    STAFF_ADVANCE = "staff_advance", _("Staff advance")
    RECOVERY = "recovery", _("Recovery")
    OTHER = "other", _("Other receivable")


class OtherReceivable(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ReceivableKind.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="other_receivables")
    debtor = models.CharField(_("debtor"), max_length=200)
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="receivables")
    description = models.CharField(_("description"), max_length=300)
    raised_on = models.DateField(_("raised on"))
    amount = money_field(_("amount (USD)"))
    recovered_amount = money_field(_("amount recovered (USD)"), default=ZERO)
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReceivableKind.values), name="finance_receivable_kind_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_receivable_amount_positive"),
            models.CheckConstraint(condition=Q(recovered_amount__gte=0, recovered_amount__lte=F("amount")),
                                   name="finance_receivable_not_overrecovered"),
        ]


class Revaluation(models.Model):
    """The revaluation of a fund's monetary balances for a period: posted once, with its reversal
    on the first day of the following period."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="revaluations")
    period = models.ForeignKey(FiscalPeriod, on_delete=models.PROTECT, related_name="revaluations")
    journal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    reversal_entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "period"], name="finance_revaluation_once")]


# --- Bank --------------------------------------------------------------------------------------


class BankStatement(models.Model):
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements")
    statement_id = models.CharField(_("statement identifier"), max_length=35)
    statement_on = models.DateField(_("statement date"))
    # A camt.054 notification carries no balances.
    opening_balance = money_field(_("opening balance"), null=True, blank=True)
    closing_balance = money_field(_("closing balance"), null=True, blank=True)
    source_format = models.CharField(_("format"), max_length=10)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-statement_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bank_account", "statement_id"], name="finance_statement_unique"),
        ]


class BankStatementLine(models.Model):
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    booked_on = models.DateField(_("booking date"))
    amount = money_field(_("amount"), help_text=_("Positive for credits (money in), negative for debits."))
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=140, blank=True)
    # The bank's reference of the entry: the transactions of one batch entry share it.
    entry_reference = models.CharField(_("bank's entry reference"), max_length=35, blank=True)
    is_reversal = models.BooleanField(_("reversal"), default=False)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by", verbose_name=_("reverses"))
    # Suggestions for a person to confirm: a reference that matched with another amount, or an
    # amount alone.
    proposed_payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    proposed_receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="bank_line")
    receipt = models.OneToOneField(Receipt, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="bank_line")
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    matched_at = models.DateTimeField(null=True, blank=True)
    is_auto_matched = models.BooleanField(default=False)

    class Meta:
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="finance_bank_line_amount_not_zero"),
            models.CheckConstraint(condition=Q(payment__isnull=True) | Q(receipt__isnull=True),
                                   name="finance_bank_line_one_match"),
        ]

    @property
    def is_matched(self) -> bool:
        return self.payment_id is not None or self.receipt_id is not None

    @property
    def is_reconciled(self) -> bool:
        """Matched, or a reversal netting its original (the pair needs no further matching)."""
        return self.is_matched or self.reverses_id is not None or hasattr(self, "reversed_by")
