"""The Idempotency-Key request header, as a typed dependency for create routes."""

from typing import Annotated

from fastapi import Header

from deskboard.idempotency.models import KEY_MAX

# Printable ASCII without spaces at the ends (a UUID is the usual choice).
KEY_PATTERN = r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$"

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=KEY_MAX,
        pattern=KEY_PATTERN,
        description="Makes a retried create safe: the same key with the same body within "
        "DESKBOARD_IDEMPOTENCY_KEY_HOURS returns the first answer (with "
        "`Idempotent-Replayed: true`) instead of creating again; with another body, 422.",
    ),
]
