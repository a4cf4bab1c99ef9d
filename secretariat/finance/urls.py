from django.urls import path

from secretariat.finance import (
    period_close_views,
    rate_views,
    receipt_views,
    treasury_views,
    vendor_views,
    views,
)

app_name = "finance"

urlpatterns = [
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("entries/<int:pk>/<slug:action>/", views.entry_action, name="entry_action"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<int:pk>/status/", views.period_status, name="period_status"),
    path("periods/<int:pk>/checklist/", period_close_views.period_checklist, name="period_checklist"),
    path("exchange-rates/", rate_views.exchange_rates, name="exchange_rates"),
    path("revaluation/", rate_views.revaluation_run, name="revaluation"),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("statements/", views.statements, name="statements"),
    path("statements/<slug:kind>/", views.statement, name="statement"),
    path("receipts/new/", receipt_views.receipt_create, name="receipt_create"),
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/<str:alpha3>/", views.member_state_statement, name="member_state_statement"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("vendors/", vendor_views.vendor_list, name="vendor_list"),
    path("vendors/new/", vendor_views.vendor_form, name="vendor_create"),
    path("vendors/<int:pk>/", vendor_views.vendor_detail, name="vendor_detail"),
    path("vendors/<int:pk>/edit/", vendor_views.vendor_form, name="vendor_edit"),
    path("invoices/", treasury_views.invoice_list, name="invoice_list"),
    path("invoices/new/", treasury_views.invoice_create, name="invoice_create"),
    path("payment-runs/new/", treasury_views.payment_run_create, name="payment_run_create"),
    path("payment-runs/<int:pk>/", treasury_views.payment_run_detail, name="payment_run_detail"),
    path("payment-runs/<int:pk>/pain001/", treasury_views.payment_run_pain001, name="payment_run_pain001"),
    path("bank/import/", treasury_views.statement_import, name="statement_import"),
    path("bank/workbench/", treasury_views.workbench, name="workbench"),
    path("bank/lines/<int:line_id>/match/", treasury_views.workbench_match, name="workbench_match"),
]
