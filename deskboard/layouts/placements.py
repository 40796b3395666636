"""Widgets of a type that may not be placed now (its plugin is disabled or cannot run): kept
where they already are, refused anywhere new. Every layout and template write asks here."""

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.layouts.formats import Content
from deskboard.layouts.validation import Loc, refuse_new_unplaceable
from deskboard.plugins.service import unplaceable_types

PlacedLoader = Callable[[], Awaitable[Content | None]]


async def refuse_unplaceable(
    session: AsyncSession,
    content: Content,
    *,
    placed: PlacedLoader,
    loc_prefix: Loc = ("body",),
) -> None:
    """Raise 422 naming each widget of an unplaceable type that `placed()` (the stored
    document the write replaces) does not already hold; loaded only when there is one."""
    unplaceable = await unplaceable_types(session)
    if not unplaceable or not any(w["type"] in unplaceable for w in content["widgets"]):
        return
    refuse_new_unplaceable(
        content, unplaceable=unplaceable, placed=await placed(), loc_prefix=loc_prefix
    )
