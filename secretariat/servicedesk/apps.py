from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "secretariat.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service management")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation = [
        ("servicedesk:portal", _("Service portal")),
        ("servicedesk:catalogue", _("Service catalogue")),
        ("servicedesk:agent_queue", _("Agent queue")),
        ("servicedesk:configuration_items", _("Configuration items")),
        ("servicedesk:changes", _("Changes")),
        ("servicedesk:problems", _("Problems")),
        ("servicedesk:reports", _("Service reports")),
    ]

    def ready(self) -> None:
        # Open tickets' SLA clocks follow their duty station's calendar when it changes.
        from secretariat.core.calendar_changes import register_calendar_listener
        from secretariat.servicedesk.services import recompute_sla_for_duty_station

        register_calendar_listener(recompute_sla_for_duty_station)
