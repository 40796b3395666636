"""The people seeded tickets belong to: a pool of requesters (role user) and of agents."""

import re
from dataclasses import dataclass
from datetime import timedelta

from faker import Faker
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.core.time import utcnow
from deskboard.seeding.generator import HISTORY_DAYS, People, Person, zipf_weights

_NOT_EMAIL = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class NewPerson:
    name: str
    email: str


def pool_sizes(tickets: int) -> tuple[int, int]:
    """Requesters and agents for a data set of this size (about 200 tickets per requester)."""
    requesters = min(5_000, max(50, tickets // 200))
    agents = min(60, max(8, tickets // 20_000))
    return requesters, agents


def invent_people(count: int, *, domain: str, taken: set[str], seed: int) -> list[NewPerson]:
    """Realistic names with unique `first.last@domain` addresses (a digit added on a clash)."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    people: list[NewPerson] = []
    while len(people) < count:
        first, last = fake.first_name(), fake.last_name()
        local = f"{_NOT_EMAIL.sub('', first.lower())}.{_NOT_EMAIL.sub('', last.lower())}"
        email, suffix = f"{local}@{domain}", 2
        while email in taken:
            email, suffix = f"{local}{suffix}@{domain}", suffix + 1
        taken.add(email)
        people.append(NewPerson(name=f"{first} {last}", email=email))
    return people


async def existing_emails(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(User.email))).all())


async def add_users(
    session: AsyncSession, people: list[NewPerson], *, role: str, password_hash: str
) -> list[Person]:
    """Insert accounts in one statement; they exist from before the oldest seeded ticket."""
    if not people:
        return []
    since = utcnow() - timedelta(days=HISTORY_DAYS + 30)
    rows = [
        {
            "email": person.email,
            "name": person.name,
            "role": role,
            "password_hash": password_hash,
            "is_active": True,
            "created_at": since,
            "updated_at": since,
        }
        for person in people
    ]
    stmt = insert(User).returning(User.id, User.name, sort_by_parameter_order=True)
    result = await session.execute(stmt, rows)
    return [Person(id=row.id, name=row.name) for row in result]


async def ensure_pool(
    session: AsyncSession, *, requesters: int, agents: int, password_hash: str, seed: int
) -> People:
    """Reuse the active users and agents already there; invent the missing ones."""
    pools: dict[str, list[Person]] = {}
    taken = await existing_emails(session)
    for offset, (role, wanted, domain) in enumerate(
        (("user", requesters, "example.com"), ("agent", agents, "support.example.com"))
    ):
        stmt = (
            select(User.id, User.name)
            .where(User.role == role, User.is_active.is_(True))
            .order_by(User.id)
            .limit(wanted)
        )
        found = [Person(id=row.id, name=row.name) for row in await session.execute(stmt)]
        missing = invent_people(wanted - len(found), domain=domain, taken=taken, seed=seed + offset)
        pools[role] = found + await add_users(
            session, missing, role=role, password_hash=password_hash
        )
    return People(
        requesters=pools["user"],
        agents=pools["agent"],
        requester_weights=zipf_weights(len(pools["user"]), exponent=0.6),
        agent_weights=zipf_weights(len(pools["agent"]), exponent=0.4),
    )
