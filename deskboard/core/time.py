from datetime import UTC, date, datetime
from typing import Any

from pydantic import BeforeValidator


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso_text_only(value: Any) -> Any:
    """JSON carries dates and timestamps as ISO 8601 text: refuse a number (pydantic would read
    it as seconds since the epoch), as the OpenAPI document's `type: string` says."""
    if isinstance(value, str | date):  # datetime is a date too (already parsed upstream)
        return value
    raise ValueError("must be an ISO 8601 string")


IsoText = BeforeValidator(iso_text_only)
