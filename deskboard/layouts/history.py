"""Past versions of a layout: the list, one version whole, the diff of two, and restore."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.deps import authorize
from deskboard.auth.models import User
from deskboard.core.errors import NotFound
from deskboard.layouts.formats import Content, to_current
from deskboard.layouts.models import LayoutVersion
from deskboard.layouts.service import (
    WRITE_ATTEMPTS,
    render,
    render_layout,
    require_layout,
    stale_conflict,
    write_version,
)
from deskboard.layouts.validation import has_unknown_types, validate_content
from deskboard.widgets.registry import get_registry


def _entry(row: LayoutVersion, author_name: str | None) -> dict[str, Any]:
    author = {"id": row.author_id, "name": author_name} if row.author_id is not None else None
    return {
        "version": row.version,
        "author": author,
        "at": row.created_at,
        "restored_from": row.restored_from,
        "widget_count": row.widget_count,
    }


async def list_history(
    session: AsyncSession, *, owner_id: int, limit: int, before: int | None
) -> dict[str, Any]:
    """Newest first, paged by version (keyset): pass `next_before` back as `before`."""
    statement = (
        select(LayoutVersion, User.name)
        .outerjoin(User, User.id == LayoutVersion.author_id)
        .where(LayoutVersion.user_id == owner_id)
        .order_by(LayoutVersion.version.desc())
        .limit(limit + 1)
    )
    if before is not None:
        statement = statement.where(LayoutVersion.version < before)
    rows = (await session.execute(statement)).all()
    items = [_entry(row, name) for row, name in rows[:limit]]
    next_before = items[-1]["version"] if len(rows) > limit else None
    return {"items": items, "next_before": next_before}


async def _load_version(session: AsyncSession, owner_id: int, version: int) -> LayoutVersion:
    row = (
        await session.scalars(
            select(LayoutVersion).where(
                LayoutVersion.user_id == owner_id, LayoutVersion.version == version
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"No version {version} in this layout's history")
    return row


def _content(row: LayoutVersion) -> Content:
    return to_current(row.document, row.schema_version, get_registry())


async def get_version(session: AsyncSession, *, owner_id: int, version: int) -> dict[str, Any]:
    row = await _load_version(session, owner_id, version)
    author = await session.get(User, row.author_id) if row.author_id is not None else None
    document = render(
        owner_id=owner_id, version=row.version, updated_at=row.created_at, content=_content(row)
    )
    return {**_entry(row, author.name if author else None), "document": document}


def _by_id(content: Content) -> dict[str, dict[str, Any]]:
    widgets = content.get("widgets")
    if not isinstance(widgets, list):
        return {}
    return {w["id"]: w for w in widgets if isinstance(w, dict) and isinstance(w.get("id"), str)}


def diff_contents(old: Content, new: Content) -> dict[str, Any]:
    """Which widget ids were added, removed, moved, resized or reconfigured from old to new."""
    before, after = _by_id(old), _by_id(new)
    common = [widget_id for widget_id in after if widget_id in before]

    def changed(keys: tuple[str, ...]) -> list[str]:
        return [i for i in common if any(before[i].get(k) != after[i].get(k) for k in keys)]

    return {
        "added": [widget_id for widget_id in after if widget_id not in before],
        "removed": [widget_id for widget_id in before if widget_id not in after],
        "moved": changed(("x", "y")),
        "resized": changed(("w", "h")),
        "reconfigured": changed(("type", "type_version", "settings")),
        "grid_changed": old.get("grid") != new.get("grid"),
    }


async def diff_versions(
    session: AsyncSession, *, owner_id: int, from_version: int, to_version: int
) -> dict[str, Any]:
    old = _content(await _load_version(session, owner_id, from_version))
    new = _content(await _load_version(session, owner_id, to_version))
    return {"from_version": from_version, "to_version": to_version, **diff_contents(old, new)}


async def restore_version(
    session: AsyncSession, *, actor: User, owner_id: int, version: int, client_id: str | None
) -> dict[str, Any]:
    """Bring a past version back as a new version (history is never rewritten)."""
    authorize(actor, "layouts:write")
    row = await _load_version(session, owner_id, version)
    # A past version may use a widget type that is gone since (its plugin uninstalled): it is
    # refused, named, unless the current layout still holds that widget as it was. One whose
    # plugin is disabled (or cannot run) now comes back as an unavailable card: every widget of
    # a past version was accepted when it was written, so restoring it places nothing new
    # (unlike PUT, no refuse_unplaceable here).
    body, registry = _content(row), get_registry()
    placed = None
    if has_unknown_types(body, registry):
        placed = render_layout(await require_layout(session, owner_id))
    content = validate_content(
        body, registry=registry, loc_prefix=("history", version), placed=placed
    ).content
    for _ in range(WRITE_ATTEMPTS):
        layout = await require_layout(session, owner_id)
        written = await write_version(
            session,
            layout=layout,
            content=content,
            actor=actor,
            action="layout.restore",
            client_id=client_id,
            restored_from=version,
        )
        if written is not None:
            return written
    raise stale_conflict(await require_layout(session, owner_id))
