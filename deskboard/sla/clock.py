"""Business-time arithmetic over a BusinessCalendar: add business minutes, measure between.

The walk runs in UTC over stretches of constant UTC offset. Within one, local wall time is UTC
plus that offset, so a local day's intervals map to real spans by one subtraction; a DST change
only ends a stretch. Whole weeks are skipped in one step when no holiday and no offset change
falls inside them (a 7-day window of a weekly pattern holds exactly the weekly working time), so
adding 100,000 minutes costs a few hundred steps, not 100,000.

Assumes a zone changes its offset at most once a day and never twice within a week, and a
year has at most two fall-backs of at most two hours (true of every zone in the tz database).
"""

import math
from bisect import bisect_left
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from deskboard.sla.calendar import BusinessCalendar

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
MINUTE = timedelta(minutes=1)
# Supported instants: far beyond any SLA, and far enough from datetime's limits that a step of a
# week plus any offset never overflows.
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(9000, 1, 1)
_SECOND = timedelta(seconds=1)
_TINY = timedelta(microseconds=1)


def _utc(moment: datetime, what: str) -> datetime:
    """The instant as naive UTC (the walk's currency); naive input is refused, not guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    if not EARLIEST <= naive <= LATEST:
        raise ValueError(f"{what} is outside {EARLIEST.year}-{LATEST.year}")
    return naive


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset


def _change_after(zone: ZoneInfo, start: datetime, end: datetime, offset: timedelta) -> datetime:
    """The first instant in (start, end] whose offset is not `offset` (the end has another)."""
    low, high = start.replace(microsecond=0), end  # transitions fall on whole seconds
    while high - low > _SECOND:
        middle = low + timedelta(seconds=(high - low) // _SECOND // 2)
        if _offset(zone, middle) == offset:
            low = middle
        else:
            high = middle
    return high


def _weeks_to_skip(
    calendar: BusinessCalendar,
    now: datetime,
    day: date,
    offset: timedelta,
    until: datetime | None,
    left: timedelta | None,
) -> int:
    """How many whole weeks from `now` hold exactly the weekly time and need no closer look."""
    weeks = (LATEST - now) // WEEK
    if left is not None:  # strictly fewer than needed: the target lies inside a later week
        weeks = min(weeks, (left - _TINY) // calendar.weekly)
    if until is not None:
        weeks = min(weeks, (until - now) // WEEK)
    holidays = calendar.sorted_holidays
    index = bisect_left(holidays, day)
    if index < len(holidays):  # every local date the weeks touch must be a working date
        weeks = min(weeks, ((holidays[index] - day).days - 1) // 7)
    zone = calendar.zone
    for week in range(1, weeks + 1):  # one probe a week: no zone changes twice within 7 days
        if _offset(zone, now + week * WEEK) != offset:
            return week - 1
    return max(weeks, 0)


def _walk(
    calendar: BusinessCalendar,
    start: datetime,
    *,
    until: datetime | None = None,
    budget: timedelta | None = None,
) -> tuple[datetime, timedelta]:
    """Walk from `start` (naive UTC) until `until` or until `budget` of business time is used;
    return where it stopped and the business time counted."""
    zone, weekly = calendar.zone, calendar.weekly
    now, counted = start, timedelta(0)
    while True:
        if until is not None and now >= until:
            return until, counted
        if now >= LATEST:
            raise ValueError(f"the result lies beyond the year {LATEST.year}")
        offset = _offset(zone, now)
        day = (now + offset).date()
        if weekly:
            left = None if budget is None else budget - counted
            weeks = _weeks_to_skip(calendar, now, day, offset, until, left)
            if weeks:
                now, counted = now + weeks * WEEK, counted + weeks * weekly
                continue
        # One local day, or up to the next offset change within it.
        midnight = datetime.combine(day, time()) - offset  # local midnight at this offset, in UTC
        stop = midnight + DAY
        if _offset(zone, stop) != offset:
            stop = _change_after(zone, now, stop, offset)
        if until is not None:
            stop = min(stop, until)
        if day not in calendar.holidays:
            for first, last in calendar.hours[day.weekday()]:
                span_start = max(now, midnight + first * MINUTE)
                span_end = min(stop, midnight + last * MINUTE)
                if span_start >= span_end:
                    continue
                if budget is not None and counted + (span_end - span_start) >= budget:
                    return span_start + (budget - counted), budget
                counted += span_end - span_start
        now = stop


def add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: float) -> datetime:
    """The instant (aware, UTC) at which `minutes` of business time have passed since `start`.

    Zero minutes is `start` itself, even outside working hours; a target that ends exactly when
    an interval closes is that closing instant, not the next opening.
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError("minutes must be a finite number >= 0")
    begin = _utc(start, "start")
    if minutes == 0:
        return begin.replace(tzinfo=UTC)
    if not calendar.weekly:
        raise ValueError("the calendar has no working hours: no deadline can be reached")
    # Out of reach even with every week fully worked and each year's fall-backs (at most two,
    # each repeating at most two hours) repeating working time: refuse at once, no walk.
    weeks = (LATEST - begin) // WEEK + 1
    repeats = (weeks // 52 + 1) * 2 * min(timedelta(hours=2), calendar.weekly)
    if timedelta(minutes=minutes) > weeks * calendar.weekly + repeats:
        raise ValueError(f"the result lies beyond the year {LATEST.year}")
    end, _ = _walk(calendar, begin, budget=timedelta(minutes=minutes))
    return end.replace(tzinfo=UTC)


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Business time from `start` to `end`; negative when `end` comes first."""
    begin, finish = _utc(start, "start"), _utc(end, "end")
    if finish < begin:
        return -business_time_between(calendar, end, start)
    if not calendar.weekly or finish == begin:
        return timedelta(0)
    return _walk(calendar, begin, until=finish)[1]


def business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
    """Business minutes from `start` to `end` (fractional when they are not whole minutes)."""
    return business_time_between(calendar, start, end) / MINUTE
