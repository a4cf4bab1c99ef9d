from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "secretariat.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service management")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation = [
        ("servicedesk:portal", _("Service portal")),
        ("servicedesk:agent_queue", _("Agent queue")),
        ("servicedesk:reports", _("Service reports")),
    ]
