"""Recording a contribution received from an assessed State, through the receivables service the
API uses: converted at the operational rate of the day, refusals shown on their fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core.access import scoped
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance.forms import ReceiptForm
from secretariat.finance.models import BankAccount, Fund
from secretariat.finance.services import receivables


@login_required
def receipt_create(request):
    funds = scoped(Fund.objects.filter(is_active=True), actor=request.user, permission="finance.add_receipt")
    if not funds.exists():
        return refused(request, None)
    form = ReceiptForm(request.POST or None, funds=funds, bank_accounts=BankAccount.objects.filter(fund__in=funds),
                       initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = receivables.record_receipt(actor=request.user, **data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Receipt %(reference)s recorded: %(usd)s USD credited to %(payer)s.") % {
                "reference": receipt.reference, "usd": f"{receipt.amount:,.2f}", "payer": receipt.member_state})
            return redirect("finance:member_state_statement", alpha3=receipt.member_state.alpha3)
    return render(request, "finance/receipt_form.html", {"form": form}, status=400 if form.errors else 200)
