"""REST API of the finance app: viewsets registered on ``router``, mounted under /api/v1/finance/.

Thin: parse, call one service or selector, serialise. Refusals (DomainError) become problem+json.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from secretariat.core.access import has_permission, scoped
from secretariat.core.api_base import ScopedReadOnlyViewSet, idempotent
from secretariat.core.exceptions import AccessDenied
from secretariat.core.models import Country
from secretariat.finance import selectors
from secretariat.finance.models import (
    CENT,
    Account,
    Assessment,
    BankAccount,
    BankStatement,
    BankStatementLine,
    ExchangeRate,
    FiscalCalendar,
    FiscalPeriod,
    Fund,
    Journal,
    JournalEntry,
    JournalLine,
    PaymentRun,
    Receipt,
    Vendor,
    VendorInvoice,
)
from secretariat.finance.services import bank, journal, payables, receivables, structure
from secretariat.finance.services.journal import EntryInput, LineInput

router = DefaultRouter()

MONEY = {"max_digits": 19, "decimal_places": 4}


AMOUNT = serializers.CharField(help_text=_("Amount in USD to the cent, as a decimal string."))

STATEMENT_KINDS = inline_serializer("StatementKind", {"kind": serializers.CharField(),
                                                      "statement": serializers.CharField()}, many=True)
CONTRIBUTION_STATUS = inline_serializer("ContributionStatus", {
    "member_state": serializers.CharField(), "fund": serializers.CharField(), "assessed": AMOUNT,
    "collected": AMOUNT, "outstanding": AMOUNT}, many=True)
RECONCILIATION_STATUS = inline_serializer("ReconciliationStatus", {
    "bank_account": serializers.CharField(), "month": serializers.DateField(), "lines": serializers.IntegerField(),
    "unmatched": serializers.IntegerField(), "oldest_unmatched_days": serializers.IntegerField(allow_null=True),
    "is_reconciled": serializers.BooleanField()}, many=True)


def usd(amount) -> str:
    """Report amounts as strings to the cent (JSON numbers would turn them into floats)."""
    return str(amount.quantize(CENT))


class AccountSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all(), required=False,
                                          allow_null=True)

    class Meta:
        model = Account
        fields = ["id", "code", "name", "localized_name", "parent", "account_type", "statement_line", "is_postable",
                  "is_monetary", "system_role", "is_active"]
        read_only_fields = ["is_active"]


class AccountViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Account.objects.select_related("parent")
    serializer_class = AccountSerializer
    filterset_fields = ["account_type", "statement_line", "is_active", "is_postable"]
    search_fields = ["code", "name"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = structure.create_account(
            actor=request.user, code=data["code"], name=data["name"], account_type=data["account_type"],
            statement_line=data.get("statement_line", ""), parent=data.get("parent"),
            is_postable=data.get("is_postable", True), is_monetary=data.get("is_monetary", False),
            system_role=data.get("system_role"))
        return Response(self.get_serializer(account).data, status=201)


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ["id", "code", "name", "localized_name", "kind", "calendar", "entity", "is_active"]
        read_only_fields = ["is_active"]


class FundViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Fund.objects.all()
    serializer_class = FundSerializer
    view_permission = "finance.view_ledger"

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fund = structure.create_fund(actor=request.user, code=data["code"], name=data["name"], kind=data["kind"],
                                     calendar=data.get("calendar", FiscalCalendar.CALENDAR_YEAR),
                                     entity=data.get("entity"))
        return Response(self.get_serializer(fund).data, status=201)


class FiscalPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalPeriod
        fields = ["id", "calendar", "fiscal_year", "number", "name", "starts_on", "ends_on", "status"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class FiscalYearSerializer(serializers.Serializer):
    calendar = serializers.ChoiceField(choices=FiscalPeriod._meta.get_field("calendar").choices)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)


class FiscalPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FiscalPeriod.objects.all()
    serializer_class = FiscalPeriodSerializer
    filterset_fields = ["calendar", "fiscal_year", "status"]

    @extend_schema(request=FiscalYearSerializer, responses={201: FiscalPeriodSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="open-year", pagination_class=None)
    @idempotent
    def open_year(self, request):
        serializer = FiscalYearSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        periods = structure.create_fiscal_year(actor=request.user, **serializer.validated_data)
        return Response(FiscalPeriodSerializer(periods, many=True).data, status=201)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = structure.close_fiscal_period(actor=request.user, period_id=self.get_object().pk,
                                               reason=serializer.validated_data["reason"])
        return Response(FiscalPeriodSerializer(period).data)

    @extend_schema(request=ReasonSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reopen(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = structure.reopen_fiscal_period(actor=request.user, period_id=self.get_object().pk,
                                                reason=serializer.validated_data["reason"])
        return Response(FiscalPeriodSerializer(period).data)


class ExchangeRateSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(write_only=True)
    month = serializers.IntegerField(write_only=True, min_value=1, max_value=12)

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "month_on", "units_per_usd", "year", "month"]
        read_only_fields = ["month_on"]


class ExchangeRateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    filterset_fields = ["currency", "month_on"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rate = structure.set_exchange_rate(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(rate).data, status=201)


class JournalLineSerializer(serializers.ModelSerializer):
    account = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all())
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all(), required=False,
                                        allow_null=True)

    class Meta:
        model = JournalLine
        fields = ["id", "fund", "account", "cost_centre", "project", "grant", "description", "obligation", "currency",
                  "debit_amount", "credit_amount", "exchange_rate", "debit_usd", "credit_usd"]
        read_only_fields = ["exchange_rate", "debit_usd", "credit_usd"]
        extra_kwargs = {"currency": {"required": False, "default": "USD"},
                        "debit_amount": {"required": False}, "credit_amount": {"required": False}}


class JournalEntrySerializer(serializers.ModelSerializer):
    journal = serializers.SlugRelatedField(slug_field="code", queryset=Journal.objects.all())
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    lines = JournalLineSerializer(many=True)
    period = serializers.CharField(source="period.name", read_only=True)
    prepared_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    certified_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    posted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = JournalEntry
        fields = ["id", "number", "journal", "fund", "period", "entry_on", "description", "status", "total_usd",
                  "reverses", "prepared_by", "prepared_at", "certified_by", "approved_by", "posted_by", "posted_at",
                  "lines"]
        read_only_fields = ["number", "status", "total_usd", "reverses", "prepared_at", "posted_at"]


class ReversalSerializer(serializers.Serializer):
    reversal_on = serializers.DateField()
    reason = serializers.CharField()


def entry_input(data) -> EntryInput:
    return EntryInput(
        fund_id=data["fund"].pk, entry_on=data["entry_on"], description=data["description"],
        lines=[LineInput(account_id=ln["account"].pk, debit_amount=ln.get("debit_amount") or 0,
                         credit_amount=ln.get("credit_amount") or 0, currency=ln.get("currency", "USD"),
                         fund_id=ln["fund"].pk if ln.get("fund") else None,
                         cost_centre_id=ln["cost_centre"].pk if ln.get("cost_centre") else None,
                         project_id=ln["project"].pk if ln.get("project") else None,
                         grant_id=ln["grant"].pk if ln.get("grant") else None,
                         description=ln.get("description", ""), obligation=ln.get("obligation", ""))
               for ln in data["lines"]])


class JournalEntryViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Journal entries: create a draft, then submit, certify, approve, post; reverse a posted one."""

    queryset = JournalEntry.objects.select_related("journal", "fund", "period", "prepared_by", "certified_by",
                                                   "approved_by", "posted_by").prefetch_related("lines__account",
                                                                                                "lines__fund")
    serializer_class = JournalEntrySerializer
    view_permission = "finance.view_journalentry"
    filterset_fields = ["status", "fund__code", "journal__code", "period__fiscal_year", "number"]
    search_fields = ["number", "description"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = journal.create_journal_entry(actor=request.user, journal=serializer.validated_data["journal"],
                                             entry=entry_input(serializer.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=draft.pk)).data, status=201)

    def step(self, service, **kwargs):
        entry = service(actor=self.request.user, entry_id=self.get_object().pk, **kwargs)
        return Response(self.get_serializer(JournalEntry.objects.get(pk=entry.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request, pk=None):
        return self.step(journal.submit_journal_entry)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def certify(self, request, pk=None):
        return self.step(journal.certify_journal_entry)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        return self.step(journal.approve_journal_entry)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    @idempotent
    def post(self, request, pk=None):
        return self.step(journal.post_journal_entry)

    @extend_schema(request=ReversalSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def reverse(self, request, pk=None):
        serializer = ReversalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = journal.reverse_journal_entry(actor=request.user, entry_id=self.get_object().pk,
                                                 **serializer.validated_data)
        return Response(self.get_serializer(JournalEntry.objects.get(pk=reversal.pk)).data, status=201)


def period_and_funds(request):
    """The period (``period`` id, default: the current calendar-year period) and the funds
    (``fund`` code, default: consolidated over what the user may see) of a report request."""
    if not has_permission(actor=request.user, permission="finance.view_ledger"):
        raise AccessDenied(action=_("view the ledger"))
    period_id = request.query_params.get("period")
    if period_id:
        period = FiscalPeriod.objects.filter(pk=period_id).first()
    else:
        period = FiscalPeriod.objects.filter(calendar="calendar_year", starts_on__lte=timezone.localdate(),
                                             ends_on__gte=timezone.localdate()).first()
    if period is None:
        raise Http404
    fund_code = request.query_params.get("fund")
    fund = Fund.objects.filter(code=fund_code).first() if fund_code else None
    if fund_code and fund is None:
        raise Http404
    return period, selectors.statement_fund_ids(actor=request.user, fund=fund)


class TrialBalanceViewSet(viewsets.ViewSet):
    """Trial balance (USD) for ``?period=<id>&fund=<code>``."""

    @extend_schema(responses={200: dict})
    def list(self, request):
        period, fund_ids = period_and_funds(request)
        trial = selectors.trial_balance(period=period, fund_ids=fund_ids)
        return Response({
            "period": FiscalPeriodSerializer(period).data,
            "rows": [{"account": r.account.code, "name": r.account.localized_name, "opening": usd(r.opening),
                      "debits": usd(r.debits), "credits": usd(r.credits), "closing": usd(r.closing)}
                     for r in trial.rows],
            "total_debits": usd(trial.total_debits), "total_credits": usd(trial.total_credits),
            "total_closing": usd(trial.total_closing),
        })


class StatementViewSet(viewsets.ViewSet):
    """IPSAS statements: ``financial-position``, ``financial-performance``, ``changes-in-net-assets``,
    ``cash-flow`` for ``?period=<id>&fund=<code>``, with prior-year comparatives."""

    lookup_field = "kind"
    lookup_value_regex = "[a-z-]+"

    @extend_schema(responses={200: STATEMENT_KINDS})
    def list(self, request):
        return Response([{"kind": kind, "statement": str(title)} for kind, (title, _b) in selectors.STATEMENTS.items()])

    @extend_schema(responses={200: dict})
    def retrieve(self, request, kind=None):
        if kind not in selectors.STATEMENTS:
            raise Http404
        period, fund_ids = period_and_funds(request)
        title, build = selectors.STATEMENTS[kind]
        return Response({"statement": str(title), "period": FiscalPeriodSerializer(period).data,
                         "rows": [{"line": r.line, "label": r.label, "current": usd(r.current), "prior": usd(r.prior),
                                   "is_total": r.is_total} for r in build(period=period, fund_ids=fund_ids)]})


class VendorSerializer(serializers.ModelSerializer):
    """Bank details come masked unless the view's context says the reader may see them."""

    country = serializers.SlugRelatedField(slug_field="alpha2", queryset=Country.objects.all())
    bank_details_masked = serializers.SerializerMethodField()

    class Meta:
        model = Vendor
        fields = ["id", "code", "name", "latin_name", "country", "iban", "bic", "bank_details_masked", "is_active"]
        read_only_fields = ["is_active"]

    def bank_details(self, vendor) -> selectors.BankDetails:
        return selectors.vendor_bank_details(vendor=vendor, shown=self.context.get("show_bank_details", False))

    def get_bank_details_masked(self, vendor) -> bool:
        return self.bank_details(vendor).is_masked

    def to_representation(self, vendor):
        data = super().to_representation(vendor)
        details = self.bank_details(vendor)
        data["iban"], data["bic"] = details.iban, details.bic
        return data


class VendorViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Vendor.objects.select_related("country")
    serializer_class = VendorSerializer
    search_fields = ["code", "name"]
    # Never by bank details: sorting by a masked IBAN would reveal it, one comparison at a time.
    ordering_fields = ["code", "name"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(),
                "show_bank_details": selectors.may_see_vendor_bank_details(actor=getattr(self.request, "user", None))}

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vendor = payables.create_vendor(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(vendor).data, status=201)


class VendorInvoiceSerializer(serializers.ModelSerializer):
    vendor = serializers.SlugRelatedField(slug_field="code", queryset=Vendor.objects.all())
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    expense_account = serializers.SlugRelatedField(slug_field="code", queryset=Account.objects.all())
    journal_entry = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = VendorInvoice
        fields = ["id", "vendor", "fund", "expense_account", "cost_centre", "obligation", "invoice_number",
                  "invoice_on", "due_on", "currency", "amount", "exchange_rate", "paid_amount", "status",
                  "journal_entry"]
        read_only_fields = ["exchange_rate", "paid_amount", "status"]


class VendorInvoiceViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = VendorInvoice.objects.select_related("vendor", "fund", "expense_account", "journal_entry")
    serializer_class = VendorInvoiceSerializer
    view_permission = "finance.view_vendorinvoice"
    filterset_fields = ["status", "vendor__code", "fund__code", "currency"]

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = payables.record_vendor_invoice(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(invoice).data, status=201)


class PaymentInstructionSerializer(serializers.Serializer):
    invoice = serializers.PrimaryKeyRelatedField(queryset=VendorInvoice.objects.all())
    amount = serializers.DecimalField(**MONEY)


class PaymentRunSerializer(serializers.ModelSerializer):
    bank_account = serializers.SlugRelatedField(slug_field="code", queryset=BankAccount.objects.all())
    instructions = PaymentInstructionSerializer(many=True, write_only=True)
    payments = serializers.SerializerMethodField()
    journal_entry = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = PaymentRun
        fields = ["id", "reference", "bank_account", "payment_on", "instructions", "payments", "journal_entry"]

    def get_payments(self, run) -> list[dict]:
        return [{"invoice": p.invoice_id, "end_to_end_id": p.end_to_end_id, "currency": p.currency,
                 "amount": str(p.amount)} for p in run.payments.all()]


class PaymentRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentRunSerializer

    def get_queryset(self):
        accounts = scoped(BankAccount.objects.all(), actor=self.request.user, permission="finance.view_paymentrun")
        return PaymentRun.objects.filter(bank_account__in=accounts).select_related("bank_account", "journal_entry")

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = payables.create_payment_run(
            actor=request.user, bank_account=data["bank_account"], payment_on=data["payment_on"],
            reference=data["reference"],
            instructions=[payables.PaymentInstruction(i["invoice"].pk, i["amount"]) for i in data["instructions"]])
        return Response(self.get_serializer(run).data, status=201)

    @extend_schema(responses={(200, "application/xml"): bytes})
    @action(detail=True, methods=["get"])
    def pain001(self, request, pk=None):
        """The ISO 20022 pain.001.001.09 credit-transfer file of the run, for the bank."""
        run = self.get_object()
        response = HttpResponse(payables.payment_file(actor=request.user, run=run), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{run.reference}.xml"'
        return response


class AssessmentSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_state = serializers.SlugRelatedField(slug_field="alpha3", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "fund", "member_state", "reference", "assessed_on", "due_on", "amount", "collected_amount"]


class IssueAssessmentsSerializer(serializers.Serializer):
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    reference = serializers.CharField(max_length=50)
    year = serializers.IntegerField()
    total_amount = serializers.DecimalField(**MONEY)
    assessed_on = serializers.DateField()
    due_on = serializers.DateField()


class AssessmentViewSet(ScopedReadOnlyViewSet):
    queryset = Assessment.objects.select_related("fund", "member_state")
    serializer_class = AssessmentSerializer
    view_permission = "finance.view_assessment"
    filterset_fields = ["fund__code", "member_state__alpha3", "reference"]

    @extend_schema(request=IssueAssessmentsSerializer, responses={201: AssessmentSerializer(many=True)})
    @action(detail=False, methods=["post"])
    @idempotent
    def issue(self, request):
        serializer = IssueAssessmentsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = receivables.issue_assessments(actor=request.user, **serializer.validated_data)
        return Response(AssessmentSerializer(issued, many=True).data, status=201)

    @extend_schema(responses={200: CONTRIBUTION_STATUS})
    @action(detail=False, methods=["get"], url_path="status-of-contributions", pagination_class=None)
    def status_of_contributions(self, request):
        fund_ids = list(self.get_queryset().values_list("fund_id", flat=True).distinct())
        return Response([{"member_state": r.member_state.alpha3, "fund": r.fund.code, "assessed": usd(r.assessed),
                          "collected": usd(r.collected), "outstanding": usd(r.outstanding)}
                         for r in selectors.status_of_contributions(fund_ids=fund_ids)])


    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path=r"member-states/(?P<alpha3>[A-Z]{3})/statement")
    def member_state_statement(self, request, alpha3=None):
        """A Member State's statement: its assessments, receipts and unapplied credits, per fund."""
        member_state = Country.objects.filter(alpha3=alpha3, is_member_state=True).first()
        if member_state is None:
            raise Http404
        fund_ids = list(self.get_queryset().values_list("fund_id", flat=True).distinct())
        statement = selectors.member_state_statement(member_state=member_state, fund_ids=fund_ids)
        return Response({
            "member_state": alpha3,
            "assessments": AssessmentSerializer(statement["assessments"], many=True).data,
            "receipts": [{"reference": r.reference, "received_on": r.received_on, "amount": usd(r.amount),
                          "applied": usd(r.applied_amount)} for r in statement["receipts"]],
            "assessed": usd(statement["assessed"]), "collected": usd(statement["collected"]),
            "outstanding": usd(statement["assessed"] - statement["collected"]),
            "unapplied_credits": usd(statement["unapplied_credits"]),
        })


class ReceiptApplicationSerializer(serializers.Serializer):
    assessment = serializers.PrimaryKeyRelatedField(queryset=Assessment.objects.all())
    amount = serializers.DecimalField(**MONEY)


class ApplyReceiptSerializer(serializers.Serializer):
    applied_on = serializers.DateField()
    applications = ReceiptApplicationSerializer(many=True)


class ReceiptSerializer(serializers.ModelSerializer):
    member_state = serializers.SlugRelatedField(slug_field="alpha3", queryset=Country.objects.all())
    bank_account = serializers.SlugRelatedField(slug_field="code", queryset=BankAccount.objects.all())
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all(), write_only=True)

    class Meta:
        model = Receipt
        # In: ``amount`` paid in ``currency`` (default: the bank account's) and, when the bank
        # converted it, ``bank_amount``; out: ``amount`` is the USD credited to the State.
        fields = ["id", "member_state", "bank_account", "fund", "received_on", "reference", "currency", "amount",
                  "received_amount", "bank_amount", "applied_amount"]
        read_only_fields = ["applied_amount", "received_amount"]
        extra_kwargs = {"currency": {"required": False}}


class ReceiptViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReceiptSerializer

    def get_queryset(self):
        accounts = scoped(BankAccount.objects.all(), actor=self.request.user, permission="finance.view_receipt")
        return Receipt.objects.filter(bank_account__in=accounts).select_related("member_state", "bank_account")

    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        receipt = receivables.record_receipt(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(receipt).data, status=201)

    @extend_schema(request=ApplyReceiptSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def apply(self, request, pk=None):
        serializer = ApplyReceiptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        receivables.apply_receipt(
            actor=request.user, receipt_id=self.get_object().pk, applied_on=data["applied_on"],
            applications=[receivables.Application(a["assessment"].pk, a["amount"]) for a in data["applications"]])
        return Response(self.get_serializer(Receipt.objects.get(pk=pk)).data)


class BankStatementLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankStatementLine
        fields = ["id", "booked_on", "amount", "reference", "counterparty", "entry_reference", "is_reversal",
                  "reverses", "payment", "receipt", "proposed_payment", "proposed_receipt", "is_auto_matched"]


class BankStatementSerializer(serializers.ModelSerializer):
    bank_account = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lines = BankStatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = BankStatement
        fields = ["id", "bank_account", "statement_id", "statement_on", "opening_balance", "closing_balance",
                  "source_format", "lines"]


class ImportStatementSerializer(serializers.Serializer):
    bank_account = serializers.SlugRelatedField(slug_field="code", queryset=BankAccount.objects.all())
    file = serializers.FileField()
    source_format = serializers.ChoiceField(choices=bank.SOURCE_FORMATS)
    statement_id = serializers.CharField(required=False, default="")
    opening_balance = serializers.DecimalField(required=False, default=0, **MONEY)


class MatchSerializer(serializers.Serializer):
    payment = serializers.IntegerField(required=False, allow_null=True)
    receipt = serializers.IntegerField(required=False, allow_null=True)


class UnmatchSerializer(serializers.Serializer):
    reason = serializers.CharField()


class BankStatementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BankStatementSerializer

    def get_queryset(self):
        accounts = scoped(BankAccount.objects.all(), actor=self.request.user, permission="finance.view_bankstatement")
        return BankStatement.objects.filter(bank_account__in=accounts).prefetch_related("lines")

    @extend_schema(request={"multipart/form-data": ImportStatementSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    @idempotent
    def import_file(self, request):
        serializer = ImportStatementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        statements = bank.import_bank_statement(
            actor=request.user, bank_account=data["bank_account"], content=data["file"].read(),
            source_format=data["source_format"], statement_id=data["statement_id"],
            opening_balance=data["opening_balance"])
        return Response(BankStatementSerializer(statements, many=True).data, status=201)

    @extend_schema(request=MatchSerializer, responses={200: BankStatementLineSerializer})
    @action(detail=False, methods=["post"], url_path=r"lines/(?P<line_id>\d+)/match")
    @idempotent
    def match(self, request, line_id=None):
        serializer = MatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not self.get_queryset().filter(lines__pk=line_id).exists():
            raise Http404
        line = bank.match_bank_line(actor=request.user, line_id=int(line_id),
                                    payment_id=serializer.validated_data.get("payment"),
                                    receipt_id=serializer.validated_data.get("receipt"))
        return Response(BankStatementLineSerializer(line).data)

    @extend_schema(request=UnmatchSerializer, responses={200: BankStatementLineSerializer})
    @action(detail=False, methods=["post"], url_path=r"lines/(?P<line_id>\d+)/unmatch")
    @idempotent
    def unmatch(self, request, line_id=None):
        serializer = UnmatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not self.get_queryset().filter(lines__pk=line_id).exists():
            raise Http404
        line = bank.unmatch_bank_line(actor=request.user, line_id=int(line_id),
                                      reason=serializer.validated_data["reason"])
        return Response(BankStatementLineSerializer(line).data)


class ReconciliationViewSet(viewsets.ViewSet):
    """Reconciliation status per bank account and month, with the age of unmatched items."""

    @extend_schema(responses={200: RECONCILIATION_STATUS})
    def list(self, request):
        accounts = scoped(BankAccount.objects.all(), actor=request.user, permission="finance.view_bankstatement")
        return Response([{"bank_account": s.bank_account.code, "month": s.month, "lines": s.statement_lines,
                          "unmatched": s.unmatched_lines, "oldest_unmatched_days": s.oldest_unmatched_days,
                          "is_reconciled": s.is_reconciled}
                         for s in selectors.reconciliation_status(bank_accounts=accounts,
                                                                  today=timezone.localdate())])


router.register("accounts", AccountViewSet, basename="account")
router.register("funds", FundViewSet, basename="fund")
router.register("fiscal-periods", FiscalPeriodViewSet, basename="fiscal-period")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
router.register("journal-entries", JournalEntryViewSet, basename="journal-entry")
router.register("vendors", VendorViewSet, basename="vendor")
router.register("vendor-invoices", VendorInvoiceViewSet, basename="vendor-invoice")
router.register("payment-runs", PaymentRunViewSet, basename="payment-run")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("bank-statements", BankStatementViewSet, basename="bank-statement")
router.register("trial-balance", TrialBalanceViewSet, basename="trial-balance")
router.register("statements", StatementViewSet, basename="statement")
router.register("reconciliation", ReconciliationViewSet, basename="reconciliation")
