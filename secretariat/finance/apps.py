from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "secretariat.finance"
    label = "finance"
    verbose_name = _("Finance")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation: list = []
