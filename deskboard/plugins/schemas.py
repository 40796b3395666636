"""Pydantic shapes of the plugin list (GET/PATCH /api/plugins)."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, StrictBool


class PluginStatus(StrEnum):
    ok = "ok"
    disabled = "disabled"
    incompatible = "incompatible"
    failed = "failed"


class PluginRead(BaseModel):
    name: str
    title: str
    distribution: str | None
    version: str
    plugin_api: str | None
    widget_types: list[str]
    permissions: list[str]  # core actions requested (what its front end may read)
    actions: dict[str, list[str]]  # its own actions and the roles that may do them
    iframe: bool  # the plugin asks for the sandboxed iframe
    iframe_forced: bool  # an admin forces it
    status: PluginStatus
    error: str | None


class PluginUpdate(BaseModel):
    """Change what an admin controls; a field left out (or null) stays as it is."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool | None = None
    iframe_forced: StrictBool | None = None
