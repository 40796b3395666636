"""Analytics query parameters: the shared `filter=` (a TicketFilter as JSON)."""

import json
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import ValidationError

from deskboard.core.errors import BadRequest, Unprocessable
from deskboard.tickets.filters import TicketFilter


def parse_filter(
    filter: Annotated[
        str | None, Query(max_length=10_000, description="A TicketFilter as JSON, as the list's")
    ] = None,
) -> TicketFilter:
    """400 when not a JSON object, 422 (listing the bad fields) when not a valid filter."""
    if filter is None or not filter.strip():
        return TicketFilter()
    try:
        document: Any = json.loads(filter)
    except ValueError as exc:
        raise BadRequest(f"filter is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise BadRequest("filter must be a JSON object")
    try:
        return TicketFilter.model_validate(document)
    except ValidationError as exc:
        raise Unprocessable(
            [
                {"loc": ["filter", *err["loc"]], "msg": err["msg"], "type": err["type"]}
                for err in exc.errors()
            ]
        ) from exc


FilterParam = Annotated[TicketFilter, Depends(parse_filter)]
Days = Annotated[int, Query(ge=1, le=366, description="How many UTC days, today included")]
