"""Follow-the-sun routing: which subscription covers a department, which desk takes a ticket now."""

import datetime

from django.db.models import Q

from secretariat.core.models import OrgUnit
from secretariat.servicedesk.models import Desk, Service, Subscription
from secretariat.servicedesk.services.sla import ClockBook


def department_subscription(*, department: OrgUnit, service: Service, on: datetime.date) -> Subscription | None:
    """The subscription covering ``department`` (or the nearest enclosing unit) for ``service``."""
    ancestor_ids = [int(part) for part in department.path.strip("/").split("/") if part]
    candidates = (
        Subscription.objects.filter(service=service, department_id__in=ancestor_ids, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).select_related("level", "department")
    )
    by_unit = {subscription.department_id: subscription for subscription in candidates}
    for unit_id in reversed(ancestor_ids):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def choose_desk(*, desks: list[Desk], clocks: ClockBook, language: str, service_kind: str,
                home_station_id: int | None, at: datetime.datetime) -> Desk | None:
    """Follow the sun: a desk open now that speaks the language, preferring the home station.

    Falls back to an open desk in any language, then to the home station's desk, then to any
    desk with the skill, so no ticket is left without a queue.
    """
    skilled = [desk for desk in desks if desk.is_active and (not desk.skills or service_kind in desk.skills)]
    open_now = [desk for desk in skilled if clocks.clock(duty_station=desk.duty_station, level=None).is_open(at)]

    def best(candidates):
        candidates = sorted(candidates, key=lambda desk: (desk.duty_station_id != home_station_id, desk.code))
        return candidates[0] if candidates else None

    return (best([desk for desk in open_now if language in desk.languages]) or best(open_now)
            or best([desk for desk in skilled if desk.duty_station_id == home_station_id]) or best(skilled))


def active_desks() -> list[Desk]:
    return list(Desk.objects.filter(is_active=True).select_related("duty_station"))
