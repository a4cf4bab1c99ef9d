"""Business-time arithmetic: time zones, DST, holidays, weekends that differ by duty station, pauses."""

import datetime

import pytest
from hypothesis import given, settings, strategies as st

from secretariat.servicedesk.business_time import (
    BusinessCalendar,
    BusinessClock,
    CalendarHasNoCover,
    read_clock,
)

UTC = datetime.UTC
GENEVA = BusinessCalendar(time_zone="Europe/Zurich", holidays=frozenset({datetime.date(2026, 12, 25)}))
AMMAN = BusinessCalendar(time_zone="Asia/Amman", work_days=frozenset({7, 1, 2, 3, 4}),  # Sunday–Thursday
                         starts_at=datetime.time(8), ends_at=datetime.time(16))
NEW_YORK = BusinessCalendar(time_zone="America/New_York")
NIGHT_SHIFT = BusinessCalendar(time_zone="Europe/Zurich", work_days=frozenset(range(1, 8)),
                               starts_at=datetime.time(0, 30), ends_at=datetime.time(4, 0))
ROUND_THE_CLOCK = BusinessCalendar(time_zone="Europe/Zurich", round_the_clock=True)
CALENDARS = [GENEVA, AMMAN, NEW_YORK, NIGHT_SHIFT, ROUND_THE_CLOCK]
HOUR = 3600


def at(*args, tz="UTC"):
    from zoneinfo import ZoneInfo
    return datetime.datetime(*args, tzinfo=ZoneInfo(tz))


def test_an_hour_before_closing_on_friday_ends_on_monday_in_geneva():
    # given Friday 16:30 in Geneva, 1 h before closing, and a 2 h target
    start = at(2026, 11, 27, 16, 30, tz="Europe/Zurich")
    # when
    due = BusinessClock(GENEVA).add(start, 2 * HOUR)
    # then the second hour is Monday 09:00–10:00
    assert due == at(2026, 11, 30, 10, 0, tz="Europe/Zurich")


def test_friday_saturday_weekend_in_amman_resumes_on_sunday():
    start = at(2026, 11, 26, 15, 0, tz="Asia/Amman")  # Thursday, 1 h before closing
    due = BusinessClock(AMMAN).add(start, 2 * HOUR)
    assert due == at(2026, 11, 29, 9, 0, tz="Asia/Amman")  # Sunday


def test_public_holiday_is_skipped():
    start = at(2026, 12, 24, 17, 0, tz="Europe/Zurich")  # Thursday; Friday 25 is a holiday
    due = BusinessClock(GENEVA).add(start, HOUR)
    assert due == at(2026, 12, 28, 9, 30, tz="Europe/Zurich")


def test_daylight_saving_night_is_an_hour_shorter():
    # given the night window 00:30–04:00 on the day Zurich moves clocks forward at 02:00
    clock = BusinessClock(NIGHT_SHIFT)
    night = (at(2026, 3, 29, 0, 0, tz="Europe/Zurich"), at(2026, 3, 29, 5, 0, tz="Europe/Zurich"))
    ordinary = (at(2026, 3, 28, 0, 0, tz="Europe/Zurich"), at(2026, 3, 28, 5, 0, tz="Europe/Zurich"))
    # then it holds 2.5 h of cover instead of 3.5 h
    assert clock.seconds_between(*night) == 2.5 * HOUR
    assert clock.seconds_between(*ordinary) == 3.5 * HOUR


def test_new_york_hours_follow_its_own_dst_date():
    # 9 March 2026: New York already on EDT (UTC-4), Geneva still on CET
    clock = BusinessClock(NEW_YORK)
    assert clock.add(at(2026, 3, 9, 12, 0), 1) == at(2026, 3, 9, 13, 0, 1)
    assert clock.is_open(at(2026, 3, 9, 13, 30)) and not clock.is_open(at(2026, 3, 9, 12, 59))


def test_round_the_clock_counts_every_second():
    clock = BusinessClock(ROUND_THE_CLOCK)
    start = at(2026, 12, 25, 23, 0)
    assert clock.add(start, 4 * HOUR) == at(2026, 12, 26, 3, 0)


def test_a_calendar_without_a_time_zone_is_refused():
    with pytest.raises(ValueError):
        BusinessCalendar(time_zone="")


def test_a_calendar_whose_every_day_is_a_holiday_has_no_cover():
    days = frozenset(datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(366 * 21 + 10))
    clock = BusinessClock(BusinessCalendar(time_zone="UTC", holidays=days))
    with pytest.raises(CalendarHasNoCover):
        clock.add(at(2026, 1, 1, 9), HOUR)


def test_a_pause_pushes_the_due_time_by_the_business_time_paused():
    clock = BusinessClock(GENEVA)
    opened = at(2026, 11, 23, 9, 0, tz="Europe/Zurich")  # Monday
    pause = (at(2026, 11, 23, 10, 0, tz="Europe/Zurich"), at(2026, 11, 23, 12, 0, tz="Europe/Zurich"))
    reading = read_clock(clock=clock, opened_at=opened, target_seconds=4 * HOUR, pauses=[pause],
                         now=at(2026, 11, 23, 12, 0, tz="Europe/Zurich"))
    assert reading.used_seconds == HOUR
    assert reading.due_at == at(2026, 11, 23, 15, 0, tz="Europe/Zurich")


def test_an_open_pause_stops_the_clock():
    clock = BusinessClock(GENEVA)
    opened = at(2026, 11, 23, 9, 0, tz="Europe/Zurich")
    reading = read_clock(clock=clock, opened_at=opened, target_seconds=4 * HOUR,
                         pauses=[(at(2026, 11, 23, 10, 0, tz="Europe/Zurich"), None)],
                         now=at(2026, 11, 25, 10, 0, tz="Europe/Zurich"))
    assert reading.is_paused and reading.due_at is None and reading.used_seconds == HOUR


instants = st.datetimes(min_value=datetime.datetime(2025, 12, 20), max_value=datetime.datetime(2027, 1, 10),
                        timezones=st.just(UTC))
durations = st.integers(min_value=0, max_value=30 * 24 * HOUR)


@settings(max_examples=50, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), start=instants, seconds=durations)
def test_adding_then_measuring_gives_back_the_duration(calendar, start, seconds):
    clock = BusinessClock(calendar)
    due = clock.add(start, seconds)
    assert due >= start
    assert abs(clock.seconds_between(start, due) - seconds) < 1e-3


@settings(max_examples=50, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), moments=st.lists(instants, min_size=3, max_size=3))
def test_business_time_is_additive(calendar, moments):
    first, middle, last = sorted(moments)
    clock = BusinessClock(calendar)
    whole = clock.seconds_between(first, last)
    assert abs(whole - clock.seconds_between(first, middle) - clock.seconds_between(middle, last)) < 1e-3
    assert 0 <= whole <= (last - first).total_seconds() + 1e-3


@settings(max_examples=50, deadline=None)
@given(calendar=st.sampled_from([GENEVA, AMMAN, NEW_YORK]), start=instants,
       seconds=st.integers(min_value=1, max_value=10 * 24 * HOUR))
def test_a_due_time_falls_within_working_hours_on_a_working_day(calendar, start, seconds):
    from zoneinfo import ZoneInfo

    due = BusinessClock(calendar).add(start, seconds).astimezone(ZoneInfo(calendar.time_zone))
    assert due.isoweekday() in calendar.work_days
    assert due.date() not in calendar.holidays
    assert calendar.starts_at < due.time() <= calendar.ends_at


@settings(max_examples=50, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), opened=instants, target=st.integers(HOUR, 5 * 24 * HOUR),
       pause_offset=st.integers(0, 3 * 24 * HOUR), pause_length=st.integers(0, 3 * 24 * HOUR))
def test_pausing_never_brings_the_due_time_forward(calendar, opened, target, pause_offset, pause_length):
    clock = BusinessClock(calendar)
    paused = opened + datetime.timedelta(seconds=pause_offset)
    resumed = paused + datetime.timedelta(seconds=pause_length)
    now = resumed + datetime.timedelta(seconds=1)
    without = read_clock(clock=clock, opened_at=opened, target_seconds=target, pauses=[], now=now)
    with_pause = read_clock(clock=clock, opened_at=opened, target_seconds=target, pauses=[(paused, resumed)], now=now)
    assert with_pause.due_at >= without.due_at
    paused_business = clock.seconds_between(paused, resumed)
    assert abs(without.used_seconds - with_pause.used_seconds - paused_business) < 1e-3
