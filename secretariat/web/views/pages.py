"""Home page and the organisation browser."""

from babel.dates import get_day_names
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from secretariat.core import selectors
from secretariat.core.models import DutyStation, Entity, EntityKind
from secretariat.core.models.reference import current_babel_locale
from secretariat.web.navigation import navigation_groups

@login_required
def home(request):
    return render(request, "web/home.html", {"pillars": navigation_groups()})


@login_required
def entity_list(request):
    entities = Entity.objects.select_related("headquarters__country")
    groups = [(label, [e for e in entities if e.kind == kind]) for kind, label in EntityKind.choices]
    return render(request, "web/entity_list.html", {"groups": [g for g in groups if g[1]]})


@login_required
def entity_detail(request, code):
    entity = get_object_or_404(Entity.objects.select_related("headquarters"), code=code)
    return render(request, "web/entity_detail.html", {"entity": entity, "tree": selectors.org_tree(entity=entity)})


@login_required
def duty_station_list(request):
    stations = DutyStation.objects.select_related("country")
    return render(request, "web/duty_station_list.html", {"stations": stations})


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
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.people_visible_to(actor=request.user, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "web/people_list.html", {"page": page, "search": search})


@login_required
def person_detail(request, pk):
    person = selectors.people_visible_to(actor=request.user).filter(pk=pk).first()
    if person is None:
        # Missing and forbidden look the same, so the page reveals nothing.
        raise Http404
    return render(request, "web/person_detail.html", {"person": person})
