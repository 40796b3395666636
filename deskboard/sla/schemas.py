"""Pydantic shapes of business calendars; the rules of a valid calendar are sla/calendar.py's."""

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deskboard.core.text import NOT_BLANK_PATTERN, DocumentedPattern, clean_text
from deskboard.sla import calendar, public_holidays
from deskboard.sla.models import NAME_MAX, TIMEZONE_MAX


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def _interval(pair: list[str]) -> list[str]:
    start, end = calendar.parse_interval(pair)
    return [calendar.format_clock(start), calendar.format_clock(end)]


def _day(pairs: list[list[str]]) -> list[list[str]]:
    ordered = calendar.check_day(calendar.parse_interval(pair) for pair in pairs)
    return [[calendar.format_clock(start), calendar.format_clock(end)] for start, end in ordered]


def _holiday(text: str) -> str:
    return calendar.parse_holiday(text).isoformat()


Name = Annotated[
    str,
    Field(min_length=1, max_length=NAME_MAX),
    AfterValidator(clean_text),
    AfterValidator(_not_blank),
    DocumentedPattern(NOT_BLANK_PATTERN),
]
TimeZone = Annotated[
    str,
    Field(max_length=TIMEZONE_MAX, examples=["Europe/Berlin"]),
    AfterValidator(calendar.parse_timezone),
]
Interval = Annotated[
    list[str],
    Field(min_length=2, max_length=2, examples=[["09:00", "17:00"]]),
    AfterValidator(_interval),
]
Day = Annotated[
    list[Interval], Field(max_length=calendar.MAX_INTERVALS_PER_DAY), AfterValidator(_day)
]
Holiday = Annotated[str, Field(max_length=10, examples=["2026-12-25"]), AfterValidator(_holiday)]
Holidays = Annotated[list[Holiday], Field(max_length=calendar.MAX_HOLIDAYS)]


class WeekHours(BaseModel):
    """Working intervals per weekday in local wall-clock time, "HH:MM" ("24:00" as an end);
    a day left out is closed. The week must hold some working time."""

    model_config = ConfigDict(extra="forbid")

    mon: Day = Field(default_factory=list)
    tue: Day = Field(default_factory=list)
    wed: Day = Field(default_factory=list)
    thu: Day = Field(default_factory=list)
    fri: Day = Field(default_factory=list)
    sat: Day = Field(default_factory=list)
    sun: Day = Field(default_factory=list)

    @model_validator(mode="after")
    def _some_working_time(self) -> "WeekHours":
        if not any(getattr(self, day) for day in calendar.WEEKDAYS):
            raise ValueError("the week has no working time: give at least one interval")
        return self


class HolidaysFrom(BaseModel):
    """Seed holidays from the `holidays` package: a country, optionally a subdivision, years."""

    model_config = ConfigDict(extra="forbid")

    country: Annotated[str, Field(min_length=2, max_length=3, examples=["DE"])]
    subdivision: Annotated[str | None, Field(max_length=10, examples=["BY"])] = None
    years: Annotated[
        list[Annotated[int, Field(ge=calendar.HOLIDAY_YEARS[0], le=calendar.HOLIDAY_YEARS[1])]],
        Field(min_length=1, max_length=10, examples=[[2026, 2027]]),
    ]

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return public_holidays.check_country(value.upper())

    @field_validator("subdivision")
    @classmethod
    def _subdivision(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if value is None or country is None:  # a bad country is reported on its own
            return value
        return public_holidays.check_subdivision(country, value)

    @field_validator("years")
    @classmethod
    def _years(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("years must not repeat")
        return sorted(value)

    def dates(self) -> list[date]:
        return public_holidays.public_holidays(self.country, self.subdivision, self.years)


class CalendarCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    timezone: TimeZone
    hours: WeekHours
    holidays: Holidays = Field(default_factory=list)
    # Added to `holidays` on create; the result is an ordinary, editable list.
    holidays_from: HolidaysFrom | None = None


class CalendarUpdate(BaseModel):
    """Only the fields sent are changed; `holidays_from` adds to the (new or stored) holidays."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    timezone: TimeZone | None = None
    hours: WeekHours | None = None
    holidays: Holidays | None = None
    holidays_from: HolidaysFrom | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "CalendarUpdate":
        for name in self.model_fields_set - {"holidays_from"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} may not be null")
        return self


class CalendarRead(BaseModel):
    id: int
    name: str
    timezone: str
    hours: WeekHours
    holidays: list[date]
    created_at: datetime
    updated_at: datetime
