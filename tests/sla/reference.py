"""A deliberately slow business clock to check the fast one against: it steps minute by minute in
UTC and asks, for each minute, whether the local wall clock then reads a working time of a
working date. It shares nothing with deskboard.sla but the definition of "open"."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
# Hours as plain minutes per weekday, Monday first: [[(540, 1020)], [], ...].
RawHours = Sequence[Sequence[tuple[int, int]]]


class ReferenceClock:
    def __init__(self, timezone: str, hours: RawHours, holidays: Sequence[date], max_steps: int):
        self.zone = ZoneInfo(timezone)
        self.hours = hours
        self.holidays = set(holidays)
        self.max_steps = max_steps

    def is_open(self, instant: datetime) -> bool:
        """Whether the minute starting at `instant` (whole minutes, UTC) is working time."""
        local = instant.astimezone(self.zone)
        if local.date() in self.holidays:
            return False
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.hours[local.weekday()])

    def add(self, start: datetime, minutes: int) -> datetime:
        """The end of the `minutes`-th working minute from start (start itself for 0)."""
        instant, counted = start.astimezone(UTC), 0
        for _ in range(self.max_steps):
            if counted == minutes:
                return instant
            if self.is_open(instant):
                counted += 1
            instant += MINUTE
        raise RuntimeError("the reference ran out of steps")

    def between(self, start: datetime, end: datetime) -> int:
        instant, counted = start.astimezone(UTC), 0
        while instant < end:
            counted += self.is_open(instant)
            instant += MINUTE
        return counted
