"""Analytics query parameters: the shared `filter=` (a TicketFilter as JSON), `days=`, `bands=`."""

from typing import Annotated, NoReturn

from fastapi import Depends, Query
from pydantic import ValidationError

from deskboard.analytics.counts import DEFAULT_AGE_BOUNDARIES
from deskboard.core.errors import Unprocessable
from deskboard.tickets.filters import TicketFilter, load_filter_json


def parse_filter(
    filter: Annotated[
        str | None, Query(max_length=10_000, description="A TicketFilter as JSON, as the list's")
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


def parse_bands(
    bands: Annotated[
        str | None,
        Query(
            max_length=200,
            description=(
                "Age band boundaries in whole days, comma-separated and ascending "
                f"(1..{MAX_AGE_DAYS}, at most {MAX_AGE_BANDS}): 1,3,7,30 (the default) gives "
                "< 1 day, 1-3 days, 3-7 days, 7-30 days and > 30 days"
            ),
            examples=["1,3,7,30"],
        ),
    ] = None,
) -> tuple[int, ...]:
    """The boundaries as a tuple (the default when absent or blank); 422 naming `bands` else."""
    if bands is None or not bands.strip():
        return DEFAULT_AGE_BOUNDARIES
    parts = [part.strip() for part in bands.split(",")]
    if not all(part.isascii() and part.isdigit() for part in parts):
        _bad_bands("must be whole numbers of days separated by commas")
    days = [int(part) for part in parts]
    if len(days) > MAX_AGE_BANDS:
        _bad_bands(f"at most {MAX_AGE_BANDS} boundaries")
    if not all(1 <= day <= MAX_AGE_DAYS for day in days):
        _bad_bands(f"each boundary must be between 1 and {MAX_AGE_DAYS} days")
    if len(set(days)) != len(days):
        _bad_bands("boundaries must be unique")
    if days != sorted(days):
        _bad_bands("boundaries must be in ascending order")
    return tuple(days)


def _bad_bands(message: str) -> NoReturn:
    raise Unprocessable([{"loc": ["query", "bands"], "msg": message, "type": "value_error"}])


Bands = Annotated[tuple[int, ...], Depends(parse_bands)]
