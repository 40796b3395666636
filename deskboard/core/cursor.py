"""Opaque keyset-paging cursors: the sort key and id of the last row, never an offset."""

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query

from deskboard.core.errors import BadRequest

_MAX_CURSOR_CHARS = 512

# The `cursor=` query parameter of every paged list, documented once. Its alphabet and length
# are checked up front (422); whether the server issued it can only be known by decoding (400).
Cursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=_MAX_CURSOR_CHARS,
        pattern="^[A-Za-z0-9_-]+$",
        description=(
            "Opaque: the `next_cursor` of the previous page, passed back unchanged "
            "(400 when it is not one, or was issued for another sort)"
        ),
    ),
]


def encode_cursor(*values: int | str | datetime | None) -> str:
    """Pack the last row's sort values into a URL-safe token."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *types: type) -> tuple[Any, ...]:
    """Unpack a cursor made by encode_cursor; raise BadRequest when it is not one.

    `types` gives the expected type of each value (int, str or datetime); datetimes must carry
    a time zone, so that comparing them with stored timestamps is well defined.
    """
    try:
        if len(cursor) > _MAX_CURSOR_CHARS:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError("wrong shape")
        return tuple(_coerce(value, kind) for value, kind in zip(values, types, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest("Malformed cursor: pass back the next_cursor of a previous page") from exc


def _coerce(value: Any, kind: type) -> Any:
    if kind is datetime:
        if not isinstance(value, str):
            raise TypeError("expected a timestamp")
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("timestamp without a time zone")
        return parsed
    # bool is an int subclass; a cursor never holds one, so refuse it as tampering.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"expected {kind.__name__}")
    return value
