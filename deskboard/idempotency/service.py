"""Claim a key inside the create's own transaction, store the answer in it, replay it later.

The key row is inserted (flushed) before the create runs, in the same transaction: a
concurrent request with the same key waits on the primary key and then fails (409, retry), and
a rolled-back create leaves no key behind, so the retry runs the create again. A committed
create always has its answer stored with it: a client that lost the answer retries with the same
key and gets it back (status and body) instead of a duplicate.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.core.errors import Conflict, Unprocessable
from deskboard.core.time import utcnow
from deskboard.idempotency.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass
class Claim:
    row: IdempotencyKey


def fingerprint(operation: str, body: BaseModel) -> str:
    canonical = json.dumps(
        [operation, body.model_dump(mode="json")], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(
    session: AsyncSession,
    *,
    user_id: int,
    key: str | None,
    operation: str,
    body: BaseModel,
    ttl_hours: int,
) -> Claim | JSONResponse | None:
    """No key: None. A key seen before: its stored answer (or 422 for another body). A new
    key: a Claim to `store` the answer in."""
    if key is None:
        return None
    digest = fingerprint(operation, body)
    existing = await session.get(IdempotencyKey, (user_id, key))
    if existing is not None:
        if existing.created_at < utcnow() - timedelta(hours=ttl_hours):
            await session.delete(existing)  # expired: the key starts over
            await session.flush()
        elif existing.fingerprint != digest:
            raise Unprocessable(
                [
                    {
                        "loc": ["header", HEADER],
                        "msg": "This Idempotency-Key was used with another request; "
                        "use a new key for a new request",
                        "type": "idempotency_key_reused",
                    }
                ]
            )
        else:
            return JSONResponse(
                existing.response,
                status_code=existing.status_code,
                headers={REPLAYED_HEADER: "true"},
            )
    row = IdempotencyKey(
        user_id=user_id, key=key, operation=operation, fingerprint=digest, status_code=0
    )
    session.add(row)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(
            "A request with this Idempotency-Key is in progress; retry in a moment"
        ) from None
    return Claim(row)


def store(claim: Claim | None, status_code: int, response: BaseModel) -> None:
    """Keep the answer with the key; it commits (or rolls back) with the create."""
    if claim is None:
        return
    claim.row.status_code = status_code
    claim.row.response = response.model_dump(mode="json")


async def purge_expired(session: AsyncSession, *, ttl_hours: int) -> int:
    """Delete keys older than the replay window; return how many."""
    cutoff = utcnow() - timedelta(hours=ttl_hours)
    result = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
