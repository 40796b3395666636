"""Saved reply rules: who sees and writes which scope, filling a reply in for a ticket, usage.

Personal replies are their owner's alone (admins included: they are someone's drafts). Team
replies are for the team's members; admins, who keep the teams, see and write every team's.
Global replies are read by all staff and written by admins. A reply the caller may not see is
a 404, as if it did not exist; one they see but may not change is a 403."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, false, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.auth.roles import Role
from deskboard.core.errors import Forbidden, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.replies import templating
from deskboard.replies.models import SavedReply
from deskboard.replies.schemas import (
    RenderedReply,
    SavedReplyCreate,
    SavedReplyRead,
    SavedReplyUpdate,
    Scope,
)
from deskboard.teams.models import Team
from deskboard.teams.service import team_ids_of
from deskboard.tickets.service import get_visible_ticket

ENTITY = "saved_reply"


@dataclass(frozen=True)
class Caller:
    """The caller and the teams they are in: everything the scope rules need."""

    user: User
    team_ids: frozenset[int]

    @property
    def admin(self) -> bool:
        return self.user.role == Role.admin

    def may_see(self, scope: str, owner_id: int | None, team_id: int | None) -> bool:
        if scope == Scope.personal:
            return owner_id == self.user.id
        if scope == Scope.team:
            return self.admin or team_id in self.team_ids
        return scope == Scope.global_

    def may_write(self, scope: str, owner_id: int | None, team_id: int | None) -> bool:
        if scope == Scope.global_:
            return self.admin
        return self.may_see(scope, owner_id, team_id)

    def visible(self) -> ColumnElement[bool]:
        """may_see as SQL."""
        team = SavedReply.scope == Scope.team.value
        if not self.admin:
            team = and_(team, SavedReply.team_id.in_(self.team_ids)) if self.team_ids else false()
        return or_(
            and_(SavedReply.scope == Scope.personal.value, SavedReply.owner_id == self.user.id),
            team,
            SavedReply.scope == Scope.global_.value,
        )


async def caller(session: AsyncSession, user: User) -> Caller:
    return Caller(user=user, team_ids=frozenset(await team_ids_of(session, user.id)))


def _read(row: SavedReply, who: Caller) -> SavedReplyRead:
    return SavedReplyRead(
        id=row.id,
        title=row.title,
        body=row.body,
        scope=Scope(row.scope),
        team_id=row.team_id,
        owner_id=row.owner_id,
        usage_count=row.usage_count,
        last_used_at=row.last_used_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        can_edit=who.may_write(row.scope, row.owner_id, row.team_id),
    )


def _document(row: SavedReply) -> dict[str, Any]:
    """What the audit log keeps of a reply."""
    return {
        "title": row.title,
        "body": row.body,
        "scope": row.scope,
        "team_id": row.team_id,
        "owner_id": row.owner_id,
    }


def _invalid(field: str, message: str, kind: str) -> Unprocessable:
    return Unprocessable([{"loc": ["body", field], "msg": message, "type": kind}])


async def _check_team(session: AsyncSession, scope: Scope, team_id: int | None) -> None:
    if scope == Scope.team and team_id is None:
        raise _invalid("team_id", "a team reply names its team", "missing")
    if scope != Scope.team and team_id is not None:
        raise _invalid("team_id", f"only a team reply has a team, not a {scope} one", "extra")
    if team_id is not None and await session.get(Team, team_id) is None:
        raise _invalid("team_id", f"No team {team_id}", "not_found")


def _refuse(scope: Scope) -> Forbidden:
    if scope == Scope.global_:
        return Forbidden("Only admins write global replies")
    if scope == Scope.team:
        return Forbidden("Only the team's members (and admins) write its replies")
    return Forbidden("A personal reply is its owner's alone")


async def list_replies(
    session: AsyncSession, *, user: User, q: str | None, scope: Scope | None, limit: int
) -> list[SavedReplyRead]:
    """The replies the caller may use, most used first, then by title."""
    who = await caller(session, user)
    stmt = select(SavedReply).where(who.visible())
    if scope is not None:
        stmt = stmt.where(SavedReply.scope == scope.value)
    if q:
        stmt = stmt.where(func.lower(SavedReply.title).contains(q.lower(), autoescape=True))
    stmt = stmt.order_by(
        SavedReply.usage_count.desc(), func.lower(SavedReply.title), SavedReply.id
    ).limit(limit)
    return [_read(row, who) for row in (await session.execute(stmt)).scalars()]


async def _visible_row(session: AsyncSession, who: Caller, reply_id: int) -> SavedReply:
    row = await session.get(SavedReply, reply_id)
    if row is None or not who.may_see(row.scope, row.owner_id, row.team_id):
        raise NotFound(f"No saved reply {reply_id}")
    return row


async def get_reply(session: AsyncSession, *, user: User, reply_id: int) -> SavedReplyRead:
    who = await caller(session, user)
    return _read(await _visible_row(session, who, reply_id), who)


async def create_reply(
    session: AsyncSession, *, user: User, data: SavedReplyCreate
) -> SavedReplyRead:
    who = await caller(session, user)
    await _check_team(session, data.scope, data.team_id)
    if not who.may_write(data.scope, user.id, data.team_id):
        raise _refuse(data.scope)
    now = utcnow()
    row = SavedReply(
        title=data.title,
        body=data.body,
        scope=data.scope.value,
        owner_id=user.id,
        team_id=data.team_id,
        usage_count=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        actor_id=user.id,
        action="saved_reply.created",
        entity_type=ENTITY,
        entity_id=row.id,
        after=_document(row),
    )
    return _read(row, who)


async def update_reply(
    session: AsyncSession, *, user: User, reply_id: int, data: SavedReplyUpdate
) -> SavedReplyRead:
    who = await caller(session, user)
    row = await _visible_row(session, who, reply_id)
    if not who.may_write(row.scope, row.owner_id, row.team_id):
        raise _refuse(Scope(row.scope))
    before = _document(row)
    scope = data.scope or Scope(row.scope)
    if "team_id" in data.model_fields_set and data.team_id is not None:
        team_id: int | None = data.team_id
    else:  # left out or null: the team it has, if it stays a team reply
        team_id = row.team_id if scope == Scope.team else None
    # Moved into "personal", a reply becomes the mover's own.
    owner_id = user.id if scope == Scope.personal and row.scope != scope else row.owner_id
    await _check_team(session, scope, team_id)
    if not who.may_write(scope, owner_id, team_id):
        raise _refuse(scope)
    if data.title is not None:
        row.title = data.title
    if data.body is not None:
        row.body = data.body
    row.scope, row.team_id, row.owner_id = scope.value, team_id, owner_id
    row.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=user.id,
        action="saved_reply.updated",
        entity_type=ENTITY,
        entity_id=row.id,
        before=before,
        after=_document(row),
    )
    return _read(row, who)


async def delete_reply(session: AsyncSession, *, user: User, reply_id: int) -> None:
    who = await caller(session, user)
    row = await _visible_row(session, who, reply_id)
    if not who.may_write(row.scope, row.owner_id, row.team_id):
        raise _refuse(Scope(row.scope))
    before = _document(row)
    deleted = await session.execute(delete(SavedReply).where(SavedReply.id == row.id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No saved reply {reply_id}")
    audit.record(
        session,
        actor_id=user.id,
        action="saved_reply.deleted",
        entity_type=ENTITY,
        entity_id=reply_id,
        before=before,
    )


async def render_reply(
    session: AsyncSession, *, user: User, reply_id: int, ticket_id: int
) -> RenderedReply:
    """The reply filled in for a ticket the caller may see; counts one use."""
    who = await caller(session, user)
    row = await _visible_row(session, who, reply_id)
    try:  # the tickets' own visibility rule (a ticket the caller may not see is "no ticket")
        ticket = await get_visible_ticket(session, ticket_id=ticket_id, viewer=user)
    except NotFound as exc:
        raise _invalid("ticket_id", f"No ticket {ticket_id}", "not_found") from exc
    context = templating.make_context(
        ticket={
            "id": ticket.id,
            "number": ticket.number,
            "title": ticket.title,
            "status": ticket.status,
            "priority": ticket.priority,
        },
        requester={"name": ticket.requester.name, "email": ticket.requester.email},
        agent={"name": user.name, "email": user.email},
    )
    try:
        body = templating.render(row.body, context)
    except templating.TemplateProblem as problem:
        raise Unprocessable(
            [{"loc": ["saved_reply", "body"], "msg": str(problem), "type": "template"}]
        ) from None
    # One statement: concurrent uses all count (no read-modify-write).
    await session.execute(
        update(SavedReply)
        .where(SavedReply.id == row.id)
        .values(usage_count=SavedReply.usage_count + 1, last_used_at=utcnow())
    )
    return RenderedReply(body=body)
