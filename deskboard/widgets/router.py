"""GET /api/widgets: the catalogue the gallery shows."""

from typing import Annotated, Any

from fastapi import APIRouter

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.plugins.service import catalogue

router = APIRouter(tags=["widgets"])


@router.get("/widgets", responses=errors(403))
async def list_widget_types(
    session: DbSession, user: Annotated[User, require("widgets:read")]
) -> list[dict[str, Any]]:
    """Return every widget type one may place (built-ins and enabled plugins' types) with its
    sizes, settings schema, source and, for a plugin's type, where its front end is."""
    return await catalogue(session, user)
