"""The main navigation, assembled from what each installed app declares.

An app lists its entries as ``navigation = [(url_name, label), ...]`` on its AppConfig, so the
shell grows with the apps without the apps importing the shell.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

CORE_NAVIGATION = [
    ("web:entity_list", _("Organisation")),
    ("web:duty_station_list", _("Duty stations")),
    ("web:people_list", _("People")),
    ("web:role_assignments", _("Roles")),
    ("web:delegations", _("Delegations")),
    ("web:audit_trail", _("Audit trail")),
]


def navigation_entries() -> list[tuple[str, str]]:
    entries = list(CORE_NAVIGATION)
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "navigation", []))
    resolved = []
    for url_name, label in entries:
        try:
            resolved.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    return resolved


def main_navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"main_navigation": []}
    return {"main_navigation": navigation_entries()}
