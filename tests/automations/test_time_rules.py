"""Time rules: once per ticket per quiet period, idempotent across sweeps (and restarts: the
claim is a row), chained rules ("pending 3 days -> remind, then a day later -> close")."""

from datetime import timedelta

from sqlalchemy import update

from deskboard.automations.engine import run_time_rules
from deskboard.core.time import utcnow
from deskboard.tickets.models import Ticket

DAY = 24 * 60


async def _age(database, ticket_id, *, days):
    """Make the ticket's last change `days` ago (as if time had passed)."""
    async with database.unit_of_work() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(updated_at=utcnow() - timedelta(days=days, seconds=1))
        )


async def test_pending_three_days_reminds_then_closes_a_day_later(
    as_admin, as_agent, client_as, make_rule, make_ticket, database, runs_of
):
    reply = await as_admin.post(
        "/api/saved-replies",
        json={
            "title": "Reminder",
            "body": "Hi {{ requester.name }}, are you still there?",
            "scope": "global",
        },
    )
    remind = await make_rule(
        as_admin,
        when="time",
        after_minutes=3 * DAY,
        conditions={"status": ["pending"]},
        actions=[{"type": "reply", "saved_reply_id": reply.json()["id"]}],
    )
    # Closes a ticket the reminder touched a day ago (the reminder is its last change).
    close = await make_rule(
        as_admin,
        when="time",
        after_minutes=DAY,
        conditions={"status": ["pending"], "tag": ["reminded"]},
        actions=[{"type": "set", "fields": {"status": "closed"}}],
    )
    await as_admin.patch(
        f"/api/automations/{remind['id']}",
        json={
            "actions": [
                {"type": "reply", "saved_reply_id": reply.json()["id"]},
                {"type": "set", "fields": {"tags": ["reminded"]}},
            ]
        },
    )
    requester = await client_as("user", name="Bo")
    quiet = await make_ticket(requester)
    busy = await make_ticket(requester)
    for ticket in (quiet, busy):
        moved = await as_agent.put(
            f"/api/tickets/{ticket['id']}", json={"version": 1, "status": "pending"}
        )
        assert moved.status_code == 200, moved.text
    await _age(database, quiet["id"], days=3)
    await _age(database, busy["id"], days=2)

    assert await run_time_rules(database) == 1
    assert await run_time_rules(database) == 0  # the same quiet period: nothing twice

    comments = (await requester.get(f"/api/tickets/{quiet['id']}/comments")).json()
    assert [c["body"] for c in comments] == ["Hi Bo, are you still there?"]
    assert (await requester.get(f"/api/tickets/{busy['id']}/comments")).json() == []
    (run,) = await runs_of(remind["id"])
    assert (run.trigger, run.outcome, run.ticket_id) == ("time", "applied", quiet["id"])

    # A day after the reminder (its last change), the closing rule acts; the reminder does not
    # act again (its 3 days have not passed since).
    await _age(database, quiet["id"], days=1)
    assert await run_time_rules(database) == 1
    closed = (await as_agent.get(f"/api/tickets/{quiet['id']}")).json()
    assert closed["status"] == "closed"
    history = (await as_agent.get(f"/api/tickets/{quiet['id']}/history")).json()
    assert history[-1]["automation"] == {"id": close["id"], "name": close["name"]}
    assert [r.outcome for r in await runs_of(close["id"])] == ["applied"]
    assert len(await runs_of(remind["id"])) == 1


async def test_a_rule_waits_its_time_and_its_own_change_starts_a_new_period(
    as_admin, as_agent, make_rule, make_ticket, database, runs_of
):
    rule = await make_rule(
        as_admin,
        when="time",
        after_minutes=60,
        actions=[{"type": "set", "fields": {"priority": "low"}}],
    )
    ticket = await make_ticket(as_agent)

    assert await run_time_rules(database, now=utcnow() + timedelta(minutes=59)) == 0
    assert await run_time_rules(database, now=utcnow() + timedelta(minutes=61)) == 1
    assert (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()["priority"] == "low"
    # The rule's own change starts a new period: an hour later it would act again, but its
    # conditions (any ticket) now find nothing to change: logged as unchanged.
    await _age(database, ticket["id"], days=1)
    assert await run_time_rules(database) == 1
    assert [r.outcome for r in await runs_of(rule["id"])] == ["applied", "unchanged"]


async def test_two_sweeps_at_once_act_once(as_admin, as_agent, make_rule, make_ticket, database):
    import asyncio

    await make_rule(
        as_admin,
        when="time",
        after_minutes=60,
        actions=[{"type": "set", "fields": {"tags": ["swept"]}}],
    )
    tickets = [await make_ticket(as_agent) for _ in range(5)]
    for ticket in tickets:
        await _age(database, ticket["id"], days=1)

    counts = await asyncio.gather(run_time_rules(database), run_time_rules(database))

    assert sum(counts) == 5
    for ticket in tickets:
        history = (await as_agent.get(f"/api/tickets/{ticket['id']}/history")).json()
        assert [c["field"] for c in history] == ["tags"]
