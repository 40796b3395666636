"""Webhook rules: admins keep them; the secret is shown once; every write is audited."""

import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.config import get_settings
from deskboard.core.errors import NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.webhooks import outbox
from deskboard.webhooks.destinations import is_private, literal_address
from deskboard.webhooks.models import Webhook, WebhookDelivery
from deskboard.webhooks.schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from deskboard.webhooks.signing import encrypt_secret, new_secret

DELIVERIES_PAGE = 100


def webhook_read(row: Webhook) -> WebhookRead:
    return WebhookRead(
        id=row.id,
        url=row.url,
        events=list(row.events),
        enabled=row.enabled,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _document(row: Webhook) -> dict[str, Any]:
    """What the audit log keeps of a webhook (never the secret)."""
    return webhook_read(row).model_dump(mode="json", exclude={"created_at", "updated_at"})


def _check_literal_address(url: str) -> None:
    """A private IP written in the URL is refused at once (names are checked at each send)."""
    address = literal_address(urlsplit(url).hostname or "")
    if address is not None and is_private(address) and not get_settings().webhook_allow_private:
        raise Unprocessable(
            [
                {
                    "loc": ["body", "url"],
                    "msg": "private, loopback and link-local addresses are refused "
                    "(DESKBOARD_WEBHOOK_ALLOW_PRIVATE)",
                    "type": "value_error",
                }
            ]
        )


async def list_webhooks(session: AsyncSession) -> list[WebhookRead]:
    rows = await session.execute(select(Webhook).order_by(Webhook.id))
    return [webhook_read(row) for row in rows.scalars()]


async def get_webhook(session: AsyncSession, *, webhook_id: int) -> Webhook:
    row = await session.get(Webhook, webhook_id)
    if row is None:
        raise NotFound(f"No webhook {webhook_id}")
    return row


async def create_webhook(
    session: AsyncSession, *, actor: User, data: WebhookCreate
) -> WebhookCreated:
    _check_literal_address(data.url)
    secret = data.secret or new_secret()
    now = utcnow()
    row = Webhook(
        url=data.url,
        events=[str(e) for e in data.events],
        secret_encrypted=encrypt_secret(secret),
        enabled=data.enabled,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="webhook.created",
        entity_type="webhook",
        entity_id=row.id,
        after=_document(row),
    )
    return WebhookCreated(**webhook_read(row).model_dump(), secret=secret)


async def update_webhook(
    session: AsyncSession, *, actor: User, webhook_id: int, data: WebhookUpdate
) -> WebhookRead:
    row = await get_webhook(session, webhook_id=webhook_id)
    before = _document(row)
    if data.url is not None:
        _check_literal_address(data.url)
        row.url = data.url
    if data.events is not None:
        row.events = [str(e) for e in data.events]
    if data.enabled is not None:
        row.enabled = data.enabled
    if data.secret is not None:
        row.secret_encrypted = encrypt_secret(data.secret)
    row.updated_at = utcnow()
    await session.flush()
    after = _document(row)
    if data.secret is not None:
        after["secret"] = "(changed)"
    audit.record(
        session,
        actor_id=actor.id,
        action="webhook.updated",
        entity_type="webhook",
        entity_id=row.id,
        before=before,
        after=after,
    )
    return webhook_read(row)


async def delete_webhook(session: AsyncSession, *, actor: User, webhook_id: int) -> None:
    row = await get_webhook(session, webhook_id=webhook_id)
    before = _document(row)
    await session.delete(row)  # its deliveries go with it (ON DELETE CASCADE)
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="webhook.deleted",
        entity_type="webhook",
        entity_id=webhook_id,
        before=before,
    )


async def list_deliveries(
    session: AsyncSession, *, webhook_id: int, limit: int = DELIVERIES_PAGE
) -> list[DeliveryRead]:
    """The most recent deliveries first."""
    await get_webhook(session, webhook_id=webhook_id)
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    rows = await session.execute(stmt)
    return [DeliveryRead.model_validate(row) for row in rows.scalars()]


async def send_test(session: AsyncSession, *, actor: User, webhook_id: int) -> DeliveryRead:
    """Queue a `ping` delivery (sent by the worker like any other, even if disabled)."""
    row = await get_webhook(session, webhook_id=webhook_id)
    values = outbox.delivery_values(
        row.id,
        event_id=uuid.uuid4().hex,
        event_type="ping",
        at=utcnow(),
        data={"webhook_id": row.id, "requested_by": actor.id},
    )
    delivery = WebhookDelivery(**values)
    session.add(delivery)
    await session.flush()
    return DeliveryRead.model_validate(delivery)
