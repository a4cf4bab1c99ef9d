from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "secretariat.continuity"
    label = "continuity"
    verbose_name = _("Continuity")
    # Links this app adds to the main navigation: (URL name, label). See web/navigation.py.
    navigation = [
        ("continuity:dashboard", _("Continuity")),
        ("continuity:processes", _("Business processes")),
        ("continuity:applications", _("Applications")),
        ("continuity:data_centres", _("Data centres")),
        ("continuity:infrastructure", _("Infrastructure")),
        ("continuity:analyses", _("Business impact analyses")),
        ("continuity:plans", _("Recovery plans")),
    ]
