"""Vendors in the browser: list, detail (bank details in full for the finance roles that record
or pay vendors, masked for everyone else, as in the API), and create or correct one through the
payables services; an IBAN or BIC the services refuse is shown on its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from secretariat.core.access import has_permission
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance import selectors
from secretariat.finance.forms import VendorForm
from secretariat.finance.models import Vendor
from secretariat.finance.services import payables


def with_bank_details(request, vendors):
    shown = selectors.may_see_vendor_bank_details(actor=request.user)
    return [(vendor, selectors.vendor_bank_details(vendor=vendor, shown=shown)) for vendor in vendors]


@login_required
def vendor_list(request):
    vendors = Vendor.objects.select_related("country").order_by("code")
    search = request.GET.get("q", "").strip()
    if search:
        vendors = vendors.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return render(request, "finance/vendor_list.html", {
        "rows": with_bank_details(request, vendors[:200]), "search": search,
        "can_add": has_permission(actor=request.user, permission="finance.add_vendor")})


@login_required
def vendor_detail(request, pk):
    vendor = get_object_or_404(Vendor.objects.select_related("country"), pk=pk)
    [(_vendor, details)] = with_bank_details(request, [vendor])
    return render(request, "finance/vendor_detail.html", {
        "vendor": vendor, "details": details, "invoices": vendor.invoices.select_related("fund").order_by(
            "-invoice_on", "-id")[:50] if has_permission(actor=request.user, permission="finance.view_vendorinvoice")
        else None, "can_change": has_permission(actor=request.user, permission="finance.add_vendor")})


@login_required
def vendor_form(request, pk=None):
    vendor = get_object_or_404(Vendor, pk=pk) if pk else None
    initial = {field: getattr(vendor, field) for field in ("code", "name", "latin_name", "country", "iban", "bic")
               } if vendor else {}
    form = VendorForm(request.POST or None, initial=initial)
    if vendor:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if vendor:
                saved = payables.update_vendor(actor=request.user, vendor_id=vendor.pk, **{
                    k: v for k, v in data.items() if k != "code"})
            else:
                saved = payables.create_vendor(actor=request.user, **data)
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Vendor %(code)s saved.") % {"code": saved.code})
            return redirect("finance:vendor_detail", pk=saved.pk)
    elif not has_permission(actor=request.user, permission="finance.add_vendor"):
        return refused(request, None)
    return render(request, "finance/vendor_form.html", {"form": form, "vendor": vendor},
                  status=400 if form.errors else 200)
