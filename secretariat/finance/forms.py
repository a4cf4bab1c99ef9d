from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.core.models import Country, OrgUnit
from secretariat.finance.models import (
    Account,
    BankAccount,
    FiscalPeriod,
    Fund,
    Journal,
    JournalLine,
    Vendor,
    VendorInvoice,
)
from secretariat.finance.services.journal import LineInput

LINES_ON_FORM = 4


class DateInput(forms.DateInput):
    input_type = "date"


class JournalEntryForm(forms.Form):
    journal = forms.ModelChoiceField(label=_("Journal"), queryset=Journal.objects.all(), initial=None)
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    entry_on = forms.DateField(label=_("Accounting date"), widget=DateInput)
    description = forms.CharField(label=_("Description"), max_length=300)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["journal"].initial = Journal.objects.filter(code="GJ").first()


class JournalLineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.filter(
        is_postable=True, is_active=True), required=False)
    # The cost centre and the obligation let an expense line charge an allotment and liquidate
    # one of its commitments (budget, ADR 0053).
    cost_centre = forms.ModelChoiceField(label=_("Cost centre"), queryset=OrgUnit.objects.filter(
        is_active=True).order_by("code"), required=False)
    debit_amount = forms.DecimalField(label=_("Debit"), max_digits=19, decimal_places=4, required=False,
                                      min_value=Decimal("0"))
    credit_amount = forms.DecimalField(label=_("Credit"), max_digits=19, decimal_places=4, required=False,
                                       min_value=Decimal("0"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)
    obligation = forms.CharField(label=_("Obligation"), required=False,
                                 max_length=JournalLine._meta.get_field("obligation").max_length)

    def number(self, n: int) -> None:
        """Labels that say which line a control belongs to, for screen readers and people alike."""
        for name, label in (("account", _("Account")), ("cost_centre", _("Cost centre")),
                            ("debit_amount", _("Debit")), ("credit_amount", _("Credit")),
                            ("currency", _("Currency")), ("obligation", _("Obligation"))):
            self.fields[name].label = _("%(field)s, line %(number)s") % {"field": label, "number": n}

    def line_input(self) -> LineInput:
        """The line as the services take it; account 0 when none was chosen (the view refuses it)."""
        data = self.cleaned_data
        return LineInput(account_id=data["account"].pk if data.get("account") else 0,
                         cost_centre_id=data["cost_centre"].pk if data.get("cost_centre") else None,
                         debit_amount=data.get("debit_amount") or 0, credit_amount=data.get("credit_amount") or 0,
                         currency=(data.get("currency") or "USD").upper(), obligation=data.get("obligation") or "")

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("account", "cost_centre", "debit_amount", "credit_amount",
                                                   "obligation"))


JournalLineFormSet = forms.formset_factory(JournalLineForm, extra=LINES_ON_FORM, max_num=20)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReversalForm(ReasonForm):
    reversal_on = forms.DateField(label=_("Reversal date"), widget=DateInput)


class ReportForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Fiscal period"), queryset=FiscalPeriod.objects.order_by(
        "calendar", "-starts_on"))
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), required=False,
                                  empty_label=_("All funds (consolidated)"))

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class VendorInvoiceForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.filter(is_active=True))
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    expense_account = forms.ModelChoiceField(label=_("Expense account"), queryset=Account.objects.filter(
        account_type="expense", is_postable=True, is_active=True))
    invoice_number = forms.CharField(label=_("Vendor's invoice number"), max_length=50)
    invoice_on = forms.DateField(label=_("Invoice date"), widget=DateInput)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    amount = forms.DecimalField(label=_("Amount"), max_digits=19, decimal_places=4, min_value=Decimal("0"))
    obligation = forms.CharField(label=_("Obligation"), required=False,
                                 max_length=JournalLine._meta.get_field("obligation").max_length)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class PaymentRunForm(forms.Form):
    bank_account = forms.ModelChoiceField(label=_("Pay from bank account"), queryset=BankAccount.objects.none())
    payment_on = forms.DateField(label=_("Payment date"), widget=DateInput)
    reference = forms.CharField(label=_("Reference"), max_length=35)
    invoices = forms.ModelMultipleChoiceField(label=_("Invoices to pay in full"), queryset=VendorInvoice.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, bank_accounts, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = bank_accounts
        self.fields["invoices"].queryset = invoices
        self.fields["invoices"].label_from_instance = lambda invoice: (
            f"{invoice} — {invoice.outstanding_amount.normalize():f} {invoice.currency}, {invoice.due_on}")


class StatementImportForm(forms.Form):
    bank_account = forms.ModelChoiceField(label=_("Bank account"), queryset=BankAccount.objects.none())
    source_format = forms.ChoiceField(label=_("Format"), choices=[
        ("camt053", _("camt.053 statement")), ("camt054", _("camt.054 notification")), ("csv", _("CSV"))])
    file = forms.FileField(label=_("Statement file"))
    statement_id = forms.CharField(label=_("Statement identifier (CSV only)"), max_length=35, required=False)
    opening_balance = forms.DecimalField(label=_("Opening balance (CSV only)"), max_digits=19, decimal_places=4,
                                         required=False)

    def __init__(self, *args, bank_accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = bank_accounts


class ExchangeRateForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    units_per_usd = forms.DecimalField(label=_("Units per US dollar"), max_digits=19, decimal_places=6)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class RevaluationForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    period = forms.ModelChoiceField(label=_("Fiscal period"), queryset=FiscalPeriod.objects.order_by(
        "calendar", "-starts_on"))

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


class VendorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("As the vendor writes it, in any script."))
    latin_name = forms.CharField(label=_("Name in Latin characters"), max_length=140, required=False,
                                 help_text=_("Sent instead of the name to banks that accept Latin characters only."))
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("alpha2"))
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(label=_("BIC"), max_length=20)


class ReceiptForm(forms.Form):
    member_state = forms.ModelChoiceField(label=_("Paid by"), queryset=Country.objects.order_by("alpha3"),
                                          help_text=_("A Member State, or a non-member State that is assessed."))
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    bank_account = forms.ModelChoiceField(label=_("Received into bank account"), queryset=BankAccount.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    reference = forms.CharField(label=_("Reference"), max_length=50)
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=19, decimal_places=4)
    currency = forms.CharField(label=_("Currency paid"), max_length=3, required=False,
                               help_text=_("Leave empty when paid in the bank account's currency."))
    bank_amount = forms.DecimalField(label=_("Amount credited by the bank (account currency)"), max_digits=19,
                                     decimal_places=4, required=False,
                                     help_text=_("Only when the bank converted the payment."))

    def __init__(self, *args, funds, bank_accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["bank_account"].queryset = bank_accounts

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()
