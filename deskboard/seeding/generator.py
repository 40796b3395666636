"""Realistic help-desk tickets as plain rows, ready for a bulk insert.

One generator draws, per ticket, a category, a subject and description from hand-written
templates, a priority (low 20 %, normal 55 %, high 20 %, urgent 5 %), a creation time over the
last ~18 months, a status that depends on the ticket's age, and then timestamps that agree with
each other and with the workflow: created <= first response <= resolved <= updated <= now, a due
date from the per-priority policy, and a version that counts the writes the history describes.
For a sample of tickets it also writes the conversation and the field history.
"""

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from faker import Faker

from deskboard.seeding.vocabulary import (
    AGENT_REPLIES,
    CATEGORIES,
    CLOSINGS,
    DUE_POLICY,
    FILLERS,
    FIRST_RESPONSE_HOURS,
    IMPACTS,
    INTERNAL_NOTES,
    OPENINGS,
    PRIORITY_WEIGHTS,
    REQUESTER_REPLIES,
    RESOLUTION_HOURS,
    Category,
)

TICKET_COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "status",
    "priority",
    "requester_id",
    "assignee_id",
    "due_at",
    "first_response_at",
    "resolved_at",
    "created_at",
    "updated_at",
    "version",
)
TAG_COLUMNS = ("ticket_id", "tag")
COMMENT_COLUMNS = ("ticket_id", "author_id", "body", "internal", "created_at")
CHANGE_COLUMNS = ("ticket_id", "actor_id", "field", "old", "new", "at")

HISTORY_DAYS = 548  # about 18 months
# Status weights (new, open, pending, resolved, closed) by the ticket's age: old ones are done.
STATUSES = ("new", "open", "pending", "resolved", "closed")
STATUS_BY_AGE = (
    (timedelta(days=1), (45, 35, 10, 8, 2)),
    (timedelta(days=7), (8, 32, 20, 25, 15)),
    (timedelta(days=30), (2, 10, 8, 25, 55)),
    (timedelta(days=90), (0.5, 4, 3, 12.5, 80)),
    (timedelta.max, (0.2, 1.3, 1, 2.5, 95)),
)
# Share of tickets with an assignee, by status (new tickets mostly wait for triage).
ASSIGNED_SHARE = {"new": 0.3, "open": 0.9, "pending": 0.95, "resolved": 0.97, "closed": 0.97}


@dataclass(frozen=True)
class Person:
    id: int
    name: str

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]


@dataclass
class People:
    """Who files tickets and who works them; weights make some people far busier than others."""

    requesters: list[Person]
    agents: list[Person]
    requester_weights: list[float] | None = None
    agent_weights: list[float] | None = None


@dataclass
class TicketBatch:
    """Rows in the column orders above; JSON history values are plain Python values."""

    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    comments: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)


def zipf_weights(count: int, exponent: float = 0.8) -> list[float]:
    """Weights that make the first few people much busier than the last (a long tail)."""
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


class _Fill(dict[str, str]):
    """Placeholder values for one ticket, drawn on first use so subject and text agree."""

    def __init__(self, generator: "TicketGenerator", requester: Person):
        super().__init__(first=requester.first_name)
        self._generator = generator

    def __missing__(self, key: str) -> str:
        value = self._generator.filler(key)
        self[key] = value
        return value


class TicketGenerator:
    """Draws tickets deterministically from a seed; `batch(ids)` makes the rows for those ids."""

    def __init__(
        self,
        people: People,
        *,
        now: datetime,
        seed: int = 1,
        detail_rate: float = 0.1,
        count: int = 0,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        """`count`: how many tickets will be drawn; their creation times are drawn up front and
        handed out oldest first, so ticket numbers follow creation order as in a real desk."""
        if not people.requesters or not people.agents:
            raise ValueError("seeding needs at least one requester and one agent")
        self.people = people
        self.now = now
        self.detail_rate = detail_rate
        self.history_days = history_days
        self.rng = random.Random(seed)
        fake = Faker("en_US")
        fake.seed_instance(seed)
        self._names = tuple(fake.unique.name() for _ in range(300))
        self._companies = tuple(fake.unique.company() for _ in range(120))
        self._cities = tuple(fake.unique.city() for _ in range(60))
        self._requester_cum = list(
            accumulate(people.requester_weights or [1.0] * len(people.requesters))
        )
        self._agent_cum = list(accumulate(people.agent_weights or [1.0] * len(people.agents)))
        self._category_cum = list(accumulate(c.weight for c in CATEGORIES))
        self._priorities = tuple(PRIORITY_WEIGHTS)
        self._priority_cum = list(accumulate(PRIORITY_WEIGHTS.values()))
        # Popped from the end: newest last in creation order, so kept newest first here.
        self._planned = sorted((self._created_at() for _ in range(count)), reverse=True)

    # -- placeholders -------------------------------------------------------------------------

    def filler(self, key: str) -> str:
        rng = self.rng
        if key in FILLERS:
            return rng.choice(FILLERS[key])
        if key in ("person", "manager"):
            return rng.choice(self._names)
        if key == "company":
            return rng.choice(self._companies)
        if key == "city":
            return rng.choice(self._cities)
        if key == "app2":
            return rng.choice(FILLERS["app"])
        if key == "minutes":
            return str(rng.choice((2, 5, 10, 15, 20, 30, 45)))
        if key == "invoice":
            return str(rng.randint(1000, 99_999))
        if key == "order":
            return str(rng.randint(100_000, 999_999))
        if key == "request_id":
            return f"{rng.getrandbits(32):08x}"
        if key == "change":
            return f"CHG{rng.randint(10_000, 99_999)}"
        if key == "kb":
            return str(rng.randint(100, 9_999))
        raise KeyError(key)

    # -- one batch ----------------------------------------------------------------------------

    def batch(self, ids: list[int]) -> TicketBatch:
        out = TicketBatch()
        rng = self.rng
        requesters = self._pick(self.people.requesters, self._requester_cum, len(ids))
        for ticket_id, requester in zip(ids, requesters, strict=True):
            self._ticket(out, ticket_id, requester, detailed=rng.random() < self.detail_rate)
        return out

    def _pick(self, people: list[Person], cum: list[float], count: int) -> list[Person]:
        return self.rng.choices(people, cum_weights=cum, k=count)

    def _agent(self) -> Person:
        rng = self.rng
        return self.people.agents[bisect(self._agent_cum, rng.random() * self._agent_cum[-1])]

    def _ticket(
        self, out: TicketBatch, ticket_id: int, requester: Person, *, detailed: bool
    ) -> None:
        rng = self.rng
        category = CATEGORIES[bisect(self._category_cum, rng.random() * self._category_cum[-1])]
        priority = self._priorities[
            bisect(self._priority_cum, rng.random() * self._priority_cum[-1])
        ]
        fill = _Fill(self, requester)
        title = rng.choice(category.subjects).format_map(fill)[:200]
        description = self._description(category, fill, requester)

        created = self._planned.pop() if self._planned else self._created_at()
        status = self._status(self.now - created)
        assignee = self._agent() if rng.random() < ASSIGNED_SHARE[status] else None
        timeline = _Timeline(self, created, status, priority, assignee, requester)

        out.tickets.append(
            (
                ticket_id,
                ticket_id,  # the human number is the id, as the ticket service assigns it
                title,
                description,
                status,
                priority,
                requester.id,
                assignee.id if assignee else None,
                created + DUE_POLICY[priority],
                timeline.first_response,
                timeline.resolved,
                created,
                timeline.updated,
                1 + len(timeline.events),
            )
        )
        out.tags.extend((ticket_id, tag) for tag in self._tags(category))
        if detailed:
            for at, actor, field_changes in timeline.events:
                out.changes.extend(
                    (ticket_id, actor.id, name, old, new, at) for name, old, new in field_changes
                )
            out.comments.extend(
                (ticket_id, author.id, body, internal, at)
                for at, author, body, internal in timeline.comments(fill)
            )

    def _description(self, category: Category, fill: _Fill, requester: Person) -> str:
        rng = self.rng
        details = rng.sample(category.details, k=min(len(category.details), rng.randint(2, 4)))
        body = " ".join(details).format_map(fill)
        impact = rng.choice(IMPACTS).format_map(fill)
        return (
            f"{rng.choice(OPENINGS)}\n\n{body}\n\n{impact}\n\n"
            f"{rng.choice(CLOSINGS)}\n{requester.first_name}"
        )

    def _tags(self, category: Category) -> set[str]:
        rng = self.rng
        tags = set()
        if rng.random() < 0.92:
            tags.add(category.tag)
        if rng.random() < 0.25:
            tags.add(rng.choice(category.related))
        if rng.random() < 0.04:
            tags.add("vip")
        return tags

    def _created_at(self) -> datetime:
        """Mostly working hours on weekdays, with volume growing towards today."""
        rng = self.rng
        u = rng.random()
        recency = math.sqrt(u) if rng.random() < 0.5 else u  # 1 = today, 0 = 18 months ago
        day = self.now - timedelta(days=(1 - recency) * self.history_days)
        if day.weekday() >= 5 and rng.random() < 0.75:
            day -= timedelta(days=day.weekday() - 4)  # weekend requests mostly come on Friday
        hour = rng.randint(8, 17) if rng.random() < 0.85 else rng.randint(0, 23)
        created = day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))
        if created >= self.now:
            created = self.now - timedelta(minutes=rng.randint(1, 180))
        return created

    def _status(self, age: timedelta) -> str:
        for limit, weights in STATUS_BY_AGE:
            if age < limit:
                return self.rng.choices(STATUSES, weights=weights)[0]
        return "closed"

    def lognormal_hours(self, median_hours: float) -> timedelta:
        return timedelta(hours=median_hours * math.exp(self.rng.gauss(0.0, 1.0)))


Event = tuple[datetime, Person, list[tuple[str, Any, Any]]]


class _Timeline:
    """The writes a ticket went through, and the timestamps they imply."""

    def __init__(
        self,
        gen: TicketGenerator,
        created: datetime,
        status: str,
        priority: str,
        assignee: Person | None,
        requester: Person,
    ) -> None:
        self.gen = gen
        self.created = created
        self.requester = requester
        self.worker = assignee or gen._agent()  # who answered, assigned or not
        self.first_response: datetime | None = None
        self.resolved: datetime | None = None
        self.events: list[Event] = []
        now, rng = gen.now, gen.rng

        if status == "new":
            self.updated = created
            if assignee is not None:
                assigned = created + timedelta(minutes=rng.randint(1, 90))
                self.updated = _before(now, assigned, rng, after=created)
                self.events.append((self.updated, assignee, [("assignee_id", None, assignee.id)]))
            return

        answered = created + gen.lognormal_hours(FIRST_RESPONSE_HOURS[priority])
        first = _before(now, answered, rng, after=created)
        self.first_response = first
        opened: list[tuple[str, Any, Any]] = [("status", "new", "open")]
        if assignee is not None:
            opened.append(("assignee_id", None, assignee.id))
        self.events.append((first, self.worker, opened))
        last = first

        if status == "pending" or (status in ("resolved", "closed") and rng.random() < 0.25):
            waited = last + (now - last) * rng.uniform(0.05, 0.5)
            self.events.append((waited, self.worker, [("status", "open", "pending")]))
            last = waited
            if status != "pending":
                back = _before(now, last + timedelta(hours=rng.uniform(1, 48)), rng, after=last)
                self.events.append((back, self.worker, [("status", "pending", "open")]))
                last = back

        if status in ("resolved", "closed"):
            solved = last + gen.lognormal_hours(RESOLUTION_HOURS[priority])
            self.resolved = _before(now, solved, rng, after=last)
            self.events.append((self.resolved, self.worker, [("status", "open", "resolved")]))
            last = self.resolved
            if status == "closed":
                closed_at = _before(now, last + timedelta(days=rng.uniform(1, 7)), rng, after=last)
                closer = requester if rng.random() < 0.3 else self.worker
                self.events.append((closed_at, closer, [("status", "resolved", "closed")]))
                last = closed_at
            self.updated = last
        else:
            # Still being worked: the last touch (a reply, a note) lies somewhere before now.
            self.updated = last + (now - last) * rng.random() ** 0.3

    def comments(self, fill: _Fill) -> list[tuple[datetime, Person, str, bool]]:
        """A conversation that fits the timeline: the first public staff reply is the first
        response, requester replies and internal notes fall before the last update."""
        if self.first_response is None:
            return []
        rng = self.gen.rng
        # A requester's reply after the resolution would have reopened it: talk ends there.
        start, end = self.first_response, self.resolved or self.updated
        out = [(start, self.worker, rng.choice(AGENT_REPLIES).format_map(fill), False)]
        for _ in range(rng.randint(0, 3)):
            at = start + (end - start) * rng.random()
            if rng.random() < 0.35:
                out.append((at, self.worker, rng.choice(INTERNAL_NOTES).format_map(fill), True))
            else:
                out.append((at, self.requester, rng.choice(REQUESTER_REPLIES), False))
        if self.resolved is not None:
            out.append((self.resolved, self.worker, rng.choice(AGENT_REPLIES[-1:]), False))
        return sorted(out, key=lambda comment: comment[0])


def _before(now: datetime, when: datetime, rng: random.Random, *, after: datetime) -> datetime:
    """`when`, or if that lies in the future, a moment between `after` and now."""
    if when < now:
        return when
    return after + (now - after) * rng.uniform(0.2, 0.95)
