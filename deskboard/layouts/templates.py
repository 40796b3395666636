"""Role templates: the layout a new person of a role starts from."""

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit.service import record
from deskboard.auth.deps import authorize
from deskboard.auth.models import User
from deskboard.auth.roles import Role
from deskboard.core.errors import Conflict, Forbidden
from deskboard.core.time import utcnow
from deskboard.layouts.defaults import default_template
from deskboard.layouts.formats import CURRENT_SCHEMA_VERSION, Content, to_current
from deskboard.layouts.models import LayoutTemplate
from deskboard.layouts.placements import refuse_unplaceable
from deskboard.layouts.validation import has_unknown_types, validate_content
from deskboard.widgets.registry import get_registry

ECHOED_KEYS = {"role", "is_default", "updated_at", "updated_by"}


def _render(role: Role, content: Content, row: LayoutTemplate | None) -> dict[str, Any]:
    return {
        "role": role,
        "schema_version": CURRENT_SCHEMA_VERSION,
        "grid": content.get("grid"),
        "widgets": content.get("widgets"),
        "is_default": row is None,
        "updated_at": row.updated_at if row else None,
        "updated_by": row.updated_by if row else None,
    }


def _render_row(role: Role, row: LayoutTemplate | None) -> dict[str, Any]:
    if row is None:
        content = validate_content(default_template(role), registry=get_registry()).content
    else:
        content = to_current(row.document, row.schema_version, get_registry())
    return _render(role, content, row)


async def template_content(session: AsyncSession, role: Role) -> Content:
    """What a new person of the role starts from: the saved template, or the built-in one."""
    return _render_row(role, await session.get(LayoutTemplate, role.value))


async def get_template(session: AsyncSession, *, actor: User, role: Role) -> dict[str, Any]:
    """The saved template of a role, or the built-in one; admins see any, others their own."""
    if actor.role not in (role, Role.admin):
        raise Forbidden("You may only read the template of your own role")
    return _render_row(role, await session.get(LayoutTemplate, role.value))


async def put_template(
    session: AsyncSession, *, actor: User, role: Role, body: Any
) -> dict[str, Any]:
    """Replace a role's template (admin), validated exactly like a layout."""
    authorize(actor, "layout_templates:write")
    if isinstance(body, dict):
        # Read-only keys a client may echo back from GET are ignored, not refused.
        body = {key: value for key, value in body.items() if key not in ECHOED_KEYS}
    registry = get_registry()
    row = await session.get(LayoutTemplate, role.value)
    before = _render_row(role, row)
    placed = before if has_unknown_types(body, registry) else None  # see validate_content
    content = validate_content(body, registry=registry, placed=placed).content

    async def stored() -> Content:
        return before

    await refuse_unplaceable(session, content, placed=stored)
    now = utcnow()
    if row is None:
        row = LayoutTemplate(role=role.value)
        session.add(row)
    row.schema_version = CURRENT_SCHEMA_VERSION
    row.document = content
    row.updated_at = now
    row.updated_by = actor.id
    try:
        await session.flush()
    except IntegrityError as exc:  # another admin saved this role's first template meanwhile
        raise Conflict("This template was just saved by someone else; load it and retry") from exc
    after = _render(role, content, row)
    record(
        session,
        actor_id=actor.id,
        action="layout_template.update",
        entity_type="layout_template",
        entity_id=role.value,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    return after


def _jsonable(template: dict[str, Any]) -> dict[str, Any]:
    stamp = template["updated_at"]
    return {
        **template,
        "role": str(template["role"]),
        "updated_at": stamp.isoformat().replace("+00:00", "Z") if stamp else None,
    }
