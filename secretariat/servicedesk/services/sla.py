"""SLA clocks: priority from impact and urgency, duty-station calendars, due instants and breach flags.

``apply_sla`` is the single place SLA state is derived; every change of status, priority, level or
calendar comes through ``recompute_sla``.
"""

import datetime
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError
from secretariat.core.models import DutyStation
from secretariat.servicedesk.business_time import BusinessCalendar, BusinessClock, read_clock
from secretariat.servicedesk.models import Cover, Priority, ServiceLevel, ServiceLevelTarget, Ticket


class CalendarWithoutTimeZone(DomainError):
    message = _("The duty station %(station)s has no valid time zone, so its SLA calendar cannot run.")
    code = "calendar_without_time_zone"


class NoTargetForPriority(DomainError):
    message = _("The service level “%(level)s” has no target for priority %(priority)s.")
    code = "no_target"


def priority_for(*, impact: int, urgency: int) -> int:
    """The ITIL impact × urgency matrix: 1+1 is critical, 3+3 (and 2+3) low."""
    return min(impact + urgency - 1, Priority.LOW)


def as_time(value) -> datetime.time:
    """A time field's value; an unsaved instance may still hold the "HH:MM" string it was given."""
    return datetime.time.fromisoformat(value) if isinstance(value, str) else value


def calendar_for(*, duty_station: DutyStation, level: ServiceLevel | None = None,
                 holidays: frozenset | None = None) -> BusinessCalendar:
    """The SLA calendar of a service level at a duty station (hours of cover, work week, holidays)."""
    if not duty_station.time_zone or duty_station.time_zone not in zoneinfo.available_timezones():
        raise CalendarWithoutTimeZone(station=duty_station.code)
    if holidays is None:
        holidays = frozenset(duty_station.public_holidays.values_list("holiday_on", flat=True))
    return BusinessCalendar(
        time_zone=duty_station.time_zone, work_days=frozenset(duty_station.work_days),
        starts_at=as_time(duty_station.work_starts_at), ends_at=as_time(duty_station.work_ends_at), holidays=holidays,
        round_the_clock=level is not None and level.cover == Cover.ROUND_THE_CLOCK,
    )


class ClockBook:
    """Compiled business clocks per (duty station, cover), shared over one request or batch."""

    def __init__(self):
        self._clocks: dict[tuple[int, str], BusinessClock] = {}

    def clock(self, *, duty_station: DutyStation, level: ServiceLevel | None) -> BusinessClock:
        cover = level.cover if level is not None else Cover.BUSINESS_HOURS
        key = (duty_station.pk, cover)
        if key not in self._clocks:
            self._clocks[key] = BusinessClock(calendar_for(duty_station=duty_station, level=level))
        return self._clocks[key]


def targets_by_level_priority(level_ids) -> dict[tuple[int, int], ServiceLevelTarget]:
    return {(t.level_id, t.priority): t for t in ServiceLevelTarget.objects.filter(level_id__in=set(level_ids))}


def target_for(*, level: ServiceLevel, priority: int, targets: dict | None = None) -> ServiceLevelTarget:
    target = (targets or {}).get((level.pk, priority))
    if target is None:
        target = ServiceLevelTarget.objects.filter(level=level, priority=priority).first()
    if target is None:
        raise NoTargetForPriority(level=str(level), priority=priority)
    return target


def apply_sla(ticket: Ticket, *, clock: BusinessClock, target: ServiceLevelTarget,
              pauses: list | None = None, now: datetime.datetime | None = None) -> None:
    """Set the ticket's due instants and breach flags from its target, calendar and pauses.

    The single place SLA state is derived: raising, importing, pausing, resuming, resolving
    and any change of priority, level or calendar all come through here.
    """
    pauses = pauses or []
    ticket.response_due_at = clock.add(ticket.opened_at, target.response_minutes * 60)
    if ticket.responded_at is not None:
        ticket.response_breached = ticket.responded_at > ticket.response_due_at
    else:
        ticket.response_breached = None
    until = ticket.resolved_at or now or timezone.now()
    reading = read_clock(clock=clock, opened_at=ticket.opened_at, target_seconds=target.resolution_minutes * 60,
                         pauses=pauses, now=max(until, ticket.opened_at))
    ticket.resolution_due_at = reading.due_at
    ticket.resolution_used_seconds = int(reading.used_seconds)
    if ticket.resolved_at is not None:
        ticket.resolution_breached = reading.used_seconds > target.resolution_minutes * 60
    else:
        ticket.resolution_breached = None


def ticket_pauses(ticket: Ticket) -> list[tuple]:
    return list(ticket.pauses.values_list("paused_at", "resumed_at"))


SLA_FIELDS = ["response_due_at", "response_breached", "resolution_due_at", "resolution_used_seconds",
              "resolution_breached"]


def recompute_sla(ticket: Ticket, *, clocks: ClockBook | None = None, now=None) -> None:
    clock = (clocks or ClockBook()).clock(duty_station=ticket.duty_station, level=ticket.level)
    apply_sla(ticket, clock=clock, target=target_for(level=ticket.level, priority=ticket.priority),
              pauses=ticket_pauses(ticket), now=now)
