"""Saved view rules: a person sees their own views; staff also see the views shared with the
team (a requester never sees the team's queues); the owner (or an admin) changes them; sharing is
for staff (`views:share`)."""

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.auth.roles import Role, can
from deskboard.core.errors import Forbidden, NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.paging import TicketSort
from deskboard.tickets.querying import sees_all_tickets
from deskboard.views.models import SavedView
from deskboard.views.schemas import ViewCreate, ViewOwner, ViewRead, ViewUpdate

# Views one person may own: enough for any queue set, bounded so the list stays small.
MAX_VIEWS_PER_OWNER = 100


def filter_document(ticket_filter: TicketFilter) -> dict[str, Any]:
    """The filter as stored and as the list API's `filter=` takes it."""
    return ticket_filter.model_dump(mode="json", by_alias=True, exclude_none=True)


def may_edit(viewer: User, view: SavedView) -> bool:
    return can(viewer.role, "views:write") and (
        view.owner_id == viewer.id or viewer.role == Role.admin
    )


def view_read(view: SavedView, owner: User, viewer: User) -> ViewRead:
    return ViewRead(
        id=view.id,
        name=view.name,
        filter=TicketFilter.model_validate(view.filter),
        columns=view.columns,  # type: ignore[arg-type]
        sort=view.sort,  # type: ignore[arg-type]
        shared=view.shared,
        owner=ViewOwner(id=owner.id, name=owner.name),
        editable=may_edit(viewer, view),
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def sees_shared_views(viewer: User) -> bool:
    """The team's shared views are for the team: those who work every ticket."""
    return sees_all_tickets(viewer)


def may_see(viewer: User, view: SavedView) -> bool:
    return (
        view.owner_id == viewer.id
        or viewer.role == Role.admin
        or (view.shared and sees_shared_views(viewer))
    )


async def list_views(session: AsyncSession, *, viewer: User) -> list[ViewRead]:
    """The viewer's own views, then (for staff) the shared ones of others, each by name."""
    mine = SavedView.owner_id == viewer.id
    visible = or_(mine, SavedView.shared.is_(True)) if sees_shared_views(viewer) else mine
    stmt = (
        select(SavedView, User)
        .join(User, User.id == SavedView.owner_id)
        .where(visible)
        .order_by(mine.desc(), func.lower(SavedView.name), SavedView.id)
    )
    rows = (await session.execute(stmt)).all()
    return [view_read(view, owner, viewer) for view, owner in rows]


async def create_view(session: AsyncSession, *, actor: User, data: ViewCreate) -> ViewRead:
    if data.shared and not can(actor.role, "views:share"):
        raise Forbidden("Only agents and admins share views with the team")
    owned = await session.execute(
        select(func.count()).select_from(SavedView).where(SavedView.owner_id == actor.id)
    )
    if owned.scalar_one() >= MAX_VIEWS_PER_OWNER:
        raise Unprocessable(
            [
                {
                    "loc": ["body"],
                    "msg": f"You already have {MAX_VIEWS_PER_OWNER} views: delete one first",
                    "type": "too_many_views",
                }
            ]
        )
    now = utcnow()
    view = SavedView(
        owner_id=actor.id,
        name=data.name,
        filter=filter_document(data.filter),
        columns=[column.value for column in data.columns],
        sort=data.sort.value,
        shared=data.shared,
        created_at=now,
        updated_at=now,
    )
    session.add(view)
    await session.flush()
    return view_read(view, actor, actor)


async def update_view(
    session: AsyncSession, *, actor: User, view_id: int, data: ViewUpdate
) -> ViewRead:
    view, owner = await _editable_view(session, actor=actor, view_id=view_id)
    if data.shared and not view.shared and not can(actor.role, "views:share"):
        raise Forbidden("Only agents and admins share views with the team")
    if data.name is not None:
        view.name = data.name
    if data.filter is not None:
        view.filter = filter_document(data.filter)
    if data.columns is not None:
        view.columns = [column.value for column in data.columns]
    if data.sort is not None:
        view.sort = data.sort.value
    if data.shared is not None:
        view.shared = data.shared
    view.updated_at = utcnow()
    await session.flush()
    return view_read(view, owner, actor)


async def delete_view(session: AsyncSession, *, actor: User, view_id: int) -> None:
    view, _ = await _editable_view(session, actor=actor, view_id=view_id)
    deleted = await session.execute(delete(SavedView).where(SavedView.id == view.id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No view {view_id}")


async def get_visible_view(
    session: AsyncSession, *, viewer: User, view_id: int
) -> tuple[SavedView, User]:
    """The view and its owner, if the viewer may see it; NotFound otherwise (hides existence)."""
    row = (
        await session.execute(
            select(SavedView, User)
            .join(User, User.id == SavedView.owner_id)
            .where(SavedView.id == view_id)
        )
    ).first()
    if row is None or not may_see(viewer, row[0]):
        raise NotFound(f"No view {view_id}")
    return row[0], row[1]


async def _editable_view(
    session: AsyncSession, *, actor: User, view_id: int
) -> tuple[SavedView, User]:
    """The view, if the actor may change it: 404 when they cannot see it, 403 when only see it."""
    view, owner = await get_visible_view(session, viewer=actor, view_id=view_id)
    if not may_edit(actor, view):
        raise Forbidden("Only the owner of a view (or an admin) changes it")
    return view, owner


async def view_query(
    session: AsyncSession, *, viewer: User, view_id: int
) -> tuple[TicketFilter, TicketSort]:
    """The filter and sort of a view the viewer may see, for the ticket list (`view_id=`)."""
    view, _ = await get_visible_view(session, viewer=viewer, view_id=view_id)
    return TicketFilter.model_validate(view.filter), TicketSort(view.sort)
