"""Property tests: the fast business clock against the minute-by-minute reference, over real zones
with DST, random working intervals and holidays, and starts near the DST changes of 2026."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deskboard.sla.calendar import BusinessCalendar
from deskboard.sla.clock import add_business_minutes, business_minutes_between
from tests.sla.reference import ReferenceClock

# Bounded and repeatable: the same examples on every run (CI stays stable), a few seconds each.
BOUNDED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
CHEAP = settings(BOUNDED, max_examples=300)

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
# 2026's DST changes (UTC) of the zones above, Christmas and a year's end: where bugs live.
LANDMARKS = [
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York springs forward
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Berlin springs forward
    datetime(2026, 4, 4, 16, 0, tzinfo=UTC),  # Sydney falls back
    datetime(2026, 10, 3, 16, 0, tzinfo=UTC),  # Sydney springs forward
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Berlin falls back
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York falls back
    datetime(2026, 12, 24, 12, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 22, 0, tzinfo=UTC),
]


@st.composite
def day_hours(draw: st.DrawFn) -> list[tuple[int, int]]:
    """0-3 disjoint intervals on a half-hour grid (so 02:00-03:00 DST hours come up often)."""
    cuts = draw(st.lists(st.integers(0, 48), min_size=0, max_size=6, unique=True))
    cuts = sorted(cuts)[: len(cuts) // 2 * 2]
    return [(cuts[i] * 30, cuts[i + 1] * 30) for i in range(0, len(cuts), 2)]


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, ReferenceClock, datetime]:
    zone = draw(st.sampled_from(ZONES))
    hours = draw(st.lists(day_hours(), min_size=7, max_size=7))
    weekly = sum(end - start for day in hours for start, end in day)
    assume(weekly >= 60)
    start = draw(st.sampled_from(LANDMARKS)) + timedelta(minutes=draw(st.integers(-4320, 4320)))
    first = start.date() - timedelta(days=2)
    holidays = draw(
        st.lists(st.integers(0, 30).map(lambda n: first + timedelta(days=n)), max_size=4)
    )
    calendar = BusinessCalendar(zone, tuple(tuple(day) for day in hours), frozenset(holidays))
    # The reference needs at most a few weeks here: targets stay under two weeks' work.
    reference = ReferenceClock(zone, hours, holidays, max_steps=10 * 7 * 24 * 60)
    return calendar, reference, start


def _target(draw: st.DrawFn, calendar: BusinessCalendar) -> int:
    return draw(st.integers(0, min(2 * calendar.weekly_minutes, 4000)))


@BOUNDED
@given(cases(), st.data())
def test_adding_matches_the_reference(case, data):
    calendar, reference, start = case
    minutes = _target(data.draw, calendar)
    assert add_business_minutes(calendar, start, minutes) == reference.add(start, minutes)


@BOUNDED
@given(cases(), st.integers(0, 20 * 24 * 60))
def test_measuring_matches_the_reference(case, span):
    calendar, reference, start = case
    end = start + timedelta(minutes=span)
    assert business_minutes_between(calendar, start, end) == reference.between(start, end)


@CHEAP
@given(cases(), st.data(), st.integers(0, 59_999_999))
def test_measuring_what_was_added_gives_it_back(case, data, microseconds):
    calendar, _, start = case
    start += timedelta(microseconds=microseconds)  # not only whole minutes
    minutes = _target(data.draw, calendar)
    due = add_business_minutes(calendar, start, minutes)
    assert business_minutes_between(calendar, start, due) == minutes


@CHEAP
@given(cases(), st.data())
def test_more_minutes_never_end_earlier(case, data):
    calendar, _, start = case
    fewer, more = sorted([_target(data.draw, calendar), _target(data.draw, calendar)])
    assert add_business_minutes(calendar, start, fewer) <= add_business_minutes(
        calendar, start, more
    )
    later = start + timedelta(minutes=data.draw(st.integers(0, 30 * 24 * 60)))
    assert (
        0
        <= business_minutes_between(calendar, start, start)
        <= business_minutes_between(calendar, start, later)
    )


@CHEAP
@given(cases(), st.data())
def test_adding_in_two_steps_is_adding_once(case, data):
    calendar, _, start = case
    first, second = _target(data.draw, calendar), _target(data.draw, calendar)
    step = add_business_minutes(calendar, add_business_minutes(calendar, start, first), second)
    assert step == add_business_minutes(calendar, start, first + second)


@CHEAP
@given(cases(), st.integers(-30 * 24 * 60, 30 * 24 * 60), st.integers(-30 * 24 * 60, 30 * 24 * 60))
def test_measurements_add_up_in_any_order(case, first, second):
    calendar, _, start = case
    middle, end = start + timedelta(minutes=first), start + timedelta(minutes=second)
    whole = business_minutes_between(calendar, start, end)
    assert (
        business_minutes_between(calendar, start, middle)
        + business_minutes_between(calendar, middle, end)
        == whole
    )
    assert business_minutes_between(calendar, end, start) == -whole


@BOUNDED
@given(cases(), st.integers(1, 150), st.integers(0, 3))
def test_long_targets_skip_whole_weeks_exactly(case, weeks, extra_hours):
    """Many weeks at once (the fast path) agree with summing 3-day pieces, each too short to skip
    a week, so measured day by day."""
    calendar, _, start = case
    minutes = weeks * calendar.weekly_minutes + extra_hours * 60
    due = add_business_minutes(calendar, start, minutes)
    pieces, cursor = 0.0, start
    while cursor < due:
        step = min(cursor + timedelta(days=3), due)
        pieces += business_minutes_between(calendar, cursor, step)
        cursor = step
    assert pieces == minutes


def test_the_landmarks_are_real_changes_or_named_days():
    """Guard the strategy itself: each DST landmark is within an hour of an offset change."""
    from zoneinfo import ZoneInfo

    changes = 0
    for landmark in LANDMARKS:
        for name in ZONES:
            zone = ZoneInfo(name)
            before = (landmark - timedelta(hours=1)).astimezone(zone).utcoffset()
            after = (landmark + timedelta(hours=1)).astimezone(zone).utcoffset()
            changes += before != after
    assert changes == 6
    assert date(2026, 12, 24) == LANDMARKS[6].date()
