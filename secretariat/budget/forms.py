from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class CommitFundsForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (USD)"), max_digits=19, decimal_places=2, min_value=Decimal("0.01"))
    source_reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class RedeployFundsForm(forms.Form):
    to_allotment = forms.TypedChoiceField(label=_("To object class"), coerce=int)
    amount = forms.DecimalField(label=_("Amount to redeploy (USD)"), max_digits=19, decimal_places=2,
                                min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_allotment"].choices = [(a.pk, a.get_object_of_expenditure_display()) for a in targets]


class ExpenditureForm(forms.Form):
    commitment = forms.TypedChoiceField(label=_("Commitment liquidated"), coerce=int, required=False, empty_value=None)
    amount = forms.DecimalField(label=_("Expenditure (USD)"), max_digits=19, decimal_places=2,
                                min_value=Decimal("0.01"))
    reference = forms.CharField(label=_("Ledger reference"), max_length=100, required=False)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [("", _("None: charge the allotment directly"))] + [
            (c.pk, f"{c.number} · {c.open_amount:,.2f}") for c in commitments]


class StatementForm(forms.Form):
    period_start_on = forms.DateField(label=_("Period starting"), widget=forms.DateInput(attrs={"type": "date"}))
    fund_code = forms.CharField(label=_("Fund"), max_length=20, required=False)
