"""Business calendars as plain values: an IANA time zone, working intervals per weekday in local
wall-clock time, and holidays as local dates. Parsing and validation live here too, so the API's
schemas and the maths agree on what a valid calendar is.

Rule (what a help desk expects): opening hours are wall-clock times. The desk is open at an instant
when the local clock then reads a time inside one of that local date's intervals and the date is
not a holiday; business time is the real time elapsed while open. So a 09:00-17:00 day is 8 real
hours on an ordinary day; across a spring-forward gap inside the interval it is 7, across a
fall-back repeat inside it 9 (both passes of the repeated hour are open); an interval that lies
wholly in a gap is closed that day.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
DAY_MINUTES = 24 * 60
MAX_INTERVALS_PER_DAY = 12
MAX_HOLIDAYS = 2000
# Holidays outside these years are typing errors, not plans.
HOLIDAY_YEARS = (1970, 2200)

Interval = tuple[int, int]  # minutes since local midnight, [start, end), 0 <= start < end <= 1440

_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_clock(text: object, *, end: bool = False) -> int:
    """Parse "HH:MM" into minutes since midnight; "24:00" only as an interval's end."""
    if not isinstance(text, str):
        raise ValueError('a time is a string "HH:MM"')
    if end and text == "24:00":
        return DAY_MINUTES
    if not _CLOCK.fullmatch(text):
        allowed = '"00:00" to "24:00"' if end else '"00:00" to "23:59"'
        raise ValueError(f"{text!r} is not a time of day: use {allowed}")
    return int(text[:2]) * 60 + int(text[3:])


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_interval(pair: object) -> Interval:
    """Parse ["HH:MM", "HH:MM"] into an interval; the end must come after the start."""
    if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise ValueError('an interval is a pair ["HH:MM", "HH:MM"]')
    start, end = parse_clock(pair[0]), parse_clock(pair[1], end=True)
    if end <= start:
        raise ValueError(f"the interval {pair[0]}-{pair[1]} ends before it starts")
    return start, end


def check_day(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sort one weekday's intervals; overlapping ones are an error (touching ones are fine)."""
    ordered = tuple(sorted(intervals))
    if len(ordered) > MAX_INTERVALS_PER_DAY:
        raise ValueError(f"at most {MAX_INTERVALS_PER_DAY} intervals per day")
    for start, end in ordered:
        if not 0 <= start < end <= DAY_MINUTES:
            raise ValueError(f"the interval {start}-{end} is not within one day")
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            raise ValueError(
                f"the intervals {format_clock(s1)}-{format_clock(e1)} and "
                f"{format_clock(s2)}-{format_clock(e2)} overlap"
            )
    return ordered


def parse_day(pairs: object) -> tuple[Interval, ...]:
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Sequence):
        raise ValueError('a day is a list of intervals [["HH:MM", "HH:MM"], ...]')
    return check_day(parse_interval(pair) for pair in pairs)


def parse_holiday(text: object) -> date:
    """Parse an ISO date "YYYY-MM-DD" (only that spelling) within HOLIDAY_YEARS."""
    if isinstance(text, date):
        day = text
    elif isinstance(text, str) and _ISO_DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a date") from exc
    else:
        raise ValueError('a holiday is a date "YYYY-MM-DD"')
    if not HOLIDAY_YEARS[0] <= day.year <= HOLIDAY_YEARS[1]:
        raise ValueError(f"{day} is outside the years {HOLIDAY_YEARS[0]}-{HOLIDAY_YEARS[1]}")
    return day


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_timezone(name: object) -> str:
    """An IANA zone name that exists here ("Europe/Berlin"); never a path or a POSIX rule."""
    if not isinstance(name, str) or name not in known_timezones():
        raise ValueError(f"{name!r} is not a known IANA time zone (e.g. 'Europe/Berlin')")
    return name


@dataclass(frozen=True)
class BusinessCalendar:
    """When a desk works. Build with `from_document` (text) or directly with minutes."""

    timezone: str
    hours: tuple[tuple[Interval, ...], ...]  # seven weekdays, Monday first
    holidays: frozenset[date] = frozenset()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    sorted_holidays: tuple[date, ...] = field(init=False, repr=False, compare=False)
    weekly: timedelta = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parse_timezone(self.timezone)
        if len(self.hours) != 7:
            raise ValueError("hours has one entry per weekday, Monday first")
        hours = tuple(check_day(day) for day in self.hours)
        holidays = frozenset(parse_holiday(day) for day in self.holidays)
        if len(holidays) > MAX_HOLIDAYS:
            raise ValueError(f"at most {MAX_HOLIDAYS} holidays")
        object.__setattr__(self, "hours", hours)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "sorted_holidays", tuple(sorted(holidays)))
        weekly = sum(end - start for day in hours for start, end in day)
        object.__setattr__(self, "weekly", timedelta(minutes=weekly))

    @classmethod
    def from_document(
        cls,
        timezone: str,
        hours: Mapping[str, object],
        holidays: Iterable[object] = (),
    ) -> "BusinessCalendar":
        """Build from the API's shape {"mon": [["09:00", "17:00"]], ...}; missing days: closed."""
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekdays {sorted(unknown)}: use {', '.join(WEEKDAYS)}")
        days = tuple(parse_day(hours.get(name, [])) for name in WEEKDAYS)
        return cls(timezone, days, frozenset(parse_holiday(day) for day in holidays))

    def hours_document(self) -> dict[str, list[list[str]]]:
        """The hours in the API's shape, every weekday present, intervals in order."""
        return {
            name: [[format_clock(start), format_clock(end)] for start, end in day]
            for name, day in zip(WEEKDAYS, self.hours, strict=True)
        }

    @property
    def weekly_minutes(self) -> int:
        return int(self.weekly / timedelta(minutes=1))
