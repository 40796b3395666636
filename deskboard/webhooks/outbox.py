"""Ticket events become webhook deliveries inside the business transaction: the rows commit
or roll back with the change, so a crash after the commit loses no delivery (the worker sends
them later) and a rolled-back change sends none."""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from deskboard.core import events
from deskboard.core.events import Event
from deskboard.core.time import utcnow
from deskboard.webhooks.models import Webhook, WebhookDelivery
from deskboard.webhooks.schemas import WebhookEvent

_STAGED = "deskboard.webhooks_staged"
_ENABLED = select(Webhook.id, Webhook.events).where(Webhook.enabled.is_(True))
_INSERT = insert(WebhookDelivery)


def webhook_event(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The webhook type and data of a hub event, or None when webhooks do not carry it."""
    if event.type in ("ticket.created", "ticket.deleted"):
        return event.type, event.data
    if event.type != "ticket.updated":
        return None
    comment = event.data.get("comment")
    if comment is None:
        return event.type, event.data
    # A reply or note: its own type, so a note is never sent as (or beside) a public reply.
    kind = WebhookEvent.comment_internal_created if comment.get("internal") else "comment.created"
    return str(kind), event.data


def body(*, event_id: str, event_type: str, at: datetime, data: Any) -> str:
    """The JSON text of a delivery, {"id", "type", "at", "data"}, as signed and sent."""
    document = {"id": event_id, "type": event_type, "at": at.isoformat(), "data": data}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def delivery_values(
    webhook_id: int, *, event_id: str, event_type: str, at: datetime, data: Any
) -> dict[str, Any]:
    now = utcnow()
    return {
        "webhook_id": webhook_id,
        "event_id": event_id,
        "event_type": event_type,
        "body": body(event_id=event_id, event_type=event_type, at=at, data=data),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def install() -> None:
    """Stage deliveries on every commit of this process (done once by the app factory)."""
    if not event.contains(Session, "before_commit", _stage):
        event.listen(Session, "before_commit", _stage)


def _stage(session: Session) -> None:
    """Write a delivery row per (event, subscribed webhook) for the events this commit carries.
    Runs inside the async session's greenlet, so the sync execute below is the same
    connection and transaction as the change."""
    pending = [e for e in events.pending(session.info) if webhook_event(e) is not None]
    staged: set[str] = session.info.setdefault(_STAGED, set())
    fresh = [e for e in pending if e.id not in staged]
    if not fresh:
        return
    subscribed = session.execute(_ENABLED).all()
    rows: list[dict[str, Any]] = []
    for item in fresh:
        staged.add(item.id)
        kind, data = webhook_event(item) or ("", None)
        rows.extend(
            delivery_values(hook_id, event_id=item.id, event_type=kind, at=item.at, data=data)
            for hook_id, types in subscribed
            if kind in types
        )
    if rows:
        session.execute(_INSERT, rows)
