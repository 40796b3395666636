"""Text every database can store: no NUL character (PostgreSQL refuses it in text and jsonb)
and no unpaired surrogate (not UTF-8). Used by request schemas and query parameters."""

from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# The same rules as JSON Schema patterns, for the OpenAPI document (Python's `\s` is what
# str.strip() removes). A JSON string cannot hold an unpaired surrogate, so no pattern for that.
NO_NUL_PATTERN = "^[^\\x00]*$"
NOT_BLANK_PATTERN = "^[^\\x00]*[^\\x00\\s][^\\x00]*$"


class DocumentedPattern:
    """Annotated metadata: state a pattern in the JSON Schema that a validator enforces."""

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["pattern"] = self.pattern
        return schema


def clean_text(value: str) -> str:
    """Refuse text no database can store: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def bad_text_path(value: Any) -> list[str | int] | None:
    """Where a JSON value holds text clean_text refuses (a string or a key), else None."""
    if isinstance(value, str):
        try:
            clean_text(value)
        except ValueError:
            return []
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if bad_text_path(key) is not None:
                return []
            inner = bad_text_path(item)
            if inner is not None:
                return [key, *inner]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            inner = bad_text_path(item)
            if inner is not None:
                return [index, *inner]
    return None


def not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


CleanText = Annotated[str, AfterValidator(clean_text), DocumentedPattern(NO_NUL_PATTERN)]
# Text with at least one character that is not white space.
FilledText = Annotated[
    str, AfterValidator(clean_text), AfterValidator(not_blank), DocumentedPattern(NOT_BLANK_PATTERN)
]
