"""Running automation rules: on ticket events, and on time (a once-per-cluster sweep).

Event rules run inside the transaction of the change that triggered them (the ticket service
calls `on_ticket_event` before returning), each rule in a SAVEPOINT:
- the change and what the rules did commit together or not at all: no window where a ticket
  exists unassigned, no run lost by a crash between commit and an after-commit job, and the
  creator's answer already shows the rule's work;
- a failing rule rolls back only its own changes (and their queued events) and is logged as
  failed; the person's change still stands;
- the round-robin cursor lock is held to the commit, which is what keeps turns fair.
The price is latency on the triggering request (a few queries per matching rule).

Changes go through the ticket service (version bump, history, audit, events, notifications)
as a stand-in actor for the rule (never stored: actor_id null) with `automation_id` on every
history row. A rule's change fires `ticket.updated` rules again, one level deeper; past
MAX_DEPTH levels a matching rule is not run but logged as `stopped`, so rules that undo each
other end after a few rounds.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.auth.roles import STAFF, Role
from deskboard.automations.assignment import choose_member
from deskboard.automations.models import ERROR_MAX, Automation, AutomationRun
from deskboard.automations.schemas import ActionResult, RunOutcome
from deskboard.core import events
from deskboard.core.errors import DomainError
from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.notifications.service import notify_people
from deskboard.replies import templating
from deskboard.replies.models import SavedReply
from deskboard.teams.models import Team
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import filter_conditions
from deskboard.tickets.schemas import CommentCreate, TicketUpdate
from deskboard.webhooks.models import Webhook, WebhookDelivery
from deskboard.webhooks.outbox import delivery_values

logger = logging.getLogger(__name__)
RUNS = Counter("deskboard_automation_runs", "Automation rule runs", ["trigger", "outcome"])

MAX_DEPTH = 3
SWEEP_BATCH = 200
_DEPTH = "deskboard.automation_depth"
# Ticket fields a run reports before/after.
_WATCHED = ("status", "priority", "assignee_id", "team_id", "tags")


@dataclass(frozen=True)
class Rule:
    """A rule as plain values: savepoint rollbacks expire ORM rows, these stay readable."""

    id: int
    name: str
    when: str
    after_minutes: int | None
    conditions: TicketFilter
    actions: list[dict[str, Any]]
    created_by_id: int | None

    @classmethod
    def of(cls, row: Automation) -> "Rule":
        return cls(
            id=row.id,
            name=row.name,
            when=row.when,
            after_minutes=row.after_minutes,
            conditions=TicketFilter.model_validate(row.conditions),
            actions=list(row.actions),
            created_by_id=row.created_by_id,
        )


class ActionFailed(Exception):
    """An action could not be done (a missing team, reply or webhook; a refused change)."""


def rule_actor(rule: Rule) -> User:
    """The rule as the actor of its changes: an admin's rights, no stored account (id None),
    so history, audit and notifications carry no person; history rows name the rule."""
    return User(
        id=None, name=f"Automation “{rule.name}”", email="", role=Role.admin.value, is_active=True
    )


async def load_rules(session: AsyncSession, trigger: str) -> list[Rule]:
    stmt = (
        select(Automation)
        .where(Automation.when == trigger, Automation.enabled.is_(True))
        .order_by(Automation.position, Automation.id)
    )
    return [Rule.of(row) for row in (await session.execute(stmt)).scalars()]


async def matches(session: AsyncSession, rule: Rule, ticket_id: int) -> bool:
    """Whether the ticket is in the set the rule's filter selects (the list's own SQL)."""
    conditions = filter_conditions(rule.conditions, rule_actor(rule))
    stmt = select(Ticket.id).where(Ticket.id == ticket_id, *conditions)
    return (await session.execute(stmt)).first() is not None


async def on_ticket_event(
    session: AsyncSession, *, trigger: str, ticket: Ticket, changes: dict[str, Any]
) -> Ticket:
    """Run the enabled rules for `trigger` that match the ticket; the ticket as they left it."""
    rules = await load_rules(session, trigger)
    if not rules:
        return ticket
    depth = session.info.get(_DEPTH, 0) + 1
    ran = False
    for rule in rules:
        if not await matches(session, rule, ticket.id):
            continue
        if depth > MAX_DEPTH:
            _log(
                session,
                rule,
                ticket.id,
                trigger,
                depth,
                RunOutcome.stopped,
                [],
                f"Not run: already {MAX_DEPTH} rules deep in a chain of rule changes "
                f"(rules changing tickets in turn would never end)",
            )
            continue
        await run_rule(session, rule=rule, ticket_id=ticket.id, trigger=trigger, depth=depth)
        ran = True
    if not ran:
        return ticket
    from deskboard.tickets.service import reload_ticket

    return await reload_ticket(session, ticket.id)


async def run_rule(
    session: AsyncSession,
    *,
    rule: Rule,
    ticket_id: int,
    trigger: str,
    depth: int,
    run_id: int | None = None,
) -> RunOutcome:
    """Apply the rule's actions in order inside a savepoint and log the run (or complete the
    claimed run `run_id`). A failing action undoes the rule's earlier actions too."""
    marked = events.mark(session)
    results: list[ActionResult] = []
    error: str | None = None
    previous_depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth
    try:
        async with session.begin_nested():
            for index, action in enumerate(rule.actions):
                try:
                    results.append(await _apply(session, rule, action, ticket_id))
                except (ActionFailed, DomainError, ValueError) as exc:
                    where = f"Action {index + 1} ({action['type']})"
                    raise ActionFailed(f"{where}: {_why(exc)}") from exc
                except Exception as exc:  # a bug or a database error: logged, the change stands
                    logger.exception("Automation %s failed on ticket %s", rule.id, ticket_id)
                    where = f"Action {index + 1} ({action['type']})"
                    raise ActionFailed(f"{where}: unexpected error {type(exc).__name__}") from exc
    except ActionFailed as exc:
        error = str(exc)[:ERROR_MAX]
        events.drop_since(session, marked)
    finally:
        session.info[_DEPTH] = previous_depth
    if error is not None:
        outcome = RunOutcome.failed
    elif any(result.changes or result.detail for result in results):
        outcome = RunOutcome.applied
    else:
        outcome = RunOutcome.unchanged
    if run_id is None:
        _log(session, rule, ticket_id, trigger, depth, outcome, results, error)
    else:
        await session.execute(
            update(AutomationRun)
            .where(AutomationRun.id == run_id)
            .values(
                outcome=outcome.value,
                results=[r.model_dump(mode="json") for r in results],
                error=error,
            )
        )
        RUNS.labels(trigger=trigger, outcome=outcome.value).inc()
    return outcome


def _why(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        detail = exc.detail
        if isinstance(detail, list):  # Unprocessable: the bad fields
            return "; ".join(str(item.get("msg", item)) for item in detail)
        return str(detail)
    return str(exc)


def _log(
    session: AsyncSession,
    rule: Rule,
    ticket_id: int,
    trigger: str,
    depth: int,
    outcome: RunOutcome,
    results: list[ActionResult],
    error: str | None,
) -> None:
    session.add(
        AutomationRun(
            automation_id=rule.id,
            ticket_id=ticket_id,
            trigger=trigger,
            depth=depth,
            outcome=outcome.value,
            results=[r.model_dump(mode="json") for r in results],
            error=error,
            at=utcnow(),
        )
    )
    RUNS.labels(trigger=trigger, outcome=outcome.value).inc()


def _snapshot(ticket: Ticket) -> dict[str, Any]:
    return {name: (ticket.tags if name == "tags" else getattr(ticket, name)) for name in _WATCHED}


async def _apply(
    session: AsyncSession, rule: Rule, action: dict[str, Any], ticket_id: int
) -> ActionResult:
    kind = action["type"]
    if kind == "set":
        return await _set_fields(session, rule, ticket_id, dict(action["fields"]), kind)
    if kind == "assign":
        if await session.get(Team, action["team_id"]) is None:
            raise ActionFailed(f"No team {action['team_id']}")
        member = await choose_member(
            session,
            automation_id=rule.id,
            team_id=action["team_id"],
            strategy=action["strategy"],
        )
        if member is None:
            return ActionResult(
                type=kind,
                detail=f"Nobody available in team {action['team_id']} (all away or disabled)",
            )
        return await _set_fields(session, rule, ticket_id, {"assignee_id": member}, kind)
    if kind == "reply":
        return await _reply(session, rule, action, ticket_id)
    if kind == "notify":
        return await _notify(session, rule, action, ticket_id)
    if kind == "webhook":
        return await _webhook(session, rule, action, ticket_id)
    raise ActionFailed(f"Unknown action type {kind!r}")


async def _set_fields(
    session: AsyncSession, rule: Rule, ticket_id: int, fields: dict[str, Any], kind: str
) -> ActionResult:
    from deskboard.tickets.service import reload_ticket, update_ticket

    ticket = await reload_ticket(session, ticket_id)
    before = _snapshot(ticket)
    data = TicketUpdate.model_validate({"version": ticket.version, **fields})
    wanted = {name: getattr(value, "value", value) for name, value in data.changes().items()}
    # What this action changed (rules it set off may change the ticket further: their runs say).
    changes = {
        name: {"from": before[name], "to": value}
        for name, value in wanted.items()
        if name in before and before[name] != value
    }
    await update_ticket(
        session, actor=rule_actor(rule), ticket=ticket, data=data, automation_id=rule.id
    )
    return ActionResult(type=kind, changes=changes)


async def _reply(
    session: AsyncSession, rule: Rule, action: dict[str, Any], ticket_id: int
) -> ActionResult:
    from deskboard.tickets.conversation import add_comment
    from deskboard.tickets.service import reload_ticket

    reply = await session.get(SavedReply, action["saved_reply_id"])
    if reply is None:
        raise ActionFailed(f"No saved reply {action['saved_reply_id']}")
    # A comment needs an author: the person who made the rule (an admin) writes it.
    owner = await session.get(User, rule.created_by_id) if rule.created_by_id else None
    if owner is None or not owner.is_active or owner.role not in STAFF:
        raise ActionFailed("The rule's author is gone or no longer staff: nobody can write it")
    ticket = await reload_ticket(session, ticket_id)
    context = templating.make_context(
        ticket={
            "id": ticket.id,
            "number": ticket.number,
            "title": ticket.title,
            "status": ticket.status,
            "priority": ticket.priority,
        },
        requester={"name": ticket.requester.name, "email": ticket.requester.email},
        agent={"name": owner.name, "email": owner.email},
    )
    try:
        body = templating.render(reply.body, context)
        data = CommentCreate(body=body, internal=bool(action.get("internal", False)))
    except templating.TemplateProblem as problem:
        raise ActionFailed(f"The saved reply cannot be filled in: {problem}") from None
    comment = await add_comment(session, actor=owner, ticket=ticket, data=data)
    await session.execute(
        update(SavedReply)
        .where(SavedReply.id == reply.id)
        .values(usage_count=SavedReply.usage_count + 1, last_used_at=utcnow())
    )
    what = "internal note" if data.internal else "public reply"
    return ActionResult(
        type="reply", detail=f"Added {what} {comment.id} from saved reply “{reply.title}”"
    )


async def _notify(
    session: AsyncSession, rule: Rule, action: dict[str, Any], ticket_id: int
) -> ActionResult:
    from deskboard.tickets.service import reload_ticket

    ticket = await reload_ticket(session, ticket_id)
    sent = await notify_people(
        session,
        recipients=action["user_ids"],
        ticket=ticket,
        actor=rule_actor(rule),
        title=f"{rule.name}: #{ticket.number}",
    )
    told = sorted(n.recipient_id for n in sent)
    skipped = sorted(set(action["user_ids"]) - set(told))
    detail = f"Notified users {told}" if told else "Nobody notified"
    if skipped:
        detail += f"; skipped {skipped} (disabled, or may not see the ticket)"
    return ActionResult(type="notify", detail=detail)


async def _webhook(
    session: AsyncSession, rule: Rule, action: dict[str, Any], ticket_id: int
) -> ActionResult:
    from deskboard.tickets.service import reload_ticket, ticket_json

    hook = await session.get(Webhook, action["webhook_id"])
    if hook is None:
        raise ActionFailed(f"No webhook {action['webhook_id']}")
    if not hook.enabled:
        return ActionResult(type="webhook", detail=f"Webhook {hook.id} is disabled: nothing sent")
    ticket = await reload_ticket(session, ticket_id)
    values = delivery_values(
        hook.id,
        event_id=uuid.uuid4().hex,
        event_type="automation",
        at=utcnow(),
        data={"automation": {"id": rule.id, "name": rule.name}, "ticket": ticket_json(ticket)},
    )
    delivery = WebhookDelivery(**values)
    session.add(delivery)
    await session.flush()
    return ActionResult(
        type="webhook", detail=f"Queued delivery {delivery.id} to webhook {hook.id}"
    )


# --- Time rules -------------------------------------------------------------------------------


async def run_time_rules(database: Database, *, now: datetime | None = None) -> int:
    """Apply every enabled time rule to the tickets quiet for its `after_minutes` (since their
    last change, `updated_at`) and matching its conditions; return how many runs were made.

    Once per ticket per quiet period: the run row (rule, ticket, the `updated_at` that
    qualified) is claimed by a unique index in the same transaction as the actions, so a
    repeated, restarted or concurrent sweep does nothing twice. A rule's own change (a reply)
    starts a new period, after which the rule (or a later one) may act again."""
    now = now or utcnow()
    async with database.unit_of_work() as session:
        rules = await load_rules(session, "time")
    total = 0
    for rule in rules:
        if not rule.after_minutes:
            continue
        cutoff = now - timedelta(minutes=rule.after_minutes)
        for _ in range(10_000):  # a bound, not a limit met in practice
            async with database.unit_of_work() as session:
                due = await _quiet_tickets(session, rule, cutoff)
            for ticket_id, period in due:
                total += await _run_timed(database, rule, ticket_id, period)
            if len(due) < SWEEP_BATCH:
                break
    logger.info("Time rules: %d runs over %d rules", total, len(rules))
    return total


async def _quiet_tickets(
    session: AsyncSession, rule: Rule, cutoff: datetime
) -> list[tuple[int, datetime]]:
    already = exists().where(
        AutomationRun.automation_id == rule.id,
        AutomationRun.ticket_id == Ticket.id,
        AutomationRun.period_at == Ticket.updated_at,
    )
    stmt = (
        select(Ticket.id, Ticket.updated_at)
        .where(
            Ticket.updated_at <= cutoff,
            ~already,
            *filter_conditions(rule.conditions, rule_actor(rule)),
        )
        .order_by(Ticket.updated_at, Ticket.id)
        .limit(SWEEP_BATCH)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def _run_timed(database: Database, rule: Rule, ticket_id: int, period: datetime) -> int:
    async with database.unit_of_work() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        claim = (
            insert(AutomationRun)
            .values(
                automation_id=rule.id,
                ticket_id=ticket_id,
                trigger="time",
                depth=1,
                period_at=period,
                outcome=RunOutcome.unchanged.value,
                results=[],
                at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["automation_id", "ticket_id", "period_at"])
            .returning(AutomationRun.id)
        )
        run_id = (await session.execute(claim)).scalar_one_or_none()
        if run_id is None:  # another sweep has it
            return 0
        current = await session.get(Ticket, ticket_id, populate_existing=True)
        if current is None or current.updated_at != period:
            # Changed since it was found: that quiet period is over, nothing to do or log.
            await session.execute(delete(AutomationRun).where(AutomationRun.id == run_id))
            return 0
        await run_rule(
            session, rule=rule, ticket_id=ticket_id, trigger="time", depth=1, run_id=run_id
        )
        return 1
