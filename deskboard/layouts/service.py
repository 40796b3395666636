"""Layout rules: who may touch which layout, validated writes as one conditional UPDATE with
a history row in the same transaction, audit, and the `layout.updated` event after commit."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.audit.models import AuditEntry
from deskboard.auth.deps import authorize
from deskboard.auth.models import User
from deskboard.auth.roles import Role, can
from deskboard.core.errors import Conflict, Forbidden, NotFound
from deskboard.core.events import Audience, Event, emit
from deskboard.core.time import utcnow
from deskboard.layouts.formats import CURRENT_SCHEMA_VERSION, Content, to_current
from deskboard.layouts.models import Layout, LayoutVersion
from deskboard.layouts.placements import refuse_unplaceable
from deskboard.layouts.templates import template_content
from deskboard.layouts.validation import MAX_INT, has_unknown_types, validate_content
from deskboard.widgets.registry import get_registry

USER_REF = re.compile(r"[0-9]{1,12}")
# The hot path (every save) runs Core statements on the tables, built once with bind
# parameters: the ORM's identity map and unit-of-work flush, and building and coercing a new
# statement per call, cost more CPU than the statements themselves for these one-row writes.
_LAYOUTS = cast(Table, Layout.__table__)
_VERSIONS = cast(Table, LayoutVersion.__table__)
_LOAD = select(
    _LAYOUTS.c.user_id,
    _LAYOUTS.c.version,
    _LAYOUTS.c.schema_version,
    _LAYOUTS.c.document,
    _LAYOUTS.c.updated_at,
).where(_LAYOUTS.c.user_id == bindparam("owner_id"))
# The one conditional write (DESIGN.md): zero rows changed means someone else got there first.
_UPDATE = (
    update(_LAYOUTS)
    .where(_LAYOUTS.c.user_id == bindparam("owner_id"))
    .where(_LAYOUTS.c.version == bindparam("expected_version"))
    .values(
        document=bindparam("new_document", type_=_LAYOUTS.c.document.type),
        schema_version=bindparam("new_schema_version", type_=_LAYOUTS.c.schema_version.type),
        version=_LAYOUTS.c.version + 1,
        updated_at=bindparam("new_updated_at", type_=_LAYOUTS.c.updated_at.type),
    )
)
_INSERT_VERSION = insert(_VERSIONS)


def _write_all_statement() -> Select[tuple[int]]:
    """PostgreSQL: the conditional UPDATE, the history row and the audit entry as ONE statement
    (data-modifying WITH clauses), so a save is one round trip and sends its document once.

    The history and audit INSERTs select from the UPDATE's RETURNING, so they insert nothing
    when the UPDATE changed no row (a stale version): the statement then returns no row.
    """
    updated = (_UPDATE.returning(_LAYOUTS.c.user_id, _LAYOUTS.c.version, _LAYOUTS.c.document)).cte(
        "updated"
    )
    history = (
        insert(_VERSIONS)
        .from_select(
            [
                "user_id",
                "version",
                "schema_version",
                "document",
                "widget_count",
                "author_id",
                "created_at",
                "restored_from",
            ],
            select(
                updated.c.user_id,
                updated.c.version,
                bindparam("new_schema_version", type_=_VERSIONS.c.schema_version.type),
                updated.c.document,
                bindparam("widget_count", type_=_VERSIONS.c.widget_count.type),
                bindparam("author_id", type_=_VERSIONS.c.author_id.type),
                bindparam("new_updated_at", type_=_VERSIONS.c.created_at.type),
                bindparam("restored_from", type_=_VERSIONS.c.restored_from.type),
            ),
        )  # fmt: skip
        .cte("history")
    )
    audit_table = cast(Table, AuditEntry.__table__)
    audited = (
        insert(audit_table)
        .from_select(
            ["at", "actor_id", "action", "entity_type", "entity_id", "before", "after"],
            select(
                bindparam("new_updated_at", type_=audit_table.c.at.type),
                bindparam("author_id", type_=audit_table.c.actor_id.type),
                bindparam("audit_action", type_=audit_table.c.action.type),
                literal("layout", audit_table.c.entity_type.type),
                bindparam("audit_entity_id", type_=audit_table.c.entity_id.type),
                bindparam("audit_before", type_=audit_table.c.before.type),
                bindparam("audit_after", type_=audit_table.c.after.type),
            ).select_from(updated),
        )
        .cte("audited")
    )
    return select(updated.c.version).add_cte(history, audited)


_WRITE_ALL = _write_all_statement()

# A widget removal or a restore is not based on a version the client saw, so a concurrent
# write is simply retried on the newer version this many times before giving up with 409.
WRITE_ATTEMPTS = 5


async def resolve_owner(session: AsyncSession, *, actor: User, user_ref: str) -> int:
    """Turn `me` or a user id into the owner's id; only admins reach other people's layouts."""
    if user_ref == "me":
        return actor.id
    # ASCII digits only ("²".isdigit() is true), and no id past the 32-bit column.
    if not USER_REF.fullmatch(user_ref) or int(user_ref) > MAX_INT:
        raise NotFound("No such user")
    owner_id = int(user_ref)
    if owner_id == actor.id:
        return owner_id
    if not can(actor.role, "layouts:manage_any"):
        raise Forbidden("You may only see and change your own layout")
    if await session.get(User, owner_id) is None:
        raise NotFound("No such user")
    return owner_id


def render(
    *, owner_id: int, version: int, updated_at: datetime, content: Content
) -> dict[str, Any]:
    """The layout document as the API shows it (content already in the current format)."""
    return {
        "user_id": owner_id,
        "version": version,
        "schema_version": CURRENT_SCHEMA_VERSION,
        "updated_at": updated_at,
        "grid": content.get("grid"),
        "widgets": content.get("widgets"),
    }


@dataclass(frozen=True, slots=True)
class StoredLayout:
    """A layout row as committed when it was read."""

    user_id: int
    version: int
    schema_version: int
    document: Content
    updated_at: datetime


def render_layout(layout: StoredLayout) -> dict[str, Any]:
    content = to_current(layout.document, layout.schema_version, get_registry())
    return render(
        owner_id=layout.user_id,
        version=layout.version,
        updated_at=layout.updated_at,
        content=content,
    )


async def load_layout(session: AsyncSession, owner_id: int) -> StoredLayout | None:
    """The stored row as committed now (read with Core: never an identity-map copy)."""
    row = (await session.execute(_LOAD, {"owner_id": owner_id})).first()
    return StoredLayout(*row) if row is not None else None


async def require_layout(session: AsyncSession, owner_id: int) -> StoredLayout:
    layout = await load_layout(session, owner_id)
    if layout is None:
        raise NotFound("No layout is saved for this user")
    return layout


def stale_conflict(layout: StoredLayout) -> Conflict:
    return Conflict(
        "The layout changed since this edit started; merge with `current` and retry",
        current=_jsonable(render_layout(layout)),
    )


def _jsonable(document: dict[str, Any]) -> dict[str, Any]:
    """A document with its timestamp as text, for audit entries and error bodies."""
    stamp = document["updated_at"]
    return {**document, "updated_at": stamp.isoformat().replace("+00:00", "Z")}


async def _add_version(
    session: AsyncSession,
    *,
    owner_id: int,
    version: int,
    content: Content,
    actor: User,
    at: datetime,
    restored_from: int | None = None,
) -> None:
    values = {
        "user_id": owner_id,
        "version": version,
        "schema_version": CURRENT_SCHEMA_VERSION,
        "document": content,
        "widget_count": len(content["widgets"]),
        "author_id": actor.id,
        "created_at": at,
        "restored_from": restored_from,
    }
    await session.execute(_INSERT_VERSION, values)


async def _announce(
    session: AsyncSession,
    *,
    actor: User,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    client_id: str | None,
) -> None:
    """Audit the change and queue the event that leaves once the transaction commits."""
    after_json = _jsonable(after)
    await audit.write(
        session,
        actor_id=actor.id,
        action=action,
        entity_type="layout",
        entity_id=after["user_id"],
        before=_jsonable(before) if before else None,
        after=after_json,
    )
    _emit(session, after=after, after_json=after_json, client_id=client_id)


def _emit(
    session: AsyncSession,
    *,
    after: dict[str, Any],
    after_json: dict[str, Any],
    client_id: str | None,
) -> None:
    """Queue `layout.updated` for the owner's sessions; it leaves once the transaction commits."""
    data = {"user_id": after["user_id"], "version": after["version"], "document": after_json}
    audience = Audience(user_ids=frozenset({after["user_id"]}))
    emit(session, Event("layout.updated", data, audience=audience, origin=client_id))


async def write_version(
    session: AsyncSession,
    *,
    layout: StoredLayout,
    content: Content,
    actor: User,
    action: str,
    client_id: str | None,
    restored_from: int | None = None,
) -> dict[str, Any] | None:
    """Store `content` as the version after `layout.version`, in ONE conditional UPDATE.

    Returns the new document, or None when another write got there first (zero rows changed).
    """
    before = render_layout(layout)
    now = utcnow()
    if session.get_bind().dialect.name == "postgresql":
        return await _write_all(
            session,
            layout=layout,
            content=content,
            before=before,
            now=now,
            actor=actor,
            action=action,
            client_id=client_id,
            restored_from=restored_from,
        )
    result = await session.execute(
        _UPDATE,
        {
            "owner_id": layout.user_id,
            "expected_version": layout.version,
            "new_document": content,
            "new_schema_version": CURRENT_SCHEMA_VERSION,
            "new_updated_at": now,
        },
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    new_version = layout.version + 1
    await _add_version(
        session,
        owner_id=layout.user_id,
        version=new_version,
        content=content,
        actor=actor,
        at=now,
        restored_from=restored_from,
    )
    after = render(owner_id=layout.user_id, version=new_version, updated_at=now, content=content)
    await _announce(
        session, actor=actor, action=action, before=before, after=after, client_id=client_id
    )
    return after


async def _write_all(
    session: AsyncSession,
    *,
    layout: StoredLayout,
    content: Content,
    before: dict[str, Any],
    now: datetime,
    actor: User,
    action: str,
    client_id: str | None,
    restored_from: int | None,
) -> dict[str, Any] | None:
    """write_version on PostgreSQL: the same rows, written by one statement."""
    new_version = layout.version + 1
    after = render(owner_id=layout.user_id, version=new_version, updated_at=now, content=content)
    after_json = _jsonable(after)
    result = await session.execute(
        _WRITE_ALL,
        {
            "owner_id": layout.user_id,
            "expected_version": layout.version,
            "new_document": content,
            "new_schema_version": CURRENT_SCHEMA_VERSION,
            "new_updated_at": now,
            "widget_count": len(content["widgets"]),
            "author_id": actor.id,
            "restored_from": restored_from,
            "audit_action": action,
            "audit_entity_id": str(layout.user_id),
            "audit_before": _jsonable(before),
            "audit_after": after_json,
        },
    )
    if result.first() is None:
        return None
    _emit(session, after=after, after_json=after_json, client_id=client_id)
    return after


async def get_layout(session: AsyncSession, *, owner_id: int) -> dict[str, Any]:
    return render_layout(await require_layout(session, owner_id))


async def create_layout(
    session: AsyncSession, *, actor: User, owner_id: int, body: Any, client_id: str | None
) -> dict[str, Any]:
    """Save a first layout as version 1; 409 (with the stored one) when one exists."""
    authorize(actor, "layouts:write")

    async def role_template() -> Content:
        # A first layout starts from the owner's role template: what it holds is placed already.
        owner = actor if owner_id == actor.id else await session.get(User, owner_id)
        return await template_content(session, Role(owner.role if owner else Role.user))

    registry = get_registry()
    placed = await role_template() if has_unknown_types(body, registry) else None
    content = validate_content(body, registry=registry, placed=placed).content
    existing = await load_layout(session, owner_id)
    if existing is not None:
        current = _jsonable(render_layout(existing))
        raise Conflict("A layout is already saved; change it with PUT", current=current)

    await refuse_unplaceable(session, content, placed=role_template)
    now = utcnow()
    session.add(
        Layout(
            user_id=owner_id,
            version=1,
            schema_version=CURRENT_SCHEMA_VERSION,
            document=content,
            updated_at=now,
        )
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent POST for the same person won the race
        raise Conflict("A layout is already saved; change it with PUT") from exc
    await _add_version(session, owner_id=owner_id, version=1, content=content, actor=actor, at=now)
    after = render(owner_id=owner_id, version=1, updated_at=now, content=content)
    await _announce(
        session, actor=actor, action="layout.create", before=None, after=after, client_id=client_id
    )
    return after


async def replace_layout(
    session: AsyncSession, *, actor: User, owner_id: int, body: Any, client_id: str | None
) -> dict[str, Any]:
    """Store an edited document made from `body.version`; 409 with the current one if stale."""
    authorize(actor, "layouts:write")
    registry = get_registry()
    placed = None
    if has_unknown_types(body, registry):  # an uninstalled plugin's widgets may stay placed
        existing = await load_layout(session, owner_id)
        placed = render_layout(existing) if existing is not None else None
    valid = validate_content(body, registry=registry, require_version=True, placed=placed)
    layout = await require_layout(session, owner_id)
    if layout.version != valid.version:
        raise stale_conflict(layout)

    async def stored() -> Content:
        return render_layout(layout)

    await refuse_unplaceable(session, valid.content, placed=stored)
    written = await write_version(
        session,
        layout=layout,
        content=valid.content,
        actor=actor,
        action="layout.update",
        client_id=client_id,
    )
    if written is None:
        raise stale_conflict(await require_layout(session, owner_id))
    return written


async def remove_widget(
    session: AsyncSession, *, actor: User, owner_id: int, widget_id: str, client_id: str | None
) -> dict[str, Any]:
    """Remove one widget from the current layout, as a new version."""
    authorize(actor, "layouts:write")
    for _ in range(WRITE_ATTEMPTS):
        layout = await require_layout(session, owner_id)
        current = render_layout(layout)
        widgets = current["widgets"] or []
        kept = [w for w in widgets if not (isinstance(w, dict) and w.get("id") == widget_id)]
        if len(kept) == len(widgets):
            raise NotFound(f"No widget {widget_id!r} in this layout")
        body = {"grid": current["grid"], "widgets": kept}
        content = validate_content(body, registry=get_registry(), loc_prefix=("layout",)).content
        written = await write_version(
            session,
            layout=layout,
            content=content,
            actor=actor,
            action="layout.widget_remove",
            client_id=client_id,
        )
        if written is not None:
            return written
    raise stale_conflict(await require_layout(session, owner_id))
