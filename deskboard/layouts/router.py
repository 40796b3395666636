"""Layout HTTP endpoints (DESIGN.md); each route parses, calls one service function, answers."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, status
from pydantic.json_schema import SkipJsonSchema

from deskboard.auth.deps import CurrentUser, require
from deskboard.auth.models import User
from deskboard.auth.roles import Role
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.layouts import history, service, templates
from deskboard.layouts.schemas import (
    HistoryPage,
    LayoutDiff,
    LayoutRead,
    LayoutVersionRead,
    RestoreRequest,
    TemplateRead,
    layout_document_schema,
)
from deskboard.layouts.validation import MAX_INT

router = APIRouter(tags=["layouts"])

Reader = Annotated[User, require("layouts:read")]
# The sender's socket id: the realtime event carries it so that socket can skip its own echo.
ClientId = Annotated[str | SkipJsonSchema[None], Header(alias="X-Client-Id", max_length=128)]
LayoutBody = Annotated[
    dict[str, Any],
    Body(
        description="A layout document (a new layout, or a role's template)",
        json_schema_extra=layout_document_schema(version_required=False),
    ),
]
# PUT: the same, with the version the edit started from.
LayoutEdit = Annotated[
    dict[str, Any],
    Body(
        description="A layout document; `version` is the one the edit started from",
        json_schema_extra=layout_document_schema(version_required=True),
    ),
]


@router.get("/layout/{user_id}", response_model=LayoutRead, responses=errors(403, 404))
async def get_layout(user_id: str, session: DbSession, actor: Reader) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await service.get_layout(session, owner_id=owner_id)


@router.post(
    "/layout/{user_id}",
    response_model=LayoutRead,
    status_code=status.HTTP_201_CREATED,
    responses=errors(403, 404, 409),
)
async def create_layout(
    user_id: str,
    body: LayoutBody,
    session: DbSession,
    actor: CurrentUser,
    client_id: ClientId = None,
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await service.create_layout(
        session, actor=actor, owner_id=owner_id, body=body, client_id=client_id
    )


@router.put("/layout/{user_id}", response_model=LayoutRead, responses=errors(403, 404, 409))
async def replace_layout(
    user_id: str,
    body: LayoutEdit,
    session: DbSession,
    actor: CurrentUser,
    client_id: ClientId = None,
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await service.replace_layout(
        session, actor=actor, owner_id=owner_id, body=body, client_id=client_id
    )


@router.get("/layout/{user_id}/history", response_model=HistoryPage, responses=errors(403, 404))
async def list_history(
    user_id: str,
    session: DbSession,
    actor: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await history.list_history(session, owner_id=owner_id, limit=limit, before=before)


@router.get(
    "/layout/{user_id}/history/{version}",
    response_model=LayoutVersionRead,
    responses=errors(403, 404),
)
async def get_version(
    user_id: str,
    version: Annotated[int, Path(ge=1, le=MAX_INT)],
    session: DbSession,
    actor: Reader,
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await history.get_version(session, owner_id=owner_id, version=version)


@router.get("/layout/{user_id}/diff", response_model=LayoutDiff, responses=errors(403, 404))
async def diff_versions(
    user_id: str,
    session: DbSession,
    actor: Reader,
    from_version: Annotated[int, Query(alias="from", ge=1, le=MAX_INT)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=MAX_INT)],
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await history.diff_versions(
        session, owner_id=owner_id, from_version=from_version, to_version=to_version
    )


@router.post(
    "/layout/{user_id}/restore", response_model=LayoutRead, responses=errors(403, 404, 409)
)
async def restore_version(
    user_id: str,
    body: RestoreRequest,
    session: DbSession,
    actor: CurrentUser,
    client_id: ClientId = None,
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await history.restore_version(
        session, actor=actor, owner_id=owner_id, version=body.version, client_id=client_id
    )


@router.delete(
    "/layout/{user_id}/{widget_id}", response_model=LayoutRead, responses=errors(403, 404, 409)
)
async def remove_widget(
    user_id: str, widget_id: str, session: DbSession, actor: CurrentUser, client_id: ClientId = None
) -> dict[str, Any]:
    owner_id = await service.resolve_owner(session, actor=actor, user_ref=user_id)
    return await service.remove_widget(
        session, actor=actor, owner_id=owner_id, widget_id=widget_id, client_id=client_id
    )


@router.get("/layout-templates/{role}", response_model=TemplateRead, responses=errors(403))
async def get_template(role: Role, session: DbSession, actor: CurrentUser) -> dict[str, Any]:
    return await templates.get_template(session, actor=actor, role=role)


@router.put("/layout-templates/{role}", response_model=TemplateRead, responses=errors(403, 409))
async def put_template(
    role: Role, body: LayoutBody, session: DbSession, actor: CurrentUser
) -> dict[str, Any]:
    return await templates.put_template(session, actor=actor, role=role, body=body)
