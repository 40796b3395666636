"""A receiver's signature check written from docs/webhooks.md alone (nothing imported from
deskboard): if the documentation is wrong or incomplete, the tests using this fail."""

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300  # "Refuse if t is more than 5 minutes from your clock"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """True if `header` (X-Deskboard-Signature) signs `body` (raw bytes) with `secret`."""
    fields = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in fields if key == "t"]
    signatures = [value for key, value in fields if key == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        return False
    clock = time.time() if now is None else now
    if abs(clock - int(stamps[0])) > TOLERANCE_SECONDS:
        return False
    signed = stamps[0].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, given) for given in signatures)
