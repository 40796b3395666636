"""The delivery worker: claims due deliveries (never one delivery by two workers at once),
POSTs them signed, and records the answer; failures are retried with backoff and jitter."""

import asyncio
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
from cryptography.exceptions import InvalidTag
from prometheus_client import Counter
from sqlalchemy import select, text, update

from deskboard.config import Settings
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.webhooks.destinations import DestinationRefused, check_destination
from deskboard.webhooks.models import SNIPPET_MAX, Webhook, WebhookDelivery
from deskboard.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    decrypt_secret,
    signature,
)

logger = logging.getLogger(__name__)
ATTEMPTS = Counter(
    "deskboard_webhook_attempts_total", "Webhook delivery attempts by outcome", ["outcome"]
)
BATCH = 20
USER_AGENT = "Deskboard-Webhooks/1"

# PostgreSQL: SKIP LOCKED lets concurrent workers take disjoint rows without waiting.
_CLAIM_POSTGRES = text(
    """
    UPDATE webhook_deliveries SET claim = :claim, attempts = attempts + 1,
           next_attempt_at = :lease_until, last_attempt_at = :now
    WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= :now
        ORDER BY next_attempt_at, id LIMIT :batch
        FOR UPDATE SKIP LOCKED)
    RETURNING id
    """
)


@dataclass(frozen=True)
class Claimed:
    id: int
    webhook_id: int
    claim: str
    attempt: int
    event_type: str
    body: str
    url: str
    secret_encrypted: bytes
    enabled: bool


async def claim_due(
    database: Database, *, lease_seconds: float, batch: int = BATCH
) -> list[Claimed]:
    """Claim up to `batch` due deliveries for this worker: a claimed row is not due again until
    its lease ends (a worker that died mid-send), by when the attempt has long timed out."""
    claim = uuid.uuid4().hex
    now = utcnow()
    lease_until = now + timedelta(seconds=lease_seconds)
    async with database.unit_of_work() as session:
        if session.get_bind().dialect.name == "postgresql":
            params = {"claim": claim, "now": now, "lease_until": lease_until, "batch": batch}
            ids = list((await session.execute(_CLAIM_POSTGRES, params)).scalars())
        else:
            # SQLite: one conditional UPDATE per candidate; only the worker whose UPDATE still
            # finds the row due gets it (SQLite runs one writer at a time).
            due = select(WebhookDelivery.id).where(
                WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now
            )
            candidates = (
                await session.execute(
                    due.order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(batch)
                )
            ).scalars()
            ids = []
            for delivery_id in list(candidates):
                stmt = (
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.id == delivery_id,
                        WebhookDelivery.status == "pending",
                        WebhookDelivery.next_attempt_at <= now,
                    )
                    .values(
                        claim=claim,
                        attempts=WebhookDelivery.attempts + 1,
                        next_attempt_at=lease_until,
                        last_attempt_at=now,
                    )
                    .execution_options(synchronize_session=False)
                )
                if (await session.execute(stmt)).rowcount == 1:  # type: ignore[attr-defined]
                    ids.append(delivery_id)
        if not ids:
            return []
        rows = await session.execute(
            select(WebhookDelivery, Webhook)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        )
        return [
            Claimed(
                id=d.id,
                webhook_id=d.webhook_id,
                claim=claim,
                attempt=d.attempts,
                event_type=d.event_type,
                body=d.body,
                url=w.url,
                secret_encrypted=w.secret_encrypted,
                enabled=w.enabled,
            )
            for d, w in rows.tuples()
        ]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None = None
    snippet: str | None = None
    error: str | None = None
    duration_ms: int = 0
    final: bool = False  # no point retrying (e.g. the webhook was disabled)


async def _post(http: httpx.AsyncClient, item: Claimed, settings: Settings) -> Outcome:
    if not item.enabled and item.event_type != "ping":
        return Outcome(ok=False, error="webhook disabled", final=True)
    started = time.monotonic()
    try:
        await check_destination(item.url, allow_private=settings.webhook_allow_private)
        raw = item.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: signature(
                decrypt_secret(item.secret_encrypted), int(time.time()), raw
            ),
            DELIVERY_HEADER: str(item.id),
            EVENT_HEADER: item.event_type,
        }
        async with http.stream("POST", item.url, content=raw, headers=headers) as response:
            snippet = bytearray()
            async for chunk in response.aiter_bytes():
                snippet.extend(chunk[: SNIPPET_MAX - len(snippet)])
                if len(snippet) >= SNIPPET_MAX:
                    break  # the rest of a large answer is not read
            elapsed = int((time.monotonic() - started) * 1000)
            text_snippet = snippet.decode("utf-8", "replace")
            if 200 <= response.status_code < 300:
                return Outcome(True, response.status_code, text_snippet, duration_ms=elapsed)
            return Outcome(
                False, response.status_code, text_snippet, f"HTTP {response.status_code}", elapsed
            )
    except InvalidTag:
        error = "the secret cannot be decrypted (DESKBOARD_SECRET_KEY changed?): set it again"
        return Outcome(ok=False, error=error, final=True)
    except DestinationRefused as exc:
        return Outcome(ok=False, error=str(exc)[:500], duration_ms=_since(started))
    except httpx.TimeoutException:
        return Outcome(ok=False, error="timed out", duration_ms=_since(started))
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        return Outcome(ok=False, error=error, duration_ms=_since(started))


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _without_query(url: str) -> str:
    """The URL for a log line: a query string may carry a receiver's own token."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def retry_delay(attempt: int, settings: Settings) -> float:
    """Seconds before the next attempt after `attempt` failed: exponential, capped, with
    jitter (half to all of it) so receivers coming back are not hit by every sender at once."""
    ceiling = min(
        settings.webhook_retry_max_seconds, settings.webhook_retry_base_seconds * 2 ** (attempt - 1)
    )
    return ceiling * random.uniform(0.5, 1.0)


async def _record(database: Database, item: Claimed, outcome: Outcome, settings: Settings) -> str:
    now = utcnow()
    values: dict[str, object] = {
        "response_status": outcome.status,
        "response_snippet": outcome.snippet,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
        "claim": None,
    }
    next_at: datetime | None = None
    if outcome.ok:
        state = "delivered"
        values.update(status=state, delivered_at=now)
    elif outcome.final or item.attempt >= settings.webhook_max_attempts:
        state = "failed"
        values.update(status=state)
    else:
        state = "retry"
        next_at = now + timedelta(seconds=retry_delay(item.attempt, settings))
        values.update(next_attempt_at=next_at)
    async with database.unit_of_work() as session:
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == item.id, WebhookDelivery.claim == item.claim)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    logger.info(
        "Webhook delivery %d (%s) attempt %d/%d to %s: %s -> %s%s",
        item.id,
        item.event_type,
        item.attempt,
        settings.webhook_max_attempts,
        _without_query(item.url),
        outcome.status if outcome.status is not None else outcome.error,
        state,
        f" (next at {next_at.isoformat()})" if next_at else "",
    )
    ATTEMPTS.labels(state).inc()
    return state


async def run_once(database: Database, settings: Settings, http: httpx.AsyncClient) -> int:
    """Claim and send one batch; return how many attempts were made."""
    claimed = await claim_due(database, lease_seconds=settings.webhook_lease_seconds)
    by_webhook: dict[int, list[Claimed]] = {}
    for item in claimed:  # claimed oldest first
        by_webhook.setdefault(item.webhook_id, []).append(item)

    async def deliver(items: list[Claimed]) -> None:
        # One receiver's deliveries one after another, in event order; receivers in parallel.
        for item in items:
            outcome = await _post(http, item, settings)
            await _record(database, item, outcome, settings)

    await asyncio.gather(*(deliver(items) for items in by_webhook.values()))
    return len(claimed)


def make_client(settings: Settings) -> httpx.AsyncClient:
    # No redirects: a 3xx could lead past the private-address check; no proxies from the
    # environment: the destination check must be about the host actually connected to.
    return httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds, follow_redirects=False, trust_env=False
    )


async def run_forever(database: Database, settings: Settings) -> None:
    """Deliver until cancelled; a full batch is followed at once by the next one."""
    async with make_client(settings) as http:
        while True:
            try:
                if await run_once(database, settings, http) >= BATCH:
                    continue
            except Exception:  # the next round retries; the API must keep serving
                logger.exception("Webhook delivery round failed")
            await asyncio.sleep(settings.webhook_poll_seconds)
