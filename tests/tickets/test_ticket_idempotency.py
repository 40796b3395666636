"""Idempotency-Key on ticket and comment creates: a retry returns the first answer, never a
second row; another body under the same key is refused; keys are per person and expire."""

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from deskboard.core.time import utcnow
from deskboard.db import Database
from deskboard.idempotency.models import IdempotencyKey
from deskboard.idempotency.service import purge_expired
from deskboard.tickets.models import Comment, Ticket


async def _count(database: Database, model: type) -> int:
    async with database.sessionmaker() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_retried_ticket_create_returns_the_first_answer(as_user, database):
    headers = {"Idempotency-Key": "create-1"}
    body = {"title": "Printer on fire", "description": "Smoke"}
    first = await as_user.post("/api/tickets", json=body, headers=headers)
    again = await as_user.post("/api/tickets", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _count(database, Ticket) == 1


async def test_without_a_key_each_post_creates(as_user, database):
    body = {"title": "Two of these"}
    assert (await as_user.post("/api/tickets", json=body)).status_code == 201
    assert (await as_user.post("/api/tickets", json=body)).status_code == 201
    assert await _count(database, Ticket) == 2


async def test_the_same_key_with_another_body_is_422_and_creates_nothing(as_user, database):
    headers = {"Idempotency-Key": "create-2"}
    assert (
        await as_user.post("/api/tickets", json={"title": "First"}, headers=headers)
    ).status_code == 201
    other = await as_user.post("/api/tickets", json={"title": "Second"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert await _count(database, Ticket) == 1


async def test_keys_belong_to_one_person(as_user, as_agent, database):
    headers = {"Idempotency-Key": "shared-name"}
    body = {"title": "Same key, two people"}
    mine = await as_user.post("/api/tickets", json=body, headers=headers)
    theirs = await as_agent.post("/api/tickets", json=body, headers=headers)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


async def test_a_refused_create_keeps_no_key(as_guest, as_user, database):
    headers = {"Idempotency-Key": "refused"}
    assert (
        await as_guest.post("/api/tickets", json={"title": "Nope"}, headers=headers)
    ).status_code == 403
    bad = await as_user.post("/api/tickets", json={"title": ""}, headers=headers)
    assert bad.status_code == 422
    assert await _count(database, IdempotencyKey) == 0
    good = await as_user.post("/api/tickets", json={"title": "Now right"}, headers=headers)
    assert good.status_code == 201


async def test_malformed_keys_are_422(as_user, database):
    for key in ["x" * 256, " padded ", "tab\there"]:
        answer = await as_user.post(
            "/api/tickets", json={"title": "Key check"}, headers={"Idempotency-Key": key}
        )
        assert answer.status_code == 422, key
    assert await _count(database, Ticket) == 0


async def test_a_retried_comment_is_stored_once(as_user, make_ticket, database):
    ticket = await make_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}/comments"
    headers = {"Idempotency-Key": "comment-1"}
    first = await as_user.post(url, json={"body": "Any news?"}, headers=headers)
    again = await as_user.post(url, json={"body": "Any news?"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await _count(database, Comment) == 1
    other = await as_user.post(url, json={"body": "Another"}, headers=headers)
    assert other.status_code == 422


async def test_the_same_key_on_another_ticket_is_another_request(as_user, make_ticket, database):
    one, two = await make_ticket(as_user), await make_ticket(as_user)
    headers = {"Idempotency-Key": "comment-2"}
    body = {"body": "Same words"}
    assert (
        await as_user.post(f"/api/tickets/{one['id']}/comments", json=body, headers=headers)
    ).status_code == 201
    reused = await as_user.post(f"/api/tickets/{two['id']}/comments", json=body, headers=headers)
    assert reused.status_code == 422


async def test_concurrent_retries_create_once(as_user, database):
    headers = {"Idempotency-Key": "racing"}
    body = {"title": "Double click"}
    answers = await asyncio.gather(
        *(as_user.post("/api/tickets", json=body, headers=headers) for _ in range(4))
    )
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses
    assert await _count(database, Ticket) == 1
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1


async def test_expired_keys_start_over_and_are_purged(as_user, database):
    headers = {"Idempotency-Key": "old"}
    body = {"title": "Yesterday"}
    assert (await as_user.post("/api/tickets", json=body, headers=headers)).status_code == 201
    async with database.unit_of_work() as session:
        await session.execute(
            update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25))
        )
    fresh = await as_user.post("/api/tickets", json=body, headers=headers)
    assert fresh.status_code == 201
    assert "Idempotent-Replayed" not in fresh.headers
    assert await _count(database, Ticket) == 2
    async with database.unit_of_work() as session:
        await session.execute(
            update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25))
        )
    async with database.unit_of_work() as session:
        assert await purge_expired(session, ttl_hours=24) == 1
    assert await _count(database, IdempotencyKey) == 0
