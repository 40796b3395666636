import re
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BeforeValidator


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


# What the OpenAPI formats `date` and `date-time` (RFC 3339: a zone is required) admit; pydantic
# alone would also take numbers (seconds since the epoch) and timestamps without a zone.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _iso(pattern: re.Pattern[str], kind: type, what: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, kind) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise ValueError(f"must be {what}")

    return BeforeValidator(check)


IsoDate = _iso(_DATE, date, "an ISO 8601 date (YYYY-MM-DD)")
IsoDateTime = _iso(_DATE_TIME, datetime, "an RFC 3339 timestamp with a time zone")
