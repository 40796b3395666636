"""Webhook endpoints (admins only): CRUD, the delivery log and the test button."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession
from deskboard.tickets.filters import MAX_ID
from deskboard.webhooks import service
from deskboard.webhooks.schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]
Manager = Annotated[User, require("webhooks:manage")]


@router.get("", response_model=list[WebhookRead], responses=errors(403))
async def list_webhooks(session: DbSession, _: Manager) -> list[WebhookRead]:
    return await service.list_webhooks(session)


@router.post("", response_model=WebhookCreated, status_code=201, responses=errors(403))
async def create_webhook(data: WebhookCreate, session: DbSession, user: Manager) -> WebhookCreated:
    """The answer carries the signing secret: the only time it is shown."""
    return await service.create_webhook(session, actor=user, data=data)


@router.get("/{webhook_id}", response_model=WebhookRead, responses=errors(403, 404))
async def get_webhook(webhook_id: WebhookId, session: DbSession, _: Manager) -> WebhookRead:
    return service.webhook_read(await service.get_webhook(session, webhook_id=webhook_id))


@router.patch("/{webhook_id}", response_model=WebhookRead, responses=errors(403, 404))
async def update_webhook(
    webhook_id: WebhookId, data: WebhookUpdate, session: DbSession, user: Manager
) -> WebhookRead:
    return await service.update_webhook(session, actor=user, webhook_id=webhook_id, data=data)


@router.delete("/{webhook_id}", status_code=204, responses=errors(403, 404))
async def delete_webhook(webhook_id: WebhookId, session: DbSession, user: Manager) -> Response:
    await service.delete_webhook(session, actor=user, webhook_id=webhook_id)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries", response_model=list[DeliveryRead], responses=errors(403, 404)
)
async def list_deliveries(
    webhook_id: WebhookId, session: DbSession, _: Manager
) -> list[DeliveryRead]:
    """The latest 100 deliveries, newest first."""
    return await service.list_deliveries(session, webhook_id=webhook_id)


@router.post(
    "/{webhook_id}/test", response_model=DeliveryRead, status_code=202, responses=errors(403, 404)
)
async def send_test(webhook_id: WebhookId, session: DbSession, user: Manager) -> DeliveryRead:
    """Queue a `ping` delivery; its result appears in the delivery log."""
    return await service.send_test(session, actor=user, webhook_id=webhook_id)
