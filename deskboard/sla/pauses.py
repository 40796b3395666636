"""Pause accounting for SLA clocks: business time spent paused, and due times that skip pauses.

A pause is (start, end) with end None while it lasts. The clock counts business time outside
every pause, so recomputing a due time (new priority, team or policy) from the ticket's start and
its recorded pauses keeps the time already paused.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.clock import MINUTE, add_business_minutes, business_time_between

Pause = tuple[datetime, datetime | None]


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Pauses in order with overlapping or touching ones joined (an open one swallows the rest)."""
    ordered = sorted(pauses, key=lambda pause: pause[0])
    merged: list[Pause] = []
    for start, end in ordered:
        if end is not None and end < start:
            raise ValueError("a pause ends before it starts")
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def paused_business_minutes(
    calendar: BusinessCalendar, pauses: Iterable[Pause], *, since: datetime, until: datetime
) -> float:
    """Business minutes within [since, until] that fell inside a pause (open ones run to until)."""
    total = timedelta(0)
    for start, end in merge_pauses(pauses):
        low, high = max(start, since), min(until if end is None else end, until)
        if low < high:
            total += business_time_between(calendar, low, high)
    return total / MINUTE


def elapsed_business_minutes(
    calendar: BusinessCalendar, pauses: Iterable[Pause], *, start: datetime, now: datetime
) -> float:
    """Business minutes the clock has run from start to now, pauses left out."""
    if now <= start:
        return 0.0
    paused = paused_business_minutes(calendar, pauses, since=start, until=now)
    return business_time_between(calendar, start, now) / MINUTE - paused


def due_at(
    calendar: BusinessCalendar, pauses: Iterable[Pause], *, start: datetime, target_minutes: float
) -> datetime | None:
    """When the clock started at `start` reaches `target_minutes`, skipping the pauses; None
    while an open pause stops it before then (the due time is unknown until it resumes)."""
    cursor, left = start, timedelta(minutes=target_minutes)
    for pause_start, pause_end in merge_pauses(pauses):
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            running = business_time_between(calendar, cursor, pause_start)
            if running >= left:
                return add_business_minutes(calendar, cursor, left / MINUTE)
            left -= running
        if pause_end is None:
            return None
        cursor = max(cursor, pause_end)
    return add_business_minutes(calendar, cursor, left / MINUTE)
