"""The main navigation, assembled from what each installed app declares, grouped by pillar, and
trimmed to the pages the signed-in user may open.

An app lists its entries as ``navigation = [(url_name, label), ...]`` on its AppConfig, so the
shell grows with the apps without the apps importing the shell. An entry may carry a third item,
who may open the page (see ``may_open``); entries without one are looked up in
``PAGE_PERMISSIONS``, which repeats the check the page's view or selector makes. The shell, the
top layer, files each app under one of the platform's pillars; the home page shows the same groups.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from secretariat.core.access import permission_checker
from secretariat.web.inbox import inbox_total

# Who may open a page: a permission ("app_label.codename"), a tuple of them (any one will do), or
# a function of the user. A page not listed is open to every signed-in user.
Rule = str | tuple[str, ...] | Callable[[object], bool]

CORE_NAVIGATION = [
    ("web:entity_list", _("Organisation")),
    ("web:duty_station_list", _("Duty stations")),
    ("web:people_list", _("People"), "core.view_person"),
    ("web:role_assignments", _("Roles"), ("core.view_roleassignment", "core.add_roleassignment")),
    ("web:delegations", _("Delegations")),
    ("web:audit_trail", _("Audit trail"), "core.view_auditevent"),
    ("web:two_factor", _("Two-factor authentication")),
    ("api_tokens", _("My API tokens")),
]

# The permission each app's page asks before it shows anything (its view's refusal, or the
# selector that would otherwise list nothing), for the apps' entries that do not say it themselves.
PAGE_PERMISSIONS: dict[str, Rule] = {
    "finance:entry_list": ("finance.view_journalentry", "finance.add_journalentry"),
    "finance:trial_balance": "finance.view_ledger",
    "finance:statements": "finance.view_ledger",
    "finance:contributions": "finance.view_assessment",
    "finance:reconciliation": "finance.view_bankstatement",
    "budget:section_list": "budget.view_budgetsection",
    "budget:control": ("budget.view_appropriation", "budget.view_allotment"),
    "servicedesk:agent_queue": "servicedesk.view_ticket",
    "servicedesk:configuration_items": "servicedesk.view_ticket",
    "servicedesk:changes": "servicedesk.view_ticket",
    "servicedesk:problems": "servicedesk.view_ticket",
    "servicedesk:reports": "servicedesk.view_ticket",
    "content:records": "content.view_document",
    "continuity:processes": "continuity.view_businessprocess",
    "continuity:applications": "continuity.view_application",
    "continuity:data_centres": "continuity.view_datacentre",
    "continuity:infrastructure": "continuity.view_infrastructurecomponent",
    "continuity:analyses": "continuity.view_businessimpactanalysis",
    "continuity:plans": "continuity.view_recoveryplan",
}

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


def may_open(user, rule: Rule | None, holds: Callable[[str], bool]) -> bool:
    if rule is None:
        return True
    if callable(rule):
        return rule(user)
    return any(holds(permission) for permission in ((rule,) if isinstance(rule, str) else rule))


@dataclass
class NavigationGroup:
    code: str
    label: str
    description: str
    entries: list[tuple[str, str]] = field(default_factory=list)  # (href, label)

    def holds(self, path: str) -> bool:
        return any(path == href or (href != "/" and path.startswith(href)) for href, _label in self.entries)


def visible_links(entries, user, holds) -> list[tuple[str, str]]:
    """The entries ``user`` may open, as (href, label); an entry whose URL is not installed is left out."""
    links = []
    for url_name, label, *declared in entries:
        rule = declared[0] if declared else PAGE_PERMISSIONS.get(url_name)
        if user is not None and not may_open(user, rule, holds):
            continue
        try:
            links.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    return links


def navigation_groups(user=None) -> list[NavigationGroup]:
    """Every pillar in order, with the pages of the apps filed under it that ``user`` may open
    (every page when no user is given)."""
    holds = permission_checker(actor=user) if user is not None else None
    groups = {code: NavigationGroup(code, label, description) for code, label, description in PILLARS}
    groups["administration"].entries.extend(visible_links(CORE_NAVIGATION, user, holds))
    for config in apps.get_app_configs():
        pillar = PILLAR_OF_APP.get(config.label)
        if pillar is not None:
            groups[pillar].entries.extend(visible_links(getattr(config, "navigation", []), user, holds))
    return list(groups.values())


def navigation_of(request) -> list[NavigationGroup]:
    """The signed-in user's groups, worked out once per request (the menu and the home page share them)."""
    if not hasattr(request, "_navigation_groups"):
        request._navigation_groups = navigation_groups(request.user)
    return request._navigation_groups


def main_navigation(request):
    """Context processor: the menu of the signed-in user, and the inbox count beside it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": []}
    groups = [group for group in navigation_of(request) if group.entries]
    current = next((group for group in groups if group.holds(request.path)), None)
    return {"main_navigation": groups, "current_navigation_group": current.code if current else None,
            "breadcrumbs": breadcrumbs(request.path, current), "inbox_total": inbox_total(request),
            "inbox_url": reverse("web:inbox")}


def breadcrumbs(path: str, group: NavigationGroup | None) -> list[tuple[str, str]]:
    """Home, the pillar, and the menu page the current page belongs to (the longest matching link):
    every page of every app gets its trail from the menu it is reached by."""
    if group is None:
        return []
    trail = [(reverse("web:home"), _("Home")), ("", group.label)]
    matches = [(href, label) for href, label in group.entries if path == href or path.startswith(href)]
    if matches:
        trail.append(max(matches, key=lambda link: len(link[0])))
    return trail
