from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "secretariat.finance"
    label = "finance"
    verbose_name = _("Finance")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation = [
        ("finance:entry_list", _("Journal entries")),
        ("finance:trial_balance", _("Trial balance")),
        ("finance:statements", _("Financial statements")),
        ("finance:contributions", _("Status of contributions")),
        ("finance:reconciliation", _("Bank reconciliation")),
    ]

    def ready(self) -> None:
        from secretariat.core.scopes import ScopeKind, register_scope_kind, same_object
        from secretariat.finance.models import Fund

        # Roles and delegations can be granted per fund ("finance.Fund" scope kind).
        register_scope_kind(ScopeKind("fund", _("Fund"), Fund, same_object))
