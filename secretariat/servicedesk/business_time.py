"""Business-time arithmetic for SLA clocks: pure functions over a duty-station calendar.

A ``BusinessCalendar`` says when a service level gives cover at a duty station: round the
clock, or during the working hours of the station's work days (local time, so daylight-saving
shifts are honoured), minus public holidays. A ``BusinessClock`` compiles a calendar into
sorted UTC windows with cumulative totals, so that "how much cover between two instants" and
"when will N seconds of cover have elapsed" are two binary searches — fast enough to run for a
year of tickets in the benchmark. No database access here: the callers build the calendar.
"""

import bisect
import datetime
import zoneinfo
from dataclasses import dataclass, field

UTC = datetime.UTC
MAX_YEARS_AHEAD = 20


class CalendarHasNoCover(ValueError):
    """The calendar never gives cover within the horizon searched (every day off or a holiday)."""


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str
    work_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays, 1 = Monday
    starts_at: datetime.time = datetime.time(9, 0)
    ends_at: datetime.time = datetime.time(17, 30)
    holidays: frozenset[datetime.date] = field(default_factory=frozenset)
    round_the_clock: bool = False

    def __post_init__(self):
        zoneinfo.ZoneInfo(self.time_zone)  # raises for an unknown or empty zone
        if not self.round_the_clock and not self.work_days:
            raise CalendarHasNoCover("no work days")
        if not self.round_the_clock and self.ends_at <= self.starts_at:
            raise CalendarHasNoCover("the working day ends before it starts")


def _timestamp(moment: datetime.datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    return moment.timestamp()


class BusinessClock:
    """Measures and adds business time over one calendar (compiled lazily, year by year)."""

    def __init__(self, calendar: BusinessCalendar):
        self.calendar = calendar
        self.zone = zoneinfo.ZoneInfo(calendar.time_zone)
        self._first: datetime.date | None = None
        self._last: datetime.date | None = None
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._cumulative_before: list[float] = []  # business seconds before window i
        self._cumulative_after: list[float] = []  # business seconds up to the end of window i

    # --- compiling the calendar ---------------------------------------------------------------
    def _window_of(self, day: datetime.date) -> tuple[float, float] | None:
        calendar = self.calendar
        if day.isoweekday() not in calendar.work_days or day in calendar.holidays:
            return None
        start = datetime.datetime.combine(day, calendar.starts_at, tzinfo=self.zone).timestamp()
        end = datetime.datetime.combine(day, calendar.ends_at, tzinfo=self.zone).timestamp()
        return (start, end) if end > start else None

    def _compile(self, first: datetime.date, last: datetime.date) -> None:
        self._first, self._last = first, last
        self._starts, self._ends, self._cumulative_before, self._cumulative_after = [], [], [], []
        total = 0.0
        day = first
        while day <= last:
            window = self._window_of(day)
            if window is not None:
                self._starts.append(window[0])
                self._ends.append(window[1])
                self._cumulative_before.append(total)
                total += window[1] - window[0]
                self._cumulative_after.append(total)
            day += datetime.timedelta(days=1)

    def _cover(self, moment: float) -> None:
        """Make sure the compiled windows include the local day of ``moment`` (with a day's margin)."""
        day = datetime.datetime.fromtimestamp(moment, self.zone).date()
        if self._first is None:
            self._compile(datetime.date(day.year, 1, 1) - datetime.timedelta(days=1), datetime.date(day.year, 12, 31))
            return
        if day - datetime.timedelta(days=1) < self._first:
            self._compile(datetime.date(day.year, 1, 1) - datetime.timedelta(days=1), self._last)
        elif day + datetime.timedelta(days=1) > self._last:
            self._compile(self._first, datetime.date(day.year, 12, 31))

    def _position(self, moment: float) -> float:
        """Business seconds from the start of the compiled range to ``moment``."""
        index = bisect.bisect_right(self._starts, moment) - 1
        if index < 0:
            return 0.0
        return self._cumulative_before[index] + min(moment, self._ends[index]) - self._starts[index]

    # --- the two questions --------------------------------------------------------------------
    def seconds_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Business seconds of cover in [start, end); zero if end is not after start."""
        start_ts, end_ts = _timestamp(start), _timestamp(end)
        if end_ts <= start_ts:
            return 0.0
        if self.calendar.round_the_clock:
            return end_ts - start_ts
        self._cover(start_ts)
        self._cover(end_ts)
        return self._position(end_ts) - self._position(start_ts)

    def add(self, start: datetime.datetime, seconds: float) -> datetime.datetime:
        """The instant at which ``seconds`` of business time will have elapsed since ``start``."""
        start_ts = _timestamp(start)
        if seconds <= 0:
            return start
        if self.calendar.round_the_clock:
            return datetime.datetime.fromtimestamp(start_ts + seconds, UTC)
        self._cover(start_ts)
        target = self._position(start_ts) + seconds
        for _ in range(MAX_YEARS_AHEAD + 1):
            index = bisect.bisect_left(self._cumulative_after, target)
            if index < len(self._starts):
                moment = self._starts[index] + (target - self._cumulative_before[index])
                return datetime.datetime.fromtimestamp(moment, UTC)
            self._compile(self._first, datetime.date(self._last.year + 1, 12, 31))
        raise CalendarHasNoCover(f"no cover within {MAX_YEARS_AHEAD} years")

    def is_open(self, moment: datetime.datetime) -> bool:
        """Whether ``moment`` falls inside a window of cover."""
        if self.calendar.round_the_clock:
            return True
        moment_ts = _timestamp(moment)
        self._cover(moment_ts)
        index = bisect.bisect_right(self._starts, moment_ts) - 1
        return index >= 0 and moment_ts < self._ends[index]

    def next_closing(self, moment: datetime.datetime) -> datetime.datetime | None:
        """When the window open at ``moment`` closes (None if closed now or round the clock)."""
        if self.calendar.round_the_clock or not self.is_open(moment):
            return None
        index = bisect.bisect_right(self._starts, _timestamp(moment)) - 1
        return datetime.datetime.fromtimestamp(self._ends[index], UTC)


def active_intervals(
    *, opened_at: datetime.datetime, pauses: list[tuple[datetime.datetime, datetime.datetime | None]],
    until: datetime.datetime,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The intervals from ``opened_at`` to ``until`` during which the clock runs (pauses removed)."""
    intervals, cursor = [], opened_at
    for paused_at, resumed_at in sorted(pauses, key=lambda pause: pause[0]):
        paused_at = max(paused_at, cursor)
        if paused_at >= until:
            break
        if paused_at > cursor:
            intervals.append((cursor, paused_at))
        if resumed_at is None:
            return intervals
        cursor = max(cursor, resumed_at)
    if until > cursor:
        intervals.append((cursor, until))
    return intervals


@dataclass(frozen=True)
class ClockReading:
    used_seconds: float  # business seconds consumed so far
    due_at: datetime.datetime | None  # None while the clock is paused
    is_paused: bool


def read_clock(
    *, clock: BusinessClock, opened_at: datetime.datetime, target_seconds: float,
    pauses: list[tuple[datetime.datetime, datetime.datetime | None]], now: datetime.datetime,
) -> ClockReading:
    """The state of one SLA clock at ``now``: business time used and the due instant.

    Pauses stop the clock; an open pause (``resumed_at`` None) means the clock is paused now and
    has no due instant. Otherwise the due instant is the last resumption plus what remains.
    """
    intervals = active_intervals(opened_at=opened_at, pauses=pauses, until=now)
    is_paused = any(resumed is None and paused <= now for paused, resumed in pauses)
    used, due = 0.0, None
    for start, end in intervals:
        seconds = clock.seconds_between(start, end)
        if due is None and used + seconds >= target_seconds:  # the target fell inside: due is past
            due = clock.add(start, target_seconds - used)
        used += seconds
    if due is None and not is_paused:
        due = clock.add(max(now, opened_at), target_seconds - used)
    return ClockReading(used, due, is_paused)


def working_days_between(calendar: BusinessCalendar, start: datetime.datetime, end: datetime.datetime) -> int:
    """Whole working days of the calendar after ``start``'s local day, up to and including ``end``'s.

    A day counts when it is a work day and no holiday (every day, round the clock). Resolved on a
    Friday, the following Monday is one working day later in a Monday–Friday week.
    """
    zone = zoneinfo.ZoneInfo(calendar.time_zone)
    day, last = start.astimezone(zone).date() + datetime.timedelta(days=1), end.astimezone(zone).date()
    count = 0
    while day <= last:
        if calendar.round_the_clock or (day.isoweekday() in calendar.work_days and day not in calendar.holidays):
            count += 1
        day += datetime.timedelta(days=1)
    return count
