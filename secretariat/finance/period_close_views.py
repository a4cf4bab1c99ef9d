"""The period-close checklist page: what is still open, per fund, before a month can close, and
the close itself — refused by the close service while blocking items remain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance import selectors
from secretariat.finance.forms import ReasonForm
from secretariat.finance.models import FiscalPeriod, Fund, PeriodStatus
from secretariat.finance.services import structure
from secretariat.finance.services.period_close import period_close_checklist


@login_required
def period_checklist(request, pk):
    period = get_object_or_404(FiscalPeriod, pk=pk)
    can_close = has_permission(actor=request.user, permission="finance.close_fiscalperiod")
    if not can_close and not has_permission(actor=request.user, permission="finance.view_ledger"):
        return refused(request, None)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure.close_fiscal_period(actor=request.user, period_id=period.pk, reason=form.cleaned_data["reason"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Fiscal period %(period)s is now closed.") % {"period": period.name})
            return redirect(f"{redirect('finance:period_list').url}?calendar={period.calendar}")
    # Whoever closes the period closes it for every fund on its calendar, so sees every fund.
    funds = Fund.objects.all() if can_close else selectors.accessible_funds(actor=request.user)
    rows = period_close_checklist(period=period, funds=funds)
    return render(request, "finance/period_checklist.html", {
        "period": period, "rows": rows, "form": form, "is_open": period.status == PeriodStatus.OPEN,
        "can_close": can_close, "blocking": sum(row.blocking_items for row in rows),
    }, status=409 if form.errors and request.method == "POST" else 200)
