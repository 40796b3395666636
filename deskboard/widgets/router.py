"""GET /api/widgets: the catalogue the gallery shows."""

from typing import Any

from fastapi import APIRouter

from deskboard.auth.deps import Allowed
from deskboard.widgets.registry import get_registry

router = APIRouter(tags=["widgets"])


@router.get("/widgets")
async def list_widget_types(_: Allowed("widgets:read")) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    """Return every registered widget type with its sizes and settings schema."""
    return get_registry().catalogue()
