"""Shapes of the audit log API."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None  # None for system actions and deleted accounts
    action: str
    entity_type: str
    entity_id: str
    before: Any | None
    after: Any | None


class AuditPage(BaseModel):
    items: list[AuditEntryRead]
    next_cursor: str | None
