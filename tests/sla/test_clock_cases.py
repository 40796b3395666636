"""Hand-counted business-clock cases: 2026's DST days, Christmas, midnight, "24:00", closing
times, empty weeks and the far future."""

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.clock import add_business_minutes, business_minutes_between

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
OFFICE = {day: [["09:00", "12:30"], ["13:30", "17:00"]] for day in WEEKDAYS}


def every_day(*intervals: list[str]) -> dict[str, list[list[str]]]:
    return {day: list(intervals) for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}


def local(zone: ZoneInfo, *parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=zone, fold=fold)  # type: ignore[misc]


def hours_on(zone: ZoneInfo, calendar: BusinessCalendar, day: tuple[int, int, int]) -> float:
    start = local(zone, *day)
    end = local(zone, *(start.date() + timedelta(days=1)).timetuple()[:3])
    return business_minutes_between(calendar, start, end) / 60


@pytest.mark.parametrize(
    ("zone", "interval", "day", "hours"),
    [
        # Berlin springs forward on 29 March 2026 at 02:00 (to 03:00): the day has 23 hours.
        (BERLIN, ["00:00", "24:00"], (2026, 3, 29), 23),
        (BERLIN, ["09:00", "17:00"], (2026, 3, 29), 8),
        (BERLIN, ["01:00", "04:00"], (2026, 3, 29), 2),
        (BERLIN, ["02:00", "03:00"], (2026, 3, 29), 0),  # wholly in the gap: closed
        # Berlin falls back on 25 October 2026 at 03:00 (to 02:00): 02:00-03:00 happens twice.
        (BERLIN, ["00:00", "24:00"], (2026, 10, 25), 25),
        (BERLIN, ["01:00", "04:00"], (2026, 10, 25), 4),
        (BERLIN, ["02:00", "02:30"], (2026, 10, 25), 1),  # both passes are open
        (BERLIN, ["09:00", "17:00"], (2026, 10, 25), 8),
        # New York: forward on 8 March (02:00 -> 03:00), back on 1 November (02:00 -> 01:00).
        (NEW_YORK, ["00:00", "24:00"], (2026, 3, 8), 23),
        (NEW_YORK, ["01:00", "02:00"], (2026, 11, 1), 2),
        # Sydney: back on 5 April (03:00 -> 02:00), forward on 4 October (02:00 -> 03:00).
        (SYDNEY, ["02:00", "03:00"], (2026, 4, 5), 2),
        (SYDNEY, ["00:00", "24:00"], (2026, 10, 4), 23),
        (KOLKATA, ["00:00", "24:00"], (2026, 3, 29), 24),
    ],
)
def test_a_dst_day_counts_the_real_time_its_wall_clock_hours_last(zone, interval, day, hours):
    calendar = BusinessCalendar.from_document(zone.key, every_day(interval))
    assert hours_on(zone, calendar, day) == hours


def test_a_deadline_across_the_spring_gap_lands_on_the_wall_clock():
    calendar = BusinessCalendar.from_document("Europe/Berlin", every_day(["00:00", "24:00"]))
    due = add_business_minutes(calendar, local(BERLIN, 2026, 3, 29, 1, 30), 60)
    assert due.astimezone(BERLIN) == local(BERLIN, 2026, 3, 29, 3, 30)


def test_a_deadline_in_the_repeated_hour_counts_both_passes():
    calendar = BusinessCalendar.from_document("Europe/Berlin", every_day(["02:00", "03:00"]))
    start = local(BERLIN, 2026, 10, 25, 2, 30)  # the first pass (CEST)
    due = add_business_minutes(calendar, start, 60)
    assert due == local(BERLIN, 2026, 10, 25, 2, 30, fold=1).astimezone(UTC)  # second pass (CET)


def test_christmas_and_the_weekend_are_skipped():
    calendar = BusinessCalendar.from_document(
        "Europe/Berlin", OFFICE, ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]
    )
    # Wed 23 Dec 16:00: 60 minutes that day, 24-27 closed, Monday 28th from 09:00.
    due = add_business_minutes(calendar, local(BERLIN, 2026, 12, 23, 16, 0), 120)
    assert due == local(BERLIN, 2026, 12, 28, 10, 0).astimezone(UTC)
    # Mon 28th to Tue 29th: 2026-12-28/29/30 at 7 h each, 31st and 1st closed, Monday the 4th.
    week = business_minutes_between(
        calendar, local(BERLIN, 2026, 12, 28, 0, 0), local(BERLIN, 2027, 1, 5, 0, 0)
    )
    assert week == 4 * 7 * 60


def test_a_target_ending_mid_break_continues_after_the_break():
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE)
    due = add_business_minutes(calendar, local(BERLIN, 2026, 12, 2, 12, 0), 60)  # a Wednesday
    assert due == local(BERLIN, 2026, 12, 2, 14, 0).astimezone(UTC)


def test_a_target_reached_at_closing_time_is_closing_time_not_next_morning():
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE)
    friday = local(BERLIN, 2026, 12, 4, 16, 0)
    assert add_business_minutes(calendar, friday, 60) == local(BERLIN, 2026, 12, 4, 17, 0)
    assert add_business_minutes(calendar, friday, 61) == local(BERLIN, 2026, 12, 7, 9, 1)


def test_zero_minutes_is_the_start_even_out_of_hours():
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE)
    saturday = local(BERLIN, 2026, 12, 5, 3, 0)
    assert add_business_minutes(calendar, saturday, 0) == saturday
    assert add_business_minutes(calendar, saturday, 0).tzinfo is UTC


def test_intervals_run_through_midnight_with_a_24_00_end():
    calendar = BusinessCalendar.from_document(
        "America/New_York", {"mon": [["22:00", "24:00"]], "tue": [["00:00", "02:00"]]}
    )
    due = add_business_minutes(calendar, local(NEW_YORK, 2026, 11, 30, 23, 0), 120)
    assert due == local(NEW_YORK, 2026, 12, 1, 1, 0).astimezone(UTC)


def test_kolkata_half_hour_offset():
    calendar = BusinessCalendar.from_document("Asia/Kolkata", {"fri": [["09:00", "17:00"]]})
    due = add_business_minutes(calendar, datetime(2026, 12, 4, 3, 0, tzinfo=UTC), 30)
    assert due == datetime(2026, 12, 4, 4, 0, tzinfo=UTC)  # opens 03:30 UTC


def test_fractional_starts_and_minutes():
    calendar = BusinessCalendar.from_document("UTC", every_day(["00:00", "24:00"]))
    start = datetime(2026, 12, 4, 10, 0, 30, tzinfo=UTC)
    assert add_business_minutes(calendar, start, 1.5) == datetime(2026, 12, 4, 10, 2, tzinfo=UTC)
    assert business_minutes_between(calendar, start, start + timedelta(seconds=45)) == 0.75


def test_a_week_without_working_hours_is_an_error_not_an_endless_loop():
    calendar = BusinessCalendar.from_document("Europe/Berlin", {})
    start = local(BERLIN, 2026, 12, 4, 9, 0)
    with pytest.raises(ValueError, match="no working hours"):
        add_business_minutes(calendar, start, 1)
    assert add_business_minutes(calendar, start, 0) == start
    assert business_minutes_between(calendar, start, start + timedelta(days=10**5)) == 0


def test_bad_arguments_are_refused():
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_minutes(calendar, datetime(2026, 12, 4, 9, 0), 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        business_minutes_between(calendar, datetime(2026, 12, 4), local(BERLIN, 2026, 12, 5))
    for minutes in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="minutes"):
            add_business_minutes(calendar, local(BERLIN, 2026, 12, 4, 9, 0), minutes)


def test_the_far_future_is_bounded_with_a_clear_error():
    sparse = BusinessCalendar.from_document("Europe/Berlin", {"mon": [["09:00", "09:01"]]})
    start = local(BERLIN, 2026, 12, 4, 9, 0)
    with pytest.raises(ValueError, match="beyond the year 9000"):
        add_business_minutes(sparse, start, 10**6)  # one minute a week: ~19,000 years
    with pytest.raises(ValueError, match="outside"):
        add_business_minutes(sparse, datetime(9500, 1, 1, tzinfo=UTC), 1)
    due = add_business_minutes(sparse, start, 30_000).astimezone(BERLIN)
    assert due == local(
        BERLIN, *(date(2026, 12, 7) + timedelta(weeks=29_999)).timetuple()[:3], 9, 1
    )


def test_holidays_far_in_the_past_or_every_day_for_months_are_walked_through():
    months = [f"2027-{m:02d}-{d:02d}" for m in range(1, 7) for d in range(1, 29)]
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE, months)
    due = add_business_minutes(calendar, local(BERLIN, 2026, 12, 31, 17, 0), 60)
    assert due.astimezone(BERLIN).date().isoformat() == "2027-01-29"


def test_adding_100000_minutes_takes_whole_weeks_at_a_time():
    calendar = BusinessCalendar.from_document("Europe/Berlin", OFFICE, ["2026-12-25"])
    start = local(BERLIN, 2026, 12, 4, 9, 0)
    began = time.perf_counter()
    due = add_business_minutes(calendar, start, 100_000)
    measured = business_minutes_between(calendar, start, due)
    elapsed = time.perf_counter() - began
    assert measured == 100_000
    assert elapsed < 0.05, elapsed  # minute by minute would be ~0.5 s; day by day ~10 ms
