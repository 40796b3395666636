"""Public holidays from the maintained `holidays` package, to seed a calendar (then editable).

Computed locally from the package's rules: no network. Subdivision codes are the package's
(ISO 3166-2 where one exists: "BY" for Bavaria, "CA" for California)."""

from collections.abc import Iterable
from datetime import date
from functools import cache

import holidays


@cache
def supported() -> dict[str, frozenset[str]]:
    """Country code -> its subdivision codes."""
    return {
        country: frozenset(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
    }


def check_country(country: str) -> str:
    if country not in supported():
        raise ValueError(f"{country!r} is not a supported country code (ISO 3166-1, e.g. 'DE')")
    return country


def check_subdivision(country: str, subdivision: str) -> str:
    """The package's spelling of the subdivision ("by" -> "BY", "augsburg" -> "Augsburg")."""
    known = supported().get(country, frozenset())
    for code in known:
        if code.casefold() == subdivision.casefold():
            return code
    listed = ", ".join(sorted(known)) or "none"
    raise ValueError(f"{subdivision!r} is not a subdivision of {country} (known: {listed})")


def public_holidays(country: str, subdivision: str | None, years: Iterable[int]) -> list[date]:
    """The country's (and subdivision's) public holidays in those years, in order."""
    found = holidays.country_holidays(check_country(country), subdiv=subdivision, years=years)
    return sorted(found)
