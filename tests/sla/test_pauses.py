"""Pause accounting: business time spent paused, and due times that skip pauses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.clock import add_business_minutes, business_minutes_between
from deskboard.sla.pauses import (
    due_at,
    elapsed_business_minutes,
    merge_pauses,
    paused_business_minutes,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessCalendar.from_document(
    "Europe/Berlin", {day: [["09:00", "17:00"]] for day in ["mon", "tue", "wed", "thu", "fri"]}
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)  # 7 December 2026 is a Monday


def test_overlapping_and_touching_pauses_merge_and_an_open_one_swallows_the_rest():
    merged = merge_pauses(
        [(at(7, 12), at(7, 13)), (at(7, 10), at(7, 11)), (at(7, 11), at(7, 12, 30))]
    )
    assert merged == [(at(7, 10), at(7, 13))]
    assert merge_pauses([(at(7, 10), None), (at(7, 12), at(7, 13))]) == [(at(7, 10), None)]
    with pytest.raises(ValueError, match="ends before"):
        merge_pauses([(at(7, 12), at(7, 11))])


def test_paused_minutes_count_only_business_time_inside_the_window():
    pauses = [(at(7, 16), at(8, 10)), (at(9, 9), None)]  # overnight pause, then an open one
    paused = paused_business_minutes(OFFICE, pauses, since=at(7, 9), until=at(9, 11))
    assert paused == 60 + 60 + 120  # Mon 16-17, Tue 09-10, Wed 09-11 (open: runs to until)
    assert elapsed_business_minutes(OFFICE, pauses, start=at(7, 9), now=at(9, 11)) == (
        8 * 60 + 8 * 60 + 2 * 60 - paused
    )


def test_a_due_time_moves_by_the_business_time_paused():
    # 4 business hours from Monday 09:00, with Monday 10:00-14:00 paused: due 17:00, not 13:00.
    due = due_at(OFFICE, [(at(7, 10), at(7, 14))], start=at(7, 9), target_minutes=240)
    assert due == at(7, 17)
    # A pause after the target is reached changes nothing; an open pause before it stops the clock.
    assert due_at(OFFICE, [(at(8, 9), at(8, 12))], start=at(7, 9), target_minutes=240) == at(7, 13)
    assert due_at(OFFICE, [(at(7, 10), None)], start=at(7, 9), target_minutes=240) is None


def test_a_pause_outside_business_hours_costs_nothing():
    due = due_at(OFFICE, [(at(7, 18), at(8, 8))], start=at(7, 16), target_minutes=120)
    assert due == at(8, 10)


def test_recomputing_with_a_new_target_keeps_the_time_already_paused():
    pauses = [(at(7, 10), at(7, 12))]
    first = due_at(OFFICE, pauses, start=at(7, 9), target_minutes=8 * 60)
    second = due_at(OFFICE, pauses, start=at(7, 9), target_minutes=4 * 60)
    assert first == at(8, 11)
    assert second == at(7, 15)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.integers(0, 5 * 24 * 60),
    st.lists(st.tuples(st.integers(0, 10 * 24 * 60), st.integers(0, 3 * 24 * 60)), max_size=4),
    st.integers(0, 3000),
)
def test_the_clock_runs_exactly_the_target_outside_pauses(offset, raw, target):
    start = at(7, 0) + timedelta(minutes=offset)
    pauses = [(start + timedelta(minutes=a), start + timedelta(minutes=a + b)) for a, b in raw]
    due = due_at(OFFICE, pauses, start=start, target_minutes=target)
    assert due is not None
    assert elapsed_business_minutes(OFFICE, pauses, start=start, now=due) == target
    assert due >= add_business_minutes(OFFICE, start, target)
    paused = paused_business_minutes(OFFICE, pauses, since=start, until=due)
    assert business_minutes_between(OFFICE, start, due) == target + paused
