"""Analytics fixtures: a small hand-counted desk written straight into the database."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from deskboard.analytics.cache import cache
from deskboard.db import Database
from deskboard.tickets.models import Ticket
from tests.conftest import register_reset

register_reset(cache.clear)

InsertTicket = Callable[..., Awaitable[int]]


@pytest.fixture
def insert_ticket(database: Database) -> InsertTicket:
    """Write one ticket with explicit timestamps (bypassing the service's rules)."""

    async def insert(**fields: Any) -> int:
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "title": "A ticket",
            "description": "",
            "status": "new",
            "priority": "normal",
            "created_at": now,
            "updated_at": now,
            "version": 1,
            **fields,
        }
        async with database.unit_of_work() as session:
            ticket = Ticket(**values)
            session.add(ticket)
            await session.flush()
            ticket.number = ticket.id
        cache.clear()
        return ticket.id

    return insert


@dataclass
class Desk:
    """Six tickets (t1..t6) whose every figure is counted by hand in the tests."""

    now: datetime
    today: datetime  # start of the current UTC day
    agent: Any  # RoleClient, assignee of t2 and t3
    other_agent_id: int  # assignee of t4 and t5
    requester: Any  # RoleClient, requester of t1, t2, t5
    other_requester_id: int  # requester of t3, t4, t6
    ids: dict[str, int]


@pytest.fixture
async def desk(as_agent, as_user, make_user, insert_ticket) -> Desk:
    """t1 new/urgent/unassigned, today, overdue       (requester U1)
    t2 open/high/A1, yesterday, first response 30 min   (U1)
    t3 pending/normal/A1, 5 days ago, response 2 h      (U2)
    t4 resolved/low/A2, 10 days ago, resolved 2 days ago, response 1 h (U2)
    t5 closed/normal/A2, 40 days ago, resolved 35 days ago, response 4 h (U1)
    t6 open/normal/unassigned, 45 days ago, overdue 3 days, response 2 h (U2)
    """
    now = datetime.now(UTC)
    today = datetime.combine(now.date(), time.min, tzinfo=UTC)
    other_agent = await make_user("agent", name="Zed Agent")
    other_requester = await make_user("user")
    u1, u2 = as_user.user.id, other_requester.id
    a1, a2 = as_agent.user.id, other_agent.id
    noon = timedelta(hours=12)

    def day(offset: int) -> datetime:
        return today - timedelta(days=offset) + noon

    t1_created = min(today + timedelta(minutes=1), now)
    ids = {
        "t1": await insert_ticket(
            status="new",
            priority="urgent",
            requester_id=u1,
            created_at=t1_created,
            due_at=now - timedelta(hours=1),
        ),
        "t2": await insert_ticket(
            status="open",
            priority="high",
            requester_id=u1,
            assignee_id=a1,
            created_at=day(1),
            first_response_at=day(1) + timedelta(minutes=30),
            due_at=now + timedelta(days=1),
        ),
        "t3": await insert_ticket(
            status="pending",
            priority="normal",
            requester_id=u2,
            assignee_id=a1,
            created_at=day(5),
            first_response_at=day(5) + timedelta(hours=2),
            due_at=now + timedelta(days=1),
        ),
        "t4": await insert_ticket(
            status="resolved",
            priority="low",
            requester_id=u2,
            assignee_id=a2,
            created_at=day(10),
            first_response_at=day(10) + timedelta(hours=1),
            resolved_at=day(2),
            due_at=day(3),
        ),
        "t5": await insert_ticket(
            status="closed",
            priority="normal",
            requester_id=u1,
            assignee_id=a2,
            created_at=day(40),
            first_response_at=day(40) + timedelta(hours=4),
            resolved_at=day(35),
        ),
        "t6": await insert_ticket(
            status="open",
            priority="normal",
            requester_id=u2,
            created_at=day(45),
            first_response_at=day(45) + timedelta(hours=2),
            due_at=now - timedelta(days=3),
        ),
    }
    return Desk(
        now=now,
        today=today,
        agent=as_agent,
        other_agent_id=a2,
        requester=as_user,
        other_requester_id=u2,
        ids=ids,
    )
