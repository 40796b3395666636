"""GET /api/plugins and PATCH /api/plugins/{name} (admins): installed plugins and their state."""

from typing import Annotated

from fastapi import APIRouter, Path

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.plugins import service
from deskboard.plugins.schemas import PluginRead, PluginUpdate

router = APIRouter(prefix="/plugins", tags=["plugins"])

Manager = Annotated[User, require("plugins:manage")]
PluginName = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{1,39}$")]


@router.get("", response_model=list[PluginRead], responses=errors(403))
async def list_plugins(session: DbSession, _: Manager) -> list[PluginRead]:
    """Every installed plugin with its version, requested permissions and status."""
    return await service.list_plugins(session)


@router.patch("/{name}", response_model=PluginRead, responses=errors(403, 404, 409))
async def update_plugin(
    name: PluginName, data: PluginUpdate, session: DbSession, user: Manager
) -> PluginRead:
    """Enable or disable a plugin (409 for one that failed or is incompatible), or force it
    into the sandboxed iframe."""
    return await service.update_plugin(session, actor=user, name=name, data=data)
