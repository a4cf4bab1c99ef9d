"""Home page and the organisation browser."""

from babel.dates import get_day_names
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core import selectors
from secretariat.core.models import DutyStation, Entity
from secretariat.core.models.reference import current_babel_locale
from secretariat.web.dashboards import charts_for
from secretariat.web.inbox import inbox_of
from secretariat.web.lists import list_page
from secretariat.web.navigation import navigation_of
from secretariat.web.tables import (
    DutyStationFilter,
    DutyStationTable,
    EntityFilter,
    EntityTable,
    PeopleFilter,
    PeopleTable,
)

INBOX_PAGE_LIMIT = 50


@login_required
def home(request):
    return render(request, "web/home.html", {"pillars": navigation_of(request), "inbox": inbox_of(request),
                                             "charts": charts_for(request.user)})


@login_required
def inbox(request):
    return render(request, "web/inbox.html", {"inbox": inbox_of(request, limit=INBOX_PAGE_LIMIT),
                                              "limit": INBOX_PAGE_LIMIT})


@login_required
def entity_list(request):
    return list_page(request, name="entities", title=_("Entities"), queryset=Entity.objects.select_related(
        "headquarters"), filterset_class=EntityFilter, table_class=EntityTable)


@login_required
def entity_detail(request, code):
    entity = get_object_or_404(Entity.objects.select_related("headquarters"), code=code)
    return render(request, "web/entity_detail.html", {"entity": entity, "tree": selectors.org_tree(entity=entity)})


@login_required
def duty_station_list(request):
    return list_page(request, name="duty-stations", title=_("Duty stations"),
                     queryset=DutyStation.objects.select_related("country"), filterset_class=DutyStationFilter,
                     table_class=DutyStationTable)


@login_required
def duty_station_detail(request, code):
    station = get_object_or_404(DutyStation.objects.select_related("country"), code=code)
    year = int(request.GET.get("year") or timezone.localdate().year)
    day_names = get_day_names("wide", locale=current_babel_locale())  # index 0 is Monday
    holidays = station.public_holidays.filter(holiday_on__year=year)
    return render(request, "web/duty_station_detail.html", {
        "station": station, "year": year, "holidays": holidays, "years": [year - 1, year, year + 1],
        "work_days": [day_names[day - 1] for day in sorted(station.work_days)],
    })


@login_required
def people_list(request):
    return list_page(request, name="people", title=_("People"), queryset=selectors.people_visible_to(
        actor=request.user), filterset_class=PeopleFilter, table_class=PeopleTable, exported="people")


@login_required
def person_detail(request, pk):
    person = selectors.people_visible_to(actor=request.user).filter(pk=pk).first()
    if person is None:
        # Missing and forbidden look the same, so the page reveals nothing.
        raise Http404
    return render(request, "web/person_detail.html", {"person": person})
