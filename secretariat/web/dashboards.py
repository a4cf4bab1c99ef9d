"""Figures on the home page: a few charts drawn from the apps' selectors, each for the users who
may read its figures (the same scoped selectors the apps' own pages use), and each with its table.

The shell (top layer) reads the apps' selectors; nothing here writes. A chart is drawn by
chart.js (web/static/web/charts.js) from the same numbers the table beside it shows, so the table
is what screen readers read and what export takes.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.selectors import exercise_coverage
from secretariat.core.access import permission_checker
from secretariat.finance.models import EntryStatus
from secretariat.finance.selectors import accessible_journal_entries
from secretariat.servicedesk.models import OPEN_STATUSES, TicketStatus
from secretariat.servicedesk.selectors import tickets_for_agent


@dataclass(frozen=True)
class Chart:
    code: str
    title: str
    kind: str  # chart.js type: "bar" or "doughnut"
    value_label: str
    rows: list[tuple[str, int]]  # (label, value), in the order drawn

    @property
    def data(self) -> dict:
        return {"kind": self.kind, "label": str(self.value_label), "labels": [str(label) for label, _v in self.rows],
                "values": [value for _label, value in self.rows]}


def counted(queryset, field: str, choices) -> list[tuple[str, int]]:
    counts = dict(queryset.order_by().values_list(field).annotate(total=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in choices]


def service_desk_backlog(user) -> Chart:
    statuses = [(status.value, status.label) for status in TicketStatus if status in OPEN_STATUSES]
    return Chart("backlog", _("Service desk backlog by status"), "bar", _("Open tickets"),
                 counted(tickets_for_agent(actor=user).filter(status__in=OPEN_STATUSES), "status", statuses))


def journal_entries_by_status(user) -> Chart:
    return Chart("entries", _("Journal entries by status"), "bar", _("Entries"),
                 counted(accessible_journal_entries(actor=user), "status", EntryStatus.choices))


def continuity_coverage(user) -> Chart:
    coverage = exercise_coverage(actor=user)
    return Chart("coverage", _("Critical applications exercised in the last 12 months"), "doughnut",
                 _("Applications"), [(_("Exercised"), coverage.tested),
                                     (_("Not exercised"), coverage.critical - coverage.tested)])


# (permission needed to read the figures, chart builder)
CHARTS = [
    ("servicedesk.view_ticket", service_desk_backlog),
    ("finance.view_journalentry", journal_entries_by_status),
    ("continuity.view_application", continuity_coverage),
]


def charts_for(user) -> list[Chart]:
    holds = permission_checker(actor=user)
    charts = [build(user) for permission, build in CHARTS if holds(permission)]
    return [chart for chart in charts if any(value for _label, value in chart.rows)]
