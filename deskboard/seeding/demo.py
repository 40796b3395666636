"""The demo: one account per role with a known password, a small team, ~300 tickets.

`make run` calls `deskboard seed --demo --if-empty`, so a newcomer signs in to a working help desk
at once, and a second start leaves everything as it is.
"""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.db import make_engine
from deskboard.seeding.generator import People, Person
from deskboard.seeding.people import NewPerson, add_users, invent_people
from deskboard.seeding.service import Progress, SeedResult, seed_tickets

DEMO_PASSWORD = "deskboard-demo"
DEMO_TICKETS = 300
DEMO_DOMAIN = "deskboard.test"
EXTRA_AGENTS = 5
EXTRA_USERS = 30
# A few weeks of history rather than 18 months, so the queues are full of live work.
DEMO_HISTORY_DAYS = 40


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", f"admin@{DEMO_DOMAIN}", "Morgan Reyes"),
    DemoAccount("agent", f"agent@{DEMO_DOMAIN}", "Priya Natarajan"),
    DemoAccount("user", f"user@{DEMO_DOMAIN}", "Tom Becker"),
    DemoAccount("guest", f"guest@{DEMO_DOMAIN}", "Lena Ortiz"),
)


class DemoState(StrEnum):
    empty = "empty"  # no accounts at all: the demo may be seeded
    seeded = "seeded"  # the demo accounts are there
    other = "other"  # someone else's accounts: leave the database alone


async def demo_state(database_url: str) -> DemoState:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            users = (await connection.execute(select(func.count()).select_from(User))).scalar()
            if not users:
                return DemoState.empty
            demo_admin = select(User.id).where(User.email == DEMO_ACCOUNTS[0].email)
            found = (await connection.execute(demo_admin)).first()
            return DemoState.seeded if found else DemoState.other
    finally:
        await engine.dispose()


async def seed_demo(
    database_url: str,
    *,
    tickets: int = DEMO_TICKETS,
    seed: int = 2026,
    progress: Progress | None = None,
) -> SeedResult:
    """Create (or keep) the demo accounts and team, then add `tickets` tickets among them."""
    engine = make_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            people = await _demo_people(session, seed=seed)
    finally:
        await engine.dispose()
    # Every demo ticket carries its conversation and history.
    return await seed_tickets(
        database_url,
        count=tickets,
        people=people,
        batch_size=1_000,
        detail_rate=1.0,
        seed=seed,
        progress=progress,
        history_days=DEMO_HISTORY_DAYS,
    )


async def _demo_people(session: AsyncSession, *, seed: int) -> People:
    password_hash = hash_password(DEMO_PASSWORD)
    accounts = {a.role: await _account(session, a, password_hash) for a in DEMO_ACCOUNTS}
    # A fixed seed and no clash handling: the same team on every run, found again by address.
    team = invent_people(EXTRA_AGENTS + EXTRA_USERS, domain=DEMO_DOMAIN, taken=set(), seed=seed)
    agents = await _get_or_add(session, team[:EXTRA_AGENTS], "agent", password_hash)
    users = await _get_or_add(session, team[EXTRA_AGENTS:], "user", password_hash)
    # The demo user and agent are the busiest, so their dashboards are full at first sign-in;
    # the guest (read only) sees a few tickets filed on their behalf.
    requesters = [accounts["user"], accounts["guest"], *users]
    requester_weights = [12.0, 3.0, *([2.0] * len(users))]
    staff = [accounts["agent"], accounts["admin"], *agents]
    agent_weights = [6.0, 1.0, *([2.0] * len(agents))]
    return People(requesters, staff, requester_weights, agent_weights)


async def _account(session: AsyncSession, account: DemoAccount, password_hash: str) -> Person:
    """The demo account, created if missing; an existing one gets its demo password back."""
    user = (await session.scalars(select(User).where(User.email == account.email))).first()
    if user is None:
        user = User(email=account.email, name=account.name, role=account.role)
        session.add(user)
    user.role = account.role
    user.is_active = True
    user.password_hash = password_hash
    await session.flush()
    return Person(id=user.id, name=user.name)


async def _get_or_add(
    session: AsyncSession, people: list[NewPerson], role: str, password_hash: str
) -> list[Person]:
    emails = [person.email for person in people]
    rows = await session.execute(
        select(User.email, User.id, User.name).where(User.email.in_(emails))
    )
    found = {row.email: Person(id=row.id, name=row.name) for row in rows}
    missing = [person for person in people if person.email not in found]
    added = await add_users(session, missing, role=role, password_hash=password_hash)
    found.update({person.email: made for person, made in zip(missing, added, strict=True)})
    return [found[email] for email in emails]


def sign_ins() -> list[tuple[str, str]]:
    """(role, email) of every demo account; all share DEMO_PASSWORD."""
    return [(account.role, account.email) for account in DEMO_ACCOUNTS]
