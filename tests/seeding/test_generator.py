"""The generator alone (no database): distributions and timelines that make sense."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from deskboard.seeding.generator import (
    CHANGE_COLUMNS,
    COMMENT_COLUMNS,
    TICKET_COLUMNS,
    People,
    Person,
    TicketBatch,
    TicketGenerator,
)
from deskboard.seeding.vocabulary import DUE_POLICY, TAGS
from deskboard.tickets.filters import TicketPriority, TicketStatus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
COUNT = 10_000
REQUESTERS = [Person(id, f"Requester {id}") for id in range(1, 101)]
AGENTS = [Person(id, f"Agent {id}") for id in range(1001, 1011)]


@pytest.fixture(scope="module")
def batch() -> TicketBatch:
    generator = TicketGenerator(
        People(REQUESTERS, AGENTS), now=NOW, seed=11, detail_rate=0.2, count=COUNT
    )
    return generator.batch(list(range(1, COUNT + 1)))


def rows(batch: TicketBatch) -> list[dict[str, object]]:
    return [dict(zip(TICKET_COLUMNS, row, strict=True)) for row in batch.tickets]


def test_priorities_follow_the_mix(batch: TicketBatch) -> None:
    counts = Counter(row["priority"] for row in rows(batch))
    shares = {name: counts[name] / COUNT for name in counts}
    assert set(counts) == {p.value for p in TicketPriority}
    for name, expected in {"low": 0.20, "normal": 0.55, "high": 0.20, "urgent": 0.05}.items():
        assert abs(shares[name] - expected) < 0.02, (name, shares[name])


def test_statuses_are_valid_and_old_tickets_are_mostly_done(batch: TicketBatch) -> None:
    tickets = rows(batch)
    assert {row["status"] for row in tickets} <= {s.value for s in TicketStatus}
    old = [row for row in tickets if NOW - row["created_at"] > timedelta(days=90)]
    recent = [row for row in tickets if NOW - row["created_at"] < timedelta(days=2)]
    assert old and recent
    done_old = sum(row["status"] in ("resolved", "closed") for row in old) / len(old)
    done_recent = sum(row["status"] in ("resolved", "closed") for row in recent) / len(recent)
    assert done_old > 0.9
    assert done_recent < 0.5


def test_timestamps_agree_with_each_other(batch: TicketBatch) -> None:
    earliest = NOW - timedelta(days=560)
    for row in rows(batch):
        created, updated = row["created_at"], row["updated_at"]
        assert earliest <= created <= updated <= NOW, row
        assert row["due_at"] == created + DUE_POLICY[row["priority"]]
        resolved, first = row["resolved_at"], row["first_response_at"]
        if row["status"] in ("resolved", "closed"):
            assert first is not None and resolved is not None
            assert created <= first <= resolved <= updated
        else:
            assert resolved is None
        if row["status"] == "new":
            assert first is None
        elif first is not None:
            assert created <= first <= updated


def test_numbers_follow_creation_order(batch: TicketBatch) -> None:
    tickets = rows(batch)
    assert all(row["number"] == row["id"] for row in tickets)
    created = [row["created_at"] for row in tickets]
    assert created == sorted(created)


def test_tags_come_from_the_vocabulary(batch: TicketBatch) -> None:
    tags = Counter(tag for _, tag in batch.tags)
    assert set(tags) <= set(TAGS)
    assert {"vpn", "billing", "printer", "vip"} <= set(tags)
    tagged = {ticket_id for ticket_id, _ in batch.tags}
    assert len(tagged) > 0.85 * COUNT


def test_people_come_from_the_pools(batch: TicketBatch) -> None:
    requester_ids = {p.id for p in REQUESTERS}
    agent_ids = {p.id for p in AGENTS}
    tickets = rows(batch)
    assert {row["requester_id"] for row in tickets} <= requester_ids
    assignees = [row["assignee_id"] for row in tickets]
    assert {a for a in assignees if a is not None} <= agent_ids
    assert 0 < assignees.count(None) < 0.2 * COUNT


def test_history_explains_the_version_and_the_first_response(batch: TicketBatch) -> None:
    tickets = {row["id"]: row for row in rows(batch)}
    changes = [dict(zip(CHANGE_COLUMNS, row, strict=True)) for row in batch.changes]
    comments = [dict(zip(COMMENT_COLUMNS, row, strict=True)) for row in batch.comments]
    history: dict[int, list[dict[str, object]]] = {}
    for change in changes:
        history.setdefault(change["ticket_id"], []).append(change)
    assert 0.1 * COUNT < len(history) < 0.3 * COUNT
    for ticket_id, mine in history.items():
        ticket = tickets[ticket_id]
        mine.sort(key=lambda c: c["at"])
        statuses = [c for c in mine if c["field"] == "status"]
        if statuses:
            assert statuses[-1]["new"] == ticket["status"]
            assert statuses[0]["old"] == "new"
        assert all(ticket["created_at"] <= c["at"] <= ticket["updated_at"] for c in mine)
        # Each write is one moment (status and assignee may change together).
        assert len({c["at"] for c in mine}) + 1 == ticket["version"]
    by_ticket: dict[int, list[dict[str, object]]] = {}
    for comment in comments:
        by_ticket.setdefault(comment["ticket_id"], []).append(comment)
    assert by_ticket
    for ticket_id, conversation in by_ticket.items():
        ticket = tickets[ticket_id]
        first = min(conversation, key=lambda c: c["created_at"])
        assert not first["internal"] and first["created_at"] == ticket["first_response_at"]
        assert all(c["created_at"] <= ticket["updated_at"] for c in conversation)
        if ticket["resolved_at"] is not None:
            assert all(c["created_at"] <= ticket["resolved_at"] for c in conversation)
    assert any(c["internal"] for c in comments) and any(not c["internal"] for c in comments)


def test_the_same_seed_draws_the_same_tickets() -> None:
    def draw() -> TicketBatch:
        generator = TicketGenerator(People(REQUESTERS, AGENTS), now=NOW, seed=5, count=50)
        return generator.batch(list(range(1, 51)))

    assert draw().tickets == draw().tickets
