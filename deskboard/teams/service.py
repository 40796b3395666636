"""Team rules: admins keep teams and their members (staff only, people rather than API token
accounts), staff read them; writes audited. Each write raises an internal `team.changed` event
(no browser hears it): members and restriction decide ticket visibility, so per-process caches
of visible figures (analytics) drop their entries in every server process."""

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.apitokens.service import token_accounts
from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.auth.roles import STAFF
from deskboard.core.errors import Conflict, NotFound, Unprocessable
from deskboard.core.events import Audience, Event, emit
from deskboard.core.time import utcnow
from deskboard.teams.models import Team, TeamMember
from deskboard.teams.schemas import TeamCreate, TeamRead, TeamUpdate

ENTITY = "team"


def _read(row: Team, member_ids: list[int]) -> TeamRead:
    return TeamRead(
        id=row.id,
        name=row.name,
        member_ids=member_ids,
        restrict_visibility=row.restrict_visibility,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _document(read: TeamRead) -> dict[str, Any]:
    """What the audit log keeps of a team."""
    return read.model_dump(mode="json", exclude={"created_at", "updated_at"})


async def _member_ids(session: AsyncSession, team_ids: list[int]) -> dict[int, list[int]]:
    stmt = (
        select(TeamMember.team_id, TeamMember.user_id)
        .where(TeamMember.team_id.in_(team_ids))
        .order_by(TeamMember.team_id, TeamMember.user_id)
    )
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in (await session.execute(stmt)).all():
        members[team_id].append(user_id)
    return members


async def _check_members(session: AsyncSession, member_ids: list[int]) -> None:
    """Members are existing staff (agents and admins): a 422 naming each id that is not."""
    if not member_ids:
        return
    stmt = select(User.id, User.role).where(User.id.in_(member_ids))
    roles = dict((await session.execute(stmt)).tuples().all())
    tokens = await token_accounts(session, member_ids)
    errors = []
    for index, user_id in enumerate(member_ids):
        role = roles.get(user_id)
        if role is None:
            message, kind = f"No user {user_id}", "not_found"
        elif role not in STAFF:
            message, kind = f"User {user_id} is a {role}: only agents and admins join teams", "role"
        elif user_id in tokens:
            message, kind = f"User {user_id} is an API token's account, not a person", "role"
        else:
            continue
        errors.append({"loc": ["body", "member_ids", index], "msg": message, "type": kind})
    if errors:
        raise Unprocessable(errors)


async def _check_name_free(session: AsyncSession, name: str, *, other_than: int | None) -> None:
    # The database's lower(), as the unique index uses (SQLite's folds ASCII only).
    stmt = select(Team.id).where(func.lower(Team.name) == func.lower(name))
    if other_than is not None:
        stmt = stmt.where(Team.id != other_than)
    if (await session.execute(stmt.limit(1))).first() is not None:
        raise Conflict(f"A team named {name!r} exists already")


async def _set_members(session: AsyncSession, team_id: int, member_ids: list[int]) -> None:
    await session.execute(delete(TeamMember).where(TeamMember.team_id == team_id))
    if member_ids:
        rows = [{"team_id": team_id, "user_id": user_id} for user_id in member_ids]
        await session.execute(insert(TeamMember), rows)


async def _flush(session: AsyncSession, name: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent write took the name (or a member went)
        raise Conflict(f"The team {name!r} conflicts with a concurrent change") from exc


def _changed(session: AsyncSession, team_id: int) -> None:
    emit(session, Event("team.changed", {"id": team_id}, Audience()))


async def list_teams(session: AsyncSession) -> list[TeamRead]:
    rows = list(
        (await session.execute(select(Team).order_by(func.lower(Team.name), Team.id))).scalars()
    )
    members = await _member_ids(session, [row.id for row in rows])
    return [_read(row, members.get(row.id, [])) for row in rows]


async def get_team_row(session: AsyncSession, *, team_id: int) -> Team:
    row = await session.get(Team, team_id)
    if row is None:
        raise NotFound(f"No team {team_id}")
    return row


async def get_team(session: AsyncSession, *, team_id: int) -> TeamRead:
    row = await get_team_row(session, team_id=team_id)
    return _read(row, (await _member_ids(session, [row.id])).get(row.id, []))


async def team_ids_of(session: AsyncSession, user_id: int) -> set[int]:
    """The teams a person is in."""
    stmt = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    return set((await session.execute(stmt)).scalars())


async def create_team(session: AsyncSession, *, actor: User, data: TeamCreate) -> TeamRead:
    await _check_name_free(session, data.name, other_than=None)
    await _check_members(session, data.member_ids)
    now = utcnow()
    row = Team(
        name=data.name,
        restrict_visibility=data.restrict_visibility,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await _flush(session, data.name)
    await _set_members(session, row.id, data.member_ids)
    read = _read(row, data.member_ids)
    audit.record(
        session,
        actor_id=actor.id,
        action="team.created",
        entity_type=ENTITY,
        entity_id=row.id,
        after=_document(read),
    )
    _changed(session, row.id)
    return read


async def update_team(
    session: AsyncSession, *, actor: User, team_id: int, data: TeamUpdate
) -> TeamRead:
    before = await get_team(session, team_id=team_id)
    row = await get_team_row(session, team_id=team_id)
    # Every check before the first change: a query after a change autoflushes it, and a name
    # clash would then surface there as an uncaught IntegrityError (a 500).
    if data.name is not None:
        await _check_name_free(session, data.name, other_than=row.id)
    member_ids = before.member_ids
    if data.member_ids is not None:
        await _check_members(session, data.member_ids)
        member_ids = data.member_ids
    if data.name is not None:
        row.name = data.name
    if data.restrict_visibility is not None:
        row.restrict_visibility = data.restrict_visibility
    row.updated_at = utcnow()
    await _flush(session, row.name)
    if data.member_ids is not None:
        await _set_members(session, row.id, member_ids)
    read = _read(row, member_ids)
    audit.record(
        session,
        actor_id=actor.id,
        action="team.updated",
        entity_type=ENTITY,
        entity_id=row.id,
        before=_document(before),
        after=_document(read),
    )
    _changed(session, row.id)
    return read


async def delete_team(session: AsyncSession, *, actor: User, team_id: int) -> None:
    """Delete a team that holds no tickets and no saved replies (409 saying how many otherwise).

    Tickets are not moved out silently: a restricted team's tickets would become visible to
    every agent. The admin moves them to another team (or none) first.
    """
    # Replies and tickets build on teams, not the reverse.
    from deskboard.replies.models import SavedReply
    from deskboard.tickets.models import Ticket

    before = await get_team(session, team_id=team_id)
    tickets = await session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.team_id == team_id)
    )
    stmt = select(func.count()).select_from(SavedReply).where(SavedReply.team_id == team_id)
    replies = await session.scalar(stmt) or 0
    if tickets:
        raise Conflict(
            f"{tickets} tickets belong to the team: move them to another team first",
            tickets=tickets,
            saved_replies=replies,
        )
    if replies:
        raise Conflict(
            f"The team has {replies} saved replies: delete them or move them first",
            tickets=0,
            saved_replies=replies,
        )
    try:
        deleted = await session.execute(delete(Team).where(Team.id == team_id))
    except IntegrityError as exc:  # a ticket or saved reply joined the team concurrently
        raise Conflict("The team gained tickets or saved replies meanwhile") from exc
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No team {team_id}")
    audit.record(
        session,
        actor_id=actor.id,
        action="team.deleted",
        entity_type=ENTITY,
        entity_id=team_id,
        before=_document(before),
    )
    _changed(session, team_id)
