"""Operational rates of exchange (list and entry) and the month-end revaluation run, through the
services the API uses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.core.access import has_permission, scoped
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance.forms import ExchangeRateForm, RevaluationForm
from secretariat.finance.models import ExchangeRate, FiscalPeriod, Fund, Revaluation
from secretariat.finance.services import revaluation, structure


@login_required
def exchange_rates(request):
    if not has_permission(actor=request.user, permission="finance.view_exchangerate"):
        return refused(request, None)
    can_enter = has_permission(actor=request.user, permission="finance.add_exchangerate")
    today = timezone.localdate()
    form = ExchangeRateForm(request.POST or None, initial={"year": today.year, "month": today.month})
    if request.method == "POST" and form.is_valid():
        try:
            rate = structure.set_exchange_rate(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Rate of %(currency)s for %(month)s set to %(rate)s per US dollar.") % {
                "currency": rate.currency, "month": f"{rate.month_on:%Y-%m}",
                "rate": f"{rate.units_per_usd.normalize():f}"})
            return redirect("finance:exchange_rates")
    currency = request.GET.get("currency", "").upper()
    rates = ExchangeRate.objects.order_by("-month_on", "currency")
    if currency:
        rates = rates.filter(currency=currency)
    return render(request, "finance/exchange_rates.html", {
        "rates": rates[:240], "form": form, "can_enter": can_enter, "currency": currency,
    }, status=400 if form.errors else 200)


@login_required
def revaluation_run(request):
    funds = scoped(Fund.objects.filter(is_active=True), actor=request.user, permission="finance.post_journalentry")
    period = FiscalPeriod.objects.filter(pk=request.GET.get("period") or None).first() if (
        request.GET.get("period", "").isdigit()) else None
    form = RevaluationForm(request.POST or None, funds=funds, initial={"period": period})
    if request.method == "POST" and form.is_valid():
        try:
            posted = revaluation.revalue_monetary_balances(actor=request.user, **form.cleaned_data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            if posted:
                messages.success(request, _("Revaluation posted as %(entry)s, reversed by %(reversal)s.") % {
                    "entry": posted[0].number, "reversal": posted[1].number})
            else:
                messages.info(request, _("Every balance is already carried at the closing rate: nothing to post."))
            return redirect("finance:revaluation")
    done = (Revaluation.objects.filter(fund__in=funds)
            .select_related("fund", "period", "journal_entry", "reversal_entry").order_by("-period__starts_on",
                                                                                          "fund__code"))
    return render(request, "finance/revaluation.html", {
        "form": form, "revaluations": done[:100], "can_run": funds.exists(),
    }, status=(409 if form.non_field_errors() else 400) if form.errors else 200)
