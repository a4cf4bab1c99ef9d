from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "secretariat.budget"
    label = "budget"
    verbose_name = _("Budget")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation = [
        ("budget:section_list", _("Programme budget")),
        ("budget:control", _("Budgetary control")),
    ]

    def ready(self) -> None:
        from secretariat.budget.services.ledger import record_ledger_expenditure
        from secretariat.finance.hooks import register_posting_listener

        # Expenditure is recorded from the ledger, in the posting's transaction (ADR 0053).
        register_posting_listener(record_ledger_expenditure)
