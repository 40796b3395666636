"""Text every database can store: no NUL character (PostgreSQL refuses it in text and jsonb)
and no unpaired surrogate (not UTF-8). Used by request schemas and query parameters."""

from typing import Annotated, Any

from pydantic import AfterValidator


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


CleanText = Annotated[str, AfterValidator(clean_text)]
