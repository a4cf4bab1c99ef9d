"""HTML views for the accounts-payable and treasury jobs: record an invoice, pay it, import the
bank's statement and match it. Thin: parse the form, call the service the API calls, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.core.access import has_permission, scoped
from secretariat.core.exceptions import AccessDenied, DomainError
from secretariat.core.refusals import apply_refusal, refused
from secretariat.finance import selectors
from secretariat.finance.forms import (
    PaymentRunForm,
    StatementImportForm,
    VendorInvoiceForm,
)
from secretariat.finance.models import (
    BankAccount,
    BankStatementLine,
    Fund,
    PaymentRun,
    VendorInvoice,
)
from secretariat.finance.services import bank, payables


def accessible(queryset, request, permission: str):
    return scoped(queryset, actor=request.user, permission=permission)


@login_required
def invoice_list(request):
    invoices = accessible(VendorInvoice.objects.select_related("vendor", "fund"), request,
                          "finance.view_vendorinvoice").order_by("-invoice_on", "-id")[:200]
    return render(request, "finance/invoice_list.html", {
        "invoices": invoices, "can_record": has_permission(actor=request.user, permission="finance.add_vendorinvoice"),
        "can_pay": has_permission(actor=request.user, permission="finance.add_paymentrun")})


@login_required
def invoice_create(request):
    funds = accessible(Fund.objects.filter(is_active=True), request, "finance.add_vendorinvoice")
    form = VendorInvoiceForm(request.POST or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invoice = payables.record_vendor_invoice(
                actor=request.user, vendor=data["vendor"], fund=data["fund"], expense_account=data["expense_account"],
                invoice_number=data["invoice_number"], invoice_on=data["invoice_on"], due_on=data["due_on"],
                currency=data["currency"].upper(), amount=data["amount"], obligation=data["obligation"])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Invoice %(invoice)s recorded and posted (%(entry)s).") % {
                "invoice": invoice, "entry": invoice.journal_entry.number})
            return redirect("finance:invoice_list")
    return render(request, "finance/invoice_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def payment_run_create(request):
    bank_accounts = accessible(BankAccount.objects.all(), request, "finance.add_paymentrun")
    invoices = selectors.open_invoices_due(on_or_before=timezone.localdate() + timezone.timedelta(days=365)).filter(
        currency__in=bank_accounts.values("currency"))
    form = PaymentRunForm(request.POST or None, bank_accounts=bank_accounts, invoices=invoices,
                          initial={"payment_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = payables.create_payment_run(
                actor=request.user, bank_account=data["bank_account"], payment_on=data["payment_on"],
                reference=data["reference"], instructions=[payables.PaymentInstruction(i.pk, i.outstanding_amount)
                                                           for i in data["invoices"]])
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Payment run %(run)s created.") % {"run": run.reference})
            return redirect("finance:payment_run_detail", pk=run.pk)
    return render(request, "finance/payment_run_form.html", {"form": form}, status=400 if form.errors else 200)


def accessible_run(request, pk) -> PaymentRun:
    accounts = accessible(BankAccount.objects.all(), request, "finance.view_paymentrun")
    run = PaymentRun.objects.filter(pk=pk, bank_account__in=accounts).select_related("bank_account").first()
    if run is None:
        raise Http404
    return run


@login_required
def payment_run_detail(request, pk):
    run = accessible_run(request, pk)
    payments = run.payments.select_related("invoice__vendor").order_by("id")
    return render(request, "finance/payment_run_detail.html", {
        "run": run, "payments": payments, "total": sum((p.amount for p in payments), Decimal("0"))})


@login_required
def payment_run_pain001(request, pk):
    run = accessible_run(request, pk)
    try:
        xml = payables.payment_file(actor=request.user, run=run)
    except AccessDenied as error:
        return refused(request, error)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{run.reference}.xml"'
    return response


@login_required
def statement_import(request):
    bank_accounts = accessible(BankAccount.objects.all(), request, "finance.add_bankstatement")
    form = StatementImportForm(request.POST or None, request.FILES or None, bank_accounts=bank_accounts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            statements = bank.import_bank_statement(
                actor=request.user, bank_account=data["bank_account"], content=data["file"].read(),
                source_format=data["source_format"], statement_id=data["statement_id"],
                opening_balance=data["opening_balance"] or Decimal("0"))
        except AccessDenied as error:
            return refused(request, error)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            lines = BankStatementLine.objects.filter(statement__in=statements)
            messages.success(request, _("%(lines)s lines imported, %(matched)s matched automatically.") % {
                "lines": lines.count(), "matched": lines.filter(is_auto_matched=True).count()})
            return redirect("finance:workbench")
    return render(request, "finance/statement_import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def workbench(request):
    """Unmatched lines with their proposals and candidates, and the lines matched lately."""
    accounts = accessible(BankAccount.objects.all(), request, "finance.view_bankstatement")
    unmatched = list(selectors.unmatched_bank_lines().filter(statement__bank_account__in=accounts)[:200])
    matched = (BankStatementLine.objects.filter(statement__bank_account__in=accounts)
               .exclude(payment__isnull=True, receipt__isnull=True)
               .select_related("payment__invoice__vendor", "receipt__member_state", "statement__bank_account")
               .order_by("-matched_at", "-id")[:50])
    return render(request, "finance/workbench.html", {
        "rows": [(line, selectors.match_candidates(line=line)) for line in unmatched], "matched": matched,
        "status": selectors.reconciliation_status(bank_accounts=accounts, today=timezone.localdate())})


@login_required
@require_POST
def workbench_match(request, line_id):
    try:
        if request.POST.get("action") == "unmatch":
            bank.unmatch_bank_line(actor=request.user, line_id=line_id, reason=request.POST.get("reason", ""))
            messages.success(request, _("The match was undone."))
        else:
            kind, _sep, item_id = request.POST.get("item", "").partition(":")
            if not item_id.isdigit() or kind not in ("payment", "receipt"):
                raise Http404
            bank.match_bank_line(actor=request.user, line_id=line_id, **{f"{kind}_id": int(item_id)})
            messages.success(request, _("The line was matched."))
    except AccessDenied as error:
        return refused(request, error)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("finance:workbench")
