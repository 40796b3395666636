"""Deliveries reach a real loopback receiver, signed as docs/webhooks.md says, retried on
failure, logged; internal notes reach only webhooks that ask for them."""

import json
import logging
import time

from sqlalchemy import select

from deskboard.webhooks.models import WebhookDelivery
from tests.webhooks.verifier import verify

SIGNATURE = "X-Deskboard-Signature"


async def _ticket(http, title="Printer on fire"):
    response = await http.post("/api/tickets", json={"title": title, "description": "help"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_ticket_is_posted_signed_and_the_documented_check_accepts_it(
    as_admin, as_agent, receiver, make_webhook, deliver_all, deliveries
):
    hook = await make_webhook(as_admin, receiver.url)
    ticket = await _ticket(as_agent)

    assert await deliver_all() == 1

    [got] = receiver.requests
    assert verify(hook["secret"], got.headers[SIGNATURE], got.body)
    document = json.loads(got.body)
    assert set(document) == {"id", "type", "at", "data"}
    assert document["type"] == "ticket.created"
    assert document["data"]["id"] == ticket["id"]
    assert document["data"]["title"] == "Printer on fire"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Deskboard-Event"] == "ticket.created"
    [row] = await deliveries()
    assert got.headers["X-Deskboard-Delivery"] == str(row.id)
    assert (row.status, row.attempts, row.response_status) == ("delivered", 1, 200)
    assert row.response_snippet == "thanks"


async def test_the_documented_check_refuses_a_tampered_body_an_old_stamp_and_a_wrong_secret(
    as_admin, as_agent, receiver, make_webhook, deliver_all
):
    hook = await make_webhook(as_admin, receiver.url)
    await _ticket(as_agent)
    await deliver_all()
    [got] = receiver.requests
    header, body = got.headers[SIGNATURE], got.body
    stamp = int(header.split(",")[0].removeprefix("t="))

    assert verify(hook["secret"], header, body)
    assert not verify(hook["secret"], header, body.replace(b"Printer", b"Scanner"))
    assert not verify(hook["secret"], header, body + b" ")
    assert not verify(hook["secret"], header, body, now=stamp + 301)
    assert not verify(hook["secret"], header, body, now=stamp - 301)
    assert verify(hook["secret"], header, body, now=stamp + 299)
    assert not verify("whsec_another-secret-entirely", header, body)
    # A replayed signature with a fresh stamp does not match the body's HMAC.
    forged = header.replace(f"t={stamp}", f"t={int(time.time()) + 1}")
    assert not verify(hook["secret"], forged, body)


async def test_a_receiver_failing_with_500_gets_the_delivery_again_then_it_is_delivered(
    as_admin, as_agent, receiver, make_webhook, deliver_all, deliveries
):
    hook = await make_webhook(as_admin, receiver.url)
    receiver.answer(500, 503, body=b"down for maintenance")
    await _ticket(as_agent)

    assert await deliver_all() == 3

    assert len(receiver.requests) == 3
    assert len({r.body for r in receiver.requests}) == 1  # the same document each time
    assert all(verify(hook["secret"], r.headers[SIGNATURE], r.body) for r in receiver.requests)
    [row] = await deliveries()
    assert (row.status, row.attempts, row.response_status) == ("delivered", 3, 200)


async def test_a_delivery_that_keeps_failing_is_marked_failed_with_one_log_line_per_attempt(
    as_admin, as_agent, receiver, make_webhook, deliver_all, deliveries, caplog
):
    await make_webhook(as_admin, receiver.url + "?key=receiver-own-token")
    receiver.answer(500, 500, 500, 500, body=b"x" * 5000)
    await _ticket(as_agent)

    with caplog.at_level(logging.INFO, logger="deskboard.webhooks.worker"):
        assert await deliver_all() == 3  # webhook_max_attempts in the test settings

    assert len(receiver.requests) == 3
    [row] = await deliveries()
    assert (row.status, row.attempts, row.response_status) == ("failed", 3, 500)
    assert row.error == "HTTP 500"
    assert row.response_snippet == "x" * 1024  # bounded
    lines = [r.getMessage() for r in caplog.records if r.name == "deskboard.webhooks.worker"]
    assert len(lines) == 3
    assert "attempt 1/3" in lines[0] and "-> retry" in lines[0]
    assert "attempt 3/3" in lines[2] and "-> failed" in lines[2]
    assert not any("receiver-own-token" in line for line in lines)  # no query string in logs


async def test_an_unreachable_receiver_is_retried_and_its_error_kept(
    as_admin, as_agent, make_webhook, deliver_all, deliveries
):
    # A port nothing listens on (bound then closed).
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await make_webhook(as_admin, f"http://127.0.0.1:{port}/nobody")
    await _ticket(as_agent)

    await deliver_all()

    [row] = await deliveries()
    assert row.status == "failed" and row.attempts == 3
    assert row.response_status is None and "Connect" in (row.error or "")


async def test_internal_notes_reach_only_a_webhook_that_asks_for_them(
    as_admin, as_agent, receiver, make_webhook, deliver_all
):
    public = await make_webhook(as_admin, receiver.url + "/public", events=["comment.created"])
    notes = await make_webhook(
        as_admin, receiver.url + "/notes", events=["comment.internal_created"]
    )
    ticket = await _ticket(as_agent)
    comments = f"/api/tickets/{ticket['id']}/comments"
    assert (
        await as_agent.post(comments, json={"body": "secret note", "internal": True})
    ).is_success
    assert (await as_agent.post(comments, json={"body": "Hello there"})).is_success

    await deliver_all()

    by_path = {}
    for got in receiver.requests:
        by_path.setdefault(got.path, []).append(json.loads(got.body))
    assert [d["type"] for d in by_path["/hook/public"]] == ["comment.created"]
    assert by_path["/hook/public"][0]["data"]["comment"]["body"] == "Hello there"
    assert not any(b"secret note" in r.body for r in receiver.requests if r.path == "/hook/public")
    assert [d["type"] for d in by_path["/hook/notes"]] == ["comment.internal_created"]
    assert by_path["/hook/notes"][0]["data"]["comment"]["body"] == "secret note"
    assert public["id"] != notes["id"]


async def test_updates_and_deletes_go_to_subscribers_and_a_disabled_webhook_gets_nothing(
    as_admin, as_agent, receiver, make_webhook, deliver_all
):
    await make_webhook(as_admin, receiver.url, events=["ticket.updated", "ticket.deleted"])
    await make_webhook(as_admin, receiver.url + "/off", enabled=False)
    ticket = await _ticket(as_agent)
    changed = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"priority": "high", "version": ticket["version"]}
    )
    assert changed.status_code == 200, changed.text
    assert (await as_admin.delete(f"/api/tickets/{ticket['id']}")).status_code == 204

    await deliver_all()

    documents = [json.loads(r.body) for r in receiver.requests]
    assert [r.path for r in receiver.requests] == ["/hook", "/hook"]
    assert [d["type"] for d in documents] == ["ticket.updated", "ticket.deleted"]
    assert documents[0]["data"]["priority"] == "high"


async def test_a_change_that_rolls_back_queues_no_delivery(
    as_admin, as_agent, receiver, make_webhook, deliveries
):
    await make_webhook(as_admin, receiver.url)
    ticket = await _ticket(as_agent)
    stale = await as_agent.put(
        f"/api/tickets/{ticket['id']}", json={"priority": "high", "version": 99}
    )
    assert stale.status_code == 409
    assert [d.event_type for d in await deliveries()] == ["ticket.created"]


async def test_the_test_button_sends_a_signed_ping(
    as_admin, receiver, make_webhook, deliver_all, deliveries
):
    hook = await make_webhook(as_admin, receiver.url, enabled=False)

    queued = await as_admin.post(f"/api/webhooks/{hook['id']}/test")

    assert queued.status_code == 202, queued.text
    assert queued.json()["event_type"] == "ping" and queued.json()["status"] == "pending"
    await deliver_all()
    [got] = receiver.requests
    assert verify(hook["secret"], got.headers[SIGNATURE], got.body)
    assert json.loads(got.body)["type"] == "ping"
    log = (await as_admin.get(f"/api/webhooks/{hook['id']}/deliveries")).json()
    assert [(d["event_type"], d["status"], d["response_status"]) for d in log] == [
        ("ping", "delivered", 200)
    ]


async def test_a_private_destination_is_refused_at_send_time_when_not_allowed(
    as_admin, as_agent, receiver, make_webhook, deliver_all, deliveries, worker_settings
):
    await make_webhook(as_admin, receiver.url.replace("127.0.0.1", "localhost"))
    await _ticket(as_agent)
    strict = worker_settings.model_copy(update={"webhook_allow_private": False})

    await deliver_all(strict)

    assert receiver.requests == []
    [row] = await deliveries()
    assert row.status == "failed"
    assert "private address" in (row.error or "")


async def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_ends(
    as_admin, as_agent, receiver, make_webhook, database
):
    from deskboard.webhooks.worker import claim_due

    await make_webhook(as_admin, receiver.url)
    await _ticket(as_agent)

    first = await claim_due(database, lease_seconds=60)
    second = await claim_due(database, lease_seconds=60)

    assert len(first) == 1 and second == []
    async with database.sessionmaker() as session:
        row = (await session.execute(select(WebhookDelivery))).scalar_one()
    assert row.claim == first[0].claim and row.attempts == 1
