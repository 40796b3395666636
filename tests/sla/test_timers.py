"""A ticket's SLA clocks from its status history: due times, pauses, breaches (hand-counted)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from deskboard.sla.calendar import WEEKDAYS, BusinessCalendar
from deskboard.sla.clock import add_business_minutes
from deskboard.sla.policy_schemas import TicketSlaRead
from deskboard.sla.ticket_clocks import sla_view
from deskboard.sla.timers import Targets, pauses_from_statuses, sla_state
from deskboard.tickets.policy import RESPONSE_TIME, default_due_at

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessCalendar.from_document(
    "Europe/Berlin",
    {day: [["09:00", "17:00"]] for day in ["mon", "tue", "wed", "thu", "fri"]},
    ["2026-12-25"],
)
TARGETS = Targets(
    first_response_minutes=60, resolution_minutes=8 * 60, pause_statuses=frozenset({"pending"})
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)  # 7 December 2026: a Monday


def state(statuses, *, first_response_at=None, resolved_at=None, now):
    return sla_state(
        OFFICE,
        TARGETS,
        created_at=statuses[0][0],
        statuses=statuses,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        now=now,
    )


def test_pauses_follow_the_status_history():
    history = [
        (at(7, 9), "new"),
        (at(7, 10), "pending"),
        (at(7, 11), "pending"),  # still pending: one pause
        (at(7, 12), "open"),
        (at(7, 14), "pending"),
    ]
    assert pauses_from_statuses(history, {"pending"}) == [(at(7, 10), at(7, 12)), (at(7, 14), None)]
    assert pauses_from_statuses(history, set()) == []


def test_a_ticket_without_pauses_is_due_by_the_calendar():
    s = state([(at(7, 16), "new")], now=at(7, 16, 30))
    assert s.first_response_due_at == at(7, 17)  # reached as Monday closes
    assert s.resolution_due_at == at(8, 16)  # 1 h Monday, 7 h Tuesday
    assert (s.paused_minutes, s.paused) == (0, False)
    assert not s.first_response_breached and not s.resolution_breached


def test_breaches_are_judged_against_the_time_the_work_was_done_or_now():
    history = [(at(7, 9), "new")]
    late = state(history, first_response_at=at(7, 10, 1), now=at(7, 12))
    assert late.first_response_breached and not late.resolution_breached
    on_time = state(history, first_response_at=at(7, 10), now=at(9, 12))
    assert not on_time.first_response_breached and on_time.resolution_breached
    resolved = state(history, first_response_at=at(7, 9, 5), resolved_at=at(7, 17), now=at(9, 9))
    assert not resolved.resolution_breached  # resolved exactly at the due time


def test_time_pending_moves_both_due_times_and_is_kept_on_recompute():
    history = [(at(7, 9), "new"), (at(7, 9, 30), "pending"), (at(8, 9, 30), "open")]
    s = state(history, now=at(8, 10))
    # Paused from Monday 09:30 to Tuesday 09:30: 7.5 h of Monday, 0.5 h of Tuesday.
    assert s.paused_minutes == 8 * 60
    assert s.first_response_due_at == at(8, 10)
    assert s.resolution_due_at == at(8, 17)  # 30 min Monday + 7.5 h Tuesday from 09:30
    assert not s.paused
    tighter = sla_state(
        OFFICE,
        Targets(30, 120, frozenset({"pending"})),
        created_at=at(7, 9),
        statuses=history,
        first_response_at=None,
        resolved_at=None,
        now=at(8, 10),
    )
    assert tighter.resolution_due_at == at(8, 11)  # the 8 paused hours still count


def test_an_open_pause_stops_the_clock_and_never_breaches():
    s = state([(at(7, 9), "new"), (at(7, 9, 30), "pending")], now=at(11, 16))
    assert s.paused
    assert s.first_response_due_at is None and s.resolution_due_at is None
    assert not s.first_response_breached and not s.resolution_breached
    assert s.paused_minutes == 7.5 * 60 + 4 * 8 * 60 - 60  # to Friday 16:00


def test_a_first_response_given_while_pending_fixes_its_due_time():
    history = [(at(7, 9), "new"), (at(7, 9, 20), "pending")]
    s = state(history, first_response_at=at(7, 15), now=at(7, 16))
    assert s.first_response_due_at == at(7, 15, 40)  # 20 min before the pause, 40 after it ends
    assert not s.first_response_breached
    assert s.resolution_due_at is None  # still paused


def test_pauses_after_resolution_do_not_count():
    history = [(at(7, 9), "new"), (at(7, 12), "resolved"), (at(8, 9), "pending")]
    s = state(history, first_response_at=at(7, 10), resolved_at=at(7, 12), now=at(9, 9))
    assert s.paused_minutes == 0 and not s.paused
    assert s.resolution_due_at == at(7, 17)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.integers(0, 7 * 24 * 60), st.integers(1, 5000))
def test_without_pauses_the_due_times_are_plain_business_time(offset, target):
    created = at(7, 0) + offset * (at(7, 0, 1) - at(7, 0))
    s = sla_state(
        OFFICE,
        Targets(target, target, frozenset({"pending"})),
        created_at=created,
        statuses=[(created, "open")],
        first_response_at=None,
        resolved_at=None,
        now=created,
    )
    assert s.first_response_due_at == add_business_minutes(OFFICE, created, target)
    assert s.resolution_due_at == s.first_response_due_at


def test_the_ticket_sla_shape_is_designs():
    s = state([(at(7, 9), "new"), (at(7, 9, 30), "pending")], now=at(7, 12))
    row = SimpleNamespace(
        policy_id=7,
        first_response_due_at=s.first_response_due_at,
        resolution_due_at=s.resolution_due_at,
        paused_minutes=s.paused_minutes,
        paused=s.paused,
        first_response_breached=s.first_response_breached,
        resolution_breached=s.resolution_breached,
        risk_at=None,
    )
    view = sla_view(row, first_response_at=None, resolved_at=None, now=at(7, 12))
    shape = TicketSlaRead.model_validate(view).model_dump(mode="json")
    assert shape == {
        "policy_id": 7,
        "first_response_due_at": None,
        "resolution_due_at": None,
        "paused_minutes": 150.0,
        "paused": True,
        "at_risk": False,
        "breached": {"first_response": False, "resolution": False},
    }


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.sampled_from(sorted(RESPONSE_TIME)), st.integers(0, 3 * 365 * 24 * 3600))
def test_a_round_the_clock_utc_calendar_reproduces_todays_per_priority_due_dates(priority, seconds):
    """The existing due date is one policy per priority on a 24/7 UTC calendar (the migration
    to SLA policies keeps every due date)."""
    always = BusinessCalendar.from_document("UTC", {day: [["00:00", "24:00"]] for day in WEEKDAYS})
    created = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    target = RESPONSE_TIME[priority] / timedelta(minutes=1)
    assert add_business_minutes(always, created, target) == default_due_at(priority, created)
