"""The main navigation, assembled from what each installed app declares, grouped by pillar.

An app lists its entries as ``navigation = [(url_name, label), ...]`` on its AppConfig, so the
shell grows with the apps without the apps importing the shell. The shell, the top layer, files
each app under one of the platform's pillars; the home page shows the same groups.
"""

from dataclasses import dataclass, field

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
    ("web:two_factor", _("Two-factor authentication")),
    ("api_tokens", _("My API tokens")),
]

PILLARS = [
    ("administration", _("Administration"), _("The organisation, duty stations, people, roles, delegations and the audit trail.")),
    ("resources", _("Resources"), _("Finance, budget, human resources, supply chain, assets and travel.")),
    ("services", _("Services"), _("ICT and facilities service desk, catalogue, self-service and knowledge base.")),
    ("knowledge", _("Knowledge"), _("Documents, official documents in six languages, records and workspaces.")),
    ("governance", _("Governance"), _("ICT portfolio, application inventory, indicators, oversight and risk.")),
    ("continuity", _("Continuity"), _("Business impact analysis, recovery plans and failover exercises.")),
]
PILLAR_OF_APP = {
    "finance": "resources",
    "budget": "resources",
    "servicedesk": "services",
    "content": "knowledge",
    "continuity": "continuity",
}


@dataclass
class NavigationGroup:
    code: str
    label: str
    description: str
    entries: list[tuple[str, str]] = field(default_factory=list)  # (href, label)

    def holds(self, path: str) -> bool:
        return any(path == href or (href != "/" and path.startswith(href)) for href, _label in self.entries)


def resolved(entries) -> list[tuple[str, str]]:
    links = []
    for url_name, label in entries:
        try:
            links.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    return links


def navigation_groups() -> list[NavigationGroup]:
    """Every pillar in order, with the pages of the apps filed under it (possibly none yet)."""
    groups = {code: NavigationGroup(code, label, description) for code, label, description in PILLARS}
    groups["administration"].entries.extend(resolved(CORE_NAVIGATION))
    for config in apps.get_app_configs():
        pillar = PILLAR_OF_APP.get(config.label)
        if pillar is not None:
            groups[pillar].entries.extend(resolved(getattr(config, "navigation", [])))
    return list(groups.values())


def main_navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"main_navigation": []}
    groups = [group for group in navigation_groups() if group.entries]
    return {"main_navigation": groups, "current_navigation_group": next(
        (group.code for group in groups if group.holds(request.path)), None)}
