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
