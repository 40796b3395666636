"""GET /api/widgets: the catalogue the gallery shows."""

from typing import Annotated, Any

from fastapi import APIRouter

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.widgets.registry import get_registry

router = APIRouter(tags=["widgets"])


@router.get("/widgets", responses=errors(403))
async def list_widget_types(_: Annotated[User, require("widgets:read")]) -> list[dict[str, Any]]:
    """Return every registered widget type with its sizes and settings schema."""
    return get_registry().catalogue()
