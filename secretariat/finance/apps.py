from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "secretariat.finance"
    label = "finance"
    verbose_name = _("Finance")
    # Links this app adds to the main navigation: (URL name, label[, who may open it]). See
    # web/navigation.py.
    navigation = [
        ("finance:entry_list", _("Journal entries")),
        ("finance:trial_balance", _("Trial balance")),
        ("finance:statements", _("Financial statements")),
        ("finance:contributions", _("Status of contributions")),
        ("finance:invoice_list", _("Vendor invoices"), "finance.view_vendorinvoice"),
        ("finance:vendor_list", _("Vendors"), ("finance.view_vendor", "finance.add_vendor")),
        ("finance:reconciliation", _("Bank reconciliation")),
        ("finance:workbench", _("Matching workbench"), "finance.view_bankstatement"),
        ("finance:period_list", _("Fiscal periods and close checklists"), ("finance.view_ledger",
                                                                           "finance.close_fiscalperiod")),
        ("finance:exchange_rates", _("Exchange rates"), "finance.view_exchangerate"),
    ]

    def ready(self) -> None:
        from secretariat.core.scopes import ScopeKind, register_scope_kind, same_object
        from secretariat.finance.models import Fund

        # Roles and delegations can be granted per fund ("finance.Fund" scope kind).
        register_scope_kind(ScopeKind("fund", _("Fund"), Fund, same_object))
