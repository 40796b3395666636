"""Event rules: what they change goes through the ticket service (history names the rule),
every run is logged, a failing rule undoes only itself, rule chains stop at the depth limit."""

from sqlalchemy import select

from deskboard.notifications.models import Notification
from deskboard.tickets.models import Comment
from deskboard.webhooks.models import WebhookDelivery


async def test_urgent_ticket_is_assigned_in_turn_tagged_and_notified(
    as_admin, client_as, make_user, make_team, make_rule, make_ticket, runs_of, database
):
    first, second = await make_user("agent"), await make_user("agent")
    lead = await make_user("agent")
    team = await make_team(as_admin, [first.id, second.id])
    rule = await make_rule(
        as_admin,
        conditions={"priority": ["urgent"]},
        actions=[
            {"type": "assign", "strategy": "round_robin", "team_id": team["id"]},
            {"type": "set", "fields": {"tags": ["urgent-queue"]}},
            {"type": "notify", "user_ids": [lead.id]},
        ],
    )
    requester = await client_as("user")

    urgent = [await make_ticket(requester, priority="urgent") for _ in range(3)]
    calm = await make_ticket(requester, priority="low")

    assert [t["assignee"]["id"] for t in urgent] == [first.id, second.id, first.id]
    assert all(t["tags"] == ["urgent-queue"] for t in urgent)
    assert calm["assignee"] is None and calm["tags"] == []
    history = (await as_admin.get(f"/api/tickets/{urgent[0]['id']}/history")).json()
    assert {change["field"] for change in history} == {"assignee_id", "tags"}
    for change in history:
        assert change["actor"] is None
        assert change["automation"] == {"id": rule["id"], "name": rule["name"]}
    async with database.sessionmaker() as session:
        told = (
            await session.scalars(select(Notification).where(Notification.recipient_id == lead.id))
        ).all()
    assert sorted(n.ticket_id for n in told if n.kind == "automation") == sorted(
        t["id"] for t in urgent
    )
    runs = (await as_admin.get(f"/api/automations/{rule['id']}/runs")).json()
    assert [run["ticket_id"] for run in runs] == [t["id"] for t in reversed(urgent)]
    newest = runs[0]
    assert newest["outcome"] == "applied" and newest["trigger"] == "ticket.created"
    assert newest["results"][0]["changes"] == {"assignee_id": {"from": None, "to": first.id}}
    assert newest["results"][1]["changes"] == {"tags": {"from": [], "to": ["urgent-queue"]}}
    assert f"[{lead.id}]" in newest["results"][2]["detail"]


async def test_updated_rule_runs_when_a_person_changes_the_ticket(
    as_admin, as_agent, make_rule, make_ticket, runs_of
):
    rule = await make_rule(
        as_admin,
        when="ticket.updated",
        conditions={"status": ["pending"]},
        actions=[{"type": "set", "fields": {"tags": ["waiting"]}}],
    )
    ticket = await make_ticket(as_agent)

    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": "pending"}
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tags"] == ["waiting"] and body["version"] == ticket["version"] + 2
    # Its own change fires it again one level deeper: it matches, and has nothing left to do.
    runs = await runs_of(rule["id"])
    assert [(run.depth, run.outcome) for run in runs] == [(2, "unchanged"), (1, "applied")]


async def test_disabled_rules_do_not_run(as_admin, as_agent, make_rule, make_ticket, runs_of):
    rule = await make_rule(
        as_admin, enabled=False, actions=[{"type": "set", "fields": {"priority": "high"}}]
    )

    ticket = await make_ticket(as_agent)

    assert ticket["priority"] == "normal"
    assert await runs_of(rule["id"]) == []


async def test_rules_that_undo_each_other_stop_at_the_depth_limit(
    as_admin, as_agent, make_rule, make_ticket, runs_of
):
    up = await make_rule(
        as_admin,
        when="ticket.updated",
        conditions={"priority": ["low"]},
        actions=[{"type": "set", "fields": {"priority": "high"}}],
    )
    down = await make_rule(
        as_admin,
        when="ticket.updated",
        conditions={"priority": ["high"]},
        actions=[{"type": "set", "fields": {"priority": "low"}}],
    )
    ticket = await make_ticket(as_agent)

    response = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "priority": "low"}
    )

    assert response.status_code == 200, response.text
    # low (person) -> high (up, depth 1) -> low (down, 2) -> high (up, 3) -> down stopped (4)
    # low (person) -> high (up, depth 1) -> low (down, 2) -> high (up, 3) -> down stopped (4);
    # back at depth 3, down still matches: -> low (down, 3) -> up stopped (4). Then it ends.
    assert response.json()["priority"] == "low"
    up_runs, down_runs = await runs_of(up["id"]), await runs_of(down["id"])
    assert sorted((r.depth, r.outcome) for r in up_runs) == [
        (1, "applied"),
        (3, "applied"),
        (4, "stopped"),
    ]
    assert sorted((r.depth, r.outcome) for r in down_runs) == [
        (2, "applied"),
        (3, "applied"),
        (4, "stopped"),
    ]
    stopped = next(r for r in up_runs if r.outcome == "stopped")
    assert "3 rules deep" in stopped.error
    history = (await as_agent.get(f"/api/tickets/{ticket['id']}/history")).json()
    priorities = [c["to"] for c in history if c["field"] == "priority"]
    assert priorities == ["low", "high", "low", "high", "low"]


async def test_a_failing_rule_undoes_only_itself_and_is_logged(
    as_admin, as_agent, make_rule, make_ticket, runs_of, published
):
    good = await make_rule(as_admin, actions=[{"type": "set", "fields": {"tags": ["seen"]}}])
    # Two changes work, then moving a closed ticket back to "new" is refused by the workflow.
    bad = await make_rule(
        as_admin,
        actions=[
            {"type": "set", "fields": {"priority": "urgent"}},
            {"type": "set", "fields": {"status": "closed"}},
            {"type": "set", "fields": {"status": "new"}},
        ],
    )

    ticket = await make_ticket(as_agent, title="Kept")

    assert ticket["tags"] == ["seen"] and ticket["priority"] == "normal"
    assert ticket["status"] == "new"
    (failed,) = await runs_of(bad["id"])
    assert failed.outcome == "failed"
    assert "Action 3 (set)" in failed.error and "cannot move from closed to new" in failed.error
    assert [r.outcome for r in await runs_of(good["id"])] == ["applied"]
    history = (await as_agent.get(f"/api/tickets/{ticket['id']}/history")).json()
    assert [c["field"] for c in history] == ["tags"]
    # The rolled-back priority change never reached a browser.
    priorities = [
        e.data["priority"] for e in published if e.type == "ticket.updated" and "priority" in e.data
    ]
    assert "urgent" not in priorities


async def test_reply_action_adds_the_saved_reply_filled_in(
    as_admin, client_as, make_rule, make_ticket, database
):
    reply = await as_admin.post(
        "/api/saved-replies",
        json={
            "title": "Ack",
            "body": "Hello {{ requester.name }}, got #{{ ticket.number }}.",
            "scope": "global",
        },
    )
    assert reply.status_code == 201, reply.text
    await make_rule(
        as_admin,
        actions=[
            {"type": "reply", "saved_reply_id": reply.json()["id"]},
            {"type": "reply", "saved_reply_id": reply.json()["id"], "internal": True},
        ],
    )
    requester = await client_as("user", name="Ada")

    ticket = await make_ticket(requester)

    seen = (await requester.get(f"/api/tickets/{ticket['id']}/comments")).json()
    assert [c["body"] for c in seen] == [f"Hello Ada, got #{ticket['number']}."]
    assert seen[0]["author"]["id"] == as_admin.user.id
    staff_view = (await as_admin.get(f"/api/tickets/{ticket['id']}/comments")).json()
    assert [c["internal"] for c in staff_view] == [False, True]
    async with database.sessionmaker() as session:
        count = len((await session.scalars(select(Comment))).all())
    assert count == 2


async def test_webhook_action_queues_a_delivery_in_the_outbox(
    as_admin, as_agent, make_rule, make_ticket, database
):
    hook = await as_admin.post(
        "/api/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["ticket.deleted"]}
    )
    assert hook.status_code == 201, hook.text
    rule = await make_rule(as_admin, actions=[{"type": "webhook", "webhook_id": hook.json()["id"]}])

    ticket = await make_ticket(as_agent)

    async with database.sessionmaker() as session:
        deliveries = (await session.scalars(select(WebhookDelivery))).all()
    assert [d.event_type for d in deliveries] == ["automation"]
    assert f'"id":{ticket["id"]}' in deliveries[0].body
    assert f'"automation":{{"id":{rule["id"]}' in deliveries[0].body


async def test_a_rule_moves_a_ticket_into_a_team(
    as_admin, client_as, make_user, make_team, make_rule, make_ticket
):
    member = await make_user("agent")
    team = await make_team(as_admin, [member.id])
    rule = await make_rule(
        as_admin,
        conditions={"tag": ["billing"]},
        actions=[{"type": "set", "fields": {"team_id": team["id"]}}],
    )
    requester = await client_as("user")

    billed = await make_ticket(requester, tags=["billing"])
    other = await make_ticket(requester)

    stored = (await as_admin.get(f"/api/tickets/{billed['id']}")).json()
    assert stored["team_id"] == team["id"]
    assert (await as_admin.get(f"/api/tickets/{other['id']}")).json()["team_id"] is None
    history = (await as_admin.get(f"/api/tickets/{billed['id']}/history")).json()
    assert [(c["field"], c["automation"]["id"]) for c in history] == [("team_id", rule["id"])]
