"""Choosing a team member for an `assign` action: in turn, or the least loaded.

The rule+team cursor row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one writer
at a time and the ticket insert already holds it) from the choice until the transaction
commits, so concurrent tickets take turns: nobody gets two in a row while a colleague is free.
"""

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.auth.roles import STAFF
from deskboard.automations.models import AutomationCursor
from deskboard.teams.models import TeamMember
from deskboard.tickets.models import Ticket

OPEN_STATUSES = ("new", "open", "pending")


def next_in_turn(members: list[int], last: int | None) -> int:
    """The first member after `last` by id, wrapping around (members sorted, not empty)."""
    if last is not None:
        for member in members:
            if member > last:
                return member
    return members[0]


def least_open(members: list[int], open_counts: dict[int, int], last: int | None) -> int:
    """The member with the fewest open tickets; a tie goes to whoever is next in turn."""

    def key(member: int) -> tuple[int, int, int]:
        after_last = last is None or member > last
        return (open_counts.get(member, 0), 0 if after_last else 1, member)

    return min(members, key=key)


async def available_members(session: AsyncSession, team_id: int) -> list[int]:
    """Active staff members of the team not marked away, by id."""
    stmt = (
        select(User.id)
        .join(TeamMember, TeamMember.user_id == User.id)
        .where(
            TeamMember.team_id == team_id,
            User.is_active.is_(True),
            User.away.is_(False),
            User.role.in_(sorted(STAFF)),
        )
        .order_by(User.id)
    )
    return list((await session.execute(stmt)).scalars())


async def _lock_cursor(session: AsyncSession, automation_id: int, team_id: int) -> int | None:
    """Lock the rule+team cursor row (made on first use) and read whom it last named."""
    locked = (
        select(AutomationCursor.last_user_id)
        .where(AutomationCursor.automation_id == automation_id, AutomationCursor.team_id == team_id)
        .with_for_update()
    )
    row = (await session.execute(locked)).first()
    if row is not None:
        return row[0]
    # First use: concurrent first inserts meet at the primary key (the later one waits, then
    # does nothing), then everyone locks the one row.
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(AutomationCursor)
        .values(automation_id=automation_id, team_id=team_id, last_user_id=None)
        .on_conflict_do_nothing(index_elements=["automation_id", "team_id"])
    )
    return (await session.execute(locked)).scalar_one()


async def choose_member(
    session: AsyncSession, *, automation_id: int, team_id: int, strategy: str
) -> int | None:
    """The member to assign next (and move the rule's cursor to them), or None if nobody is
    available."""
    last = await _lock_cursor(session, automation_id, team_id)
    members = await available_members(session, team_id)
    if not members:
        return None
    if strategy == "least_open":
        stmt = (
            select(Ticket.assignee_id, func.count())
            .where(Ticket.assignee_id.in_(members), Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.assignee_id)
        )
        rows = (await session.execute(stmt)).tuples().all()
        counts = {assignee: count for assignee, count in rows if assignee is not None}
        chosen = least_open(members, counts, last)
    else:
        chosen = next_in_turn(members, last)
    await session.execute(
        update(AutomationCursor)
        .where(AutomationCursor.automation_id == automation_id, AutomationCursor.team_id == team_id)
        .values(last_user_id=chosen)
    )
    return chosen
