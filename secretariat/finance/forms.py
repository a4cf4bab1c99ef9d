from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.finance.models import Account, FiscalPeriod, Fund, Journal

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
    debit_amount = forms.DecimalField(label=_("Debit"), max_digits=19, decimal_places=4, required=False,
                                      min_value=Decimal("0"))
    credit_amount = forms.DecimalField(label=_("Credit"), max_digits=19, decimal_places=4, required=False,
                                       min_value=Decimal("0"))
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)

    def number(self, n: int) -> None:
        """Labels that say which line a control belongs to, for screen readers and people alike."""
        for name, label in (("account", _("Account")), ("debit_amount", _("Debit")),
                            ("credit_amount", _("Credit")), ("currency", _("Currency"))):
            self.fields[name].label = _("%(field)s, line %(number)s") % {"field": label, "number": n}

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not data.get("account") and not data.get("debit_amount") and not data.get("credit_amount")


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
