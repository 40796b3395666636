"""Business calendar test kit: calendars made through the API, rows read back."""

import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskboard.audit.models import AuditEntry
from deskboard.core import time as core_time
from deskboard.db import Database
from deskboard.sla.models import Calendar, SlaPolicy

OFFICE_HOURS = {
    "mon": [["09:00", "12:30"], ["13:30", "17:00"]],
    "tue": [["09:00", "17:00"]],
    "wed": [["09:00", "17:00"]],
    "thu": [["09:00", "17:00"]],
    "fri": [["09:00", "15:00"]],
}
GOOD_CALENDAR = {"name": "Munich office", "timezone": "Europe/Berlin", "hours": OFFICE_HOURS}

MakeCalendar = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_calendar() -> MakeCalendar:
    """Factory: POST a calendar as `http` (201 expected) and return its JSON."""

    async def factory(http: httpx.AsyncClient, **fields: Any) -> Any:
        response = await http.post("/api/calendars", json={**GOOD_CALENDAR, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return factory


StoredCalendars = Callable[[], Awaitable[list[tuple[Any, ...]]]]


@pytest.fixture
def stored_calendars(database: Database) -> StoredCalendars:
    """Every stored calendar as a tuple of its columns (a refused write must change nothing)."""

    async def read() -> list[tuple[Any, ...]]:
        async with database.sessionmaker() as session:
            rows = (await session.execute(select(Calendar).order_by(Calendar.id))).scalars()
            return [
                (c.id, c.name, c.timezone, c.hours, c.holidays, c.created_at, c.updated_at)
                for c in rows
            ]

    return read


@pytest.fixture
def calendar_audit(database: Database) -> Callable[[], Awaitable[list[AuditEntry]]]:
    async def read() -> list[AuditEntry]:
        async with database.sessionmaker() as session:
            stmt = (
                select(AuditEntry)
                .where(AuditEntry.entity_type == "calendar")
                .order_by(AuditEntry.id)
            )
            return list((await session.execute(stmt)).scalars())

    return read


def policy_body(calendar_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "name": "Urgent tickets",
        "conditions": {"priority": ["urgent"]},
        "calendar_id": calendar_id,
        "first_response_minutes": 60,
        "resolution_minutes": 480,
        **fields,
    }


MakePolicy = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def make_policy() -> MakePolicy:
    """Factory: POST an SLA policy as `http` (201 expected) and return its JSON."""

    async def factory(http: httpx.AsyncClient, calendar_id: int, **fields: Any) -> Any:
        response = await http.post("/api/sla-policies", json=policy_body(calendar_id, **fields))
        assert response.status_code == 201, response.text
        return response.json()

    return factory


@pytest.fixture
def stored_policies(database: Database) -> StoredCalendars:
    async def read() -> list[tuple[Any, ...]]:
        async with database.sessionmaker() as session:
            rows = (await session.execute(select(SlaPolicy).order_by(SlaPolicy.id))).scalars()
            return [
                (
                    p.id,
                    p.name,
                    p.position,
                    p.conditions,
                    p.calendar_id,
                    p.first_response_minutes,
                    p.resolution_minutes,
                    p.pause_statuses,
                    p.updated_at,
                )
                for p in rows
            ]

    return read


class Clock:
    """The application's current time, set by the test (None: the real time)."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def set(self, value: datetime) -> None:
        self.now = value


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Freeze `utcnow` in every deskboard module that imported it, at the instant the test sets."""
    original = core_time.utcnow
    frozen = Clock()

    def now() -> datetime:
        return frozen.now if frozen.now is not None else original()

    for name, module in list(sys.modules.items()):
        if name.startswith("deskboard") and getattr(module, "utcnow", None) is original:
            monkeypatch.setattr(module, "utcnow", now)
    return frozen
