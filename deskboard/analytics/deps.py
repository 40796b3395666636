"""Analytics query parameters: the shared `filter=` (a TicketFilter as JSON), `days=`, `bands=`."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import ValidationError

from deskboard.analytics.counts import DEFAULT_AGE_BOUNDARIES
from deskboard.core.errors import Unprocessable
from deskboard.core.openapi import json_query
from deskboard.tickets.filters import TicketFilter, load_filter_json


def parse_filter(
    filter: Annotated[
        str | None,
        Query(
            max_length=10_000,
            description="A TicketFilter as JSON, as the list's",
            json_schema_extra=json_query(TicketFilter),
        ),
    ] = None,
) -> TicketFilter:
    """400 when not a JSON object, 422 (listing the bad fields) when not a valid filter."""
    if filter is None or not filter.strip():
        return TicketFilter()
    try:
        return TicketFilter.model_validate(load_filter_json(filter))
    except ValidationError as exc:
        raise Unprocessable(
            [
                {"loc": ["filter", *err["loc"]], "msg": err["msg"], "type": err["type"]}
                for err in exc.errors()
            ]
        ) from exc


FilterParam = Annotated[TicketFilter, Depends(parse_filter)]
Days = Annotated[int, Query(ge=1, le=366, description="How many UTC days, today included")]

MAX_AGE_BANDS = 8  # boundaries, so at most 9 bands
MAX_AGE_DAYS = 365


# One boundary is a whole number of days from 1 to 365 (no sign, no leading zero).
_DAY = "(?:36[0-5]|3[0-5][0-9]|[12][0-9]{2}|[1-9][0-9]?)"
# The whole parameter, as the OpenAPI document states it and as this code checks it (re.search,
# JSON Schema's way); order and repeats are free: the boundaries are sorted and de-duplicated.
BANDS_PATTERN = f"^(?:{_DAY}(?:,{_DAY}){{0,{MAX_AGE_BANDS - 1}}})?$"


def parse_bands(
    bands: Annotated[
        str | None,
        Query(
            pattern=BANDS_PATTERN,
            description=(
                "Age band boundaries in whole days, comma-separated "
                f"(1..{MAX_AGE_DAYS}, at most {MAX_AGE_BANDS}; sorted and de-duplicated): "
                "1,3,7,30 (the default, also when empty) gives "
                "< 1 day, 1-3 days, 3-7 days, 7-30 days and > 30 days"
            ),
            examples=["1,3,7,30"],
        ),
    ] = None,
) -> tuple[int, ...]:
    """The boundaries as a sorted tuple (the default when absent or empty)."""
    if not bands:
        return DEFAULT_AGE_BOUNDARIES
    return tuple(sorted({int(part) for part in bands.split(",")}))


Bands = Annotated[tuple[int, ...], Depends(parse_bands)]
