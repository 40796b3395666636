"""Automation rules (admins): keep them, check what they refer to, read their run log."""

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.audit import service as audit
from deskboard.auth.models import User
from deskboard.auth.roles import STAFF
from deskboard.automations.models import Automation, AutomationRun
from deskboard.automations.schemas import (
    AutomationCreate,
    AutomationRead,
    AutomationRunRead,
    AutomationUpdate,
    Trigger,
)
from deskboard.core.errors import NotFound, Unprocessable
from deskboard.core.time import utcnow
from deskboard.replies.models import SavedReply
from deskboard.teams.models import Team
from deskboard.webhooks.models import Webhook

ENTITY = "automation"
RUNS_SHOWN = 200


def automation_read(row: Automation) -> AutomationRead:
    return AutomationRead.model_validate(
        {
            "id": row.id,
            "name": row.name,
            "enabled": row.enabled,
            "when": row.when,
            "after_minutes": row.after_minutes,
            "conditions": row.conditions,
            "actions": row.actions,
            "created_by_id": row.created_by_id,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _document(read: AutomationRead) -> dict[str, Any]:
    return read.model_dump(mode="json", exclude={"created_at", "updated_at"})


async def list_automations(session: AsyncSession) -> list[AutomationRead]:
    stmt = select(Automation).order_by(Automation.position, Automation.id)
    return [automation_read(row) for row in (await session.execute(stmt)).scalars()]


async def get_automation_row(session: AsyncSession, *, automation_id: int) -> Automation:
    row = await session.get(Automation, automation_id)
    if row is None:
        raise NotFound(f"No automation {automation_id}")
    return row


async def create_automation(
    session: AsyncSession, *, actor: User, data: AutomationCreate
) -> AutomationRead:
    document = data.model_dump(mode="json", by_alias=True, exclude_none=False)
    conditions = data.conditions.model_dump(mode="json", by_alias=True, exclude_none=True)
    await _check(session, actor, data.when, data.after_minutes, document["actions"])
    position = await session.scalar(select(func.coalesce(func.max(Automation.position), 0)))
    now = utcnow()
    row = Automation(
        name=data.name,
        enabled=data.enabled,
        when=data.when.value,
        after_minutes=data.after_minutes,
        conditions=conditions,
        actions=_actions_json(data.actions),
        position=(position or 0) + 1,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    read = automation_read(row)
    audit.record(
        session,
        actor_id=actor.id,
        action="automation.created",
        entity_type=ENTITY,
        entity_id=row.id,
        after=_document(read),
    )
    return read


async def update_automation(
    session: AsyncSession, *, actor: User, automation_id: int, data: AutomationUpdate
) -> AutomationRead:
    row = await get_automation_row(session, automation_id=automation_id)
    before = automation_read(row)
    sent = data.model_fields_set
    when = data.when if "when" in sent and data.when is not None else Trigger(row.when)
    if "after_minutes" in sent:
        after_minutes = data.after_minutes
    elif "when" in sent and when != Trigger.time:
        after_minutes = None  # leaving `time`: the wait goes with it
    else:
        after_minutes = row.after_minutes
    actions = _actions_json(data.actions) if data.actions is not None else row.actions
    await _check(session, actor, when, after_minutes, actions)
    if data.name is not None:
        row.name = data.name
    if data.enabled is not None:
        row.enabled = data.enabled
    if data.conditions is not None:
        row.conditions = data.conditions.model_dump(mode="json", by_alias=True, exclude_none=True)
    row.when = when.value
    row.after_minutes = after_minutes
    row.actions = actions
    row.updated_at = utcnow()
    await session.flush()
    read = automation_read(row)
    audit.record(
        session,
        actor_id=actor.id,
        action="automation.updated",
        entity_type=ENTITY,
        entity_id=row.id,
        before=_document(before),
        after=_document(read),
    )
    return read


async def delete_automation(session: AsyncSession, *, actor: User, automation_id: int) -> None:
    """Delete a rule and its run log (history rows it made keep their change, not its name)."""
    row = await get_automation_row(session, automation_id=automation_id)
    before = automation_read(row)
    deleted = await session.execute(delete(Automation).where(Automation.id == automation_id))
    if deleted.rowcount == 0:  # type: ignore[attr-defined]  # a concurrent DELETE got there first
        raise NotFound(f"No automation {automation_id}")
    audit.record(
        session,
        actor_id=actor.id,
        action="automation.deleted",
        entity_type=ENTITY,
        entity_id=automation_id,
        before=_document(before),
    )


async def list_runs(session: AsyncSession, *, automation_id: int) -> list[AutomationRunRead]:
    """The rule's latest runs, newest first."""
    await get_automation_row(session, automation_id=automation_id)
    stmt = (
        select(AutomationRun)
        .where(AutomationRun.automation_id == automation_id)
        .order_by(AutomationRun.id.desc())
        .limit(RUNS_SHOWN)
    )
    return [AutomationRunRead.model_validate(r) for r in (await session.execute(stmt)).scalars()]


def _actions_json(actions: list[Any]) -> list[dict[str, Any]]:
    """Actions as stored (a `set` keeps only the fields sent: SetFields serialises so)."""
    return [action.model_dump(mode="json") for action in actions]


def _problem(loc: list[str | int], msg: str, kind: str) -> dict[str, Any]:
    return {"loc": ["body", *loc], "msg": msg, "type": kind}


async def _check(
    session: AsyncSession,
    actor: User,
    when: Trigger,
    after_minutes: int | None,
    actions: list[dict[str, Any]],
) -> None:
    """422 naming every action that refers to something missing, and a time rule without its
    wait (or an event rule with one)."""
    problems: list[dict[str, Any]] = []
    if when == Trigger.time and after_minutes is None:
        problems.append(_problem(["after_minutes"], "A time rule needs after_minutes", "missing"))
    if when != Trigger.time and after_minutes is not None:
        problems.append(
            _problem(["after_minutes"], "Only time rules wait: leave after_minutes out", "extra")
        )
    for index, action in enumerate(actions):
        loc: list[str | int] = ["actions", index]
        kind = action["type"]
        if kind == "set":
            fields = action["fields"]
            if fields.get("assignee_id") is not None:
                person = await session.get(User, fields["assignee_id"])
                if person is None or not person.is_active or person.role not in STAFF:
                    msg = "The assignee must be an active agent or admin"
                    problems.append(_problem([*loc, "fields", "assignee_id"], msg, "assignee"))
            if (
                fields.get("team_id") is not None
                and await session.get(Team, fields["team_id"]) is None
            ):
                msg = f"No team {fields['team_id']}"
                problems.append(_problem([*loc, "fields", "team_id"], msg, "not_found"))
        elif kind == "assign" and await session.get(Team, action["team_id"]) is None:
            msg = f"No team {action['team_id']}"
            problems.append(_problem([*loc, "team_id"], msg, "not_found"))
        elif kind == "reply":
            reply = await session.get(SavedReply, action["saved_reply_id"])
            # Someone else's personal reply is theirs alone: a rule may not send it.
            if reply is None or (reply.scope == "personal" and reply.owner_id != actor.id):
                msg = f"No saved reply {action['saved_reply_id']}"
                problems.append(_problem([*loc, "saved_reply_id"], msg, "not_found"))
        elif kind == "notify":
            ids = action["user_ids"]
            found = set((await session.execute(select(User.id).where(User.id.in_(ids)))).scalars())
            for position, user_id in enumerate(ids):
                if user_id not in found:
                    msg = f"No user {user_id}"
                    problems.append(_problem([*loc, "user_ids", position], msg, "not_found"))
        elif kind == "webhook" and await session.get(Webhook, action["webhook_id"]) is None:
            msg = f"No webhook {action['webhook_id']}"
            problems.append(_problem([*loc, "webhook_id"], msg, "not_found"))
    if problems:
        raise Unprocessable(problems)
