"""The demo: one account per role with a random password, a small team, ~300 tickets.

`make run` calls `deskboard seed --demo --if-empty`, so a newcomer signs in to a working help desk
at once, and a second start leaves everything as it is. Each demo account gets a password drawn
when it is created (never a published one); the team behind them gets one nobody knows.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskboard.auth.models import User
from deskboard.auth.security import hash_password
from deskboard.db import make_engine
from deskboard.seeding.generator import People, Person
from deskboard.seeding.people import NewPerson, add_users, invent_people
from deskboard.seeding.service import Progress, SeedResult, seed_tickets
from deskboard.seeding.state import DEMO_DOMAIN

DEMO_TICKETS = 300
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


@dataclass(frozen=True)
class SignIn:
    role: str
    email: str
    password: str


def new_password() -> str:
    """24 URL-safe characters (144 random bits): past any minimum length, on no common list."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class DemoSeeding:
    created: list[SignIn]  # the accounts made by this run, with their only copy of the password
    result: SeedResult


async def seed_demo(
    database_url: str,
    *,
    tickets: int = DEMO_TICKETS,
    seed: int = 2026,
    progress: Progress | None = None,
    on_accounts: Callable[[list[SignIn]], None] | None = None,
) -> DemoSeeding:
    """Create the missing demo accounts and team (existing ones are left exactly as they are),
    then add `tickets` tickets among them. `on_accounts` receives the new sign-ins as soon as
    they are committed, before the tickets, so a failure later cannot lose a password."""
    engine = make_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            people, created = await _demo_people(session, seed=seed)
    finally:
        await engine.dispose()
    if on_accounts is not None:
        on_accounts(created)
    # Every demo ticket carries its conversation and history.
    result = await seed_tickets(
        database_url,
        count=tickets,
        people=people,
        batch_size=1_000,
        detail_rate=1.0,
        seed=seed,
        progress=progress,
        history_days=DEMO_HISTORY_DAYS,
    )
    return DemoSeeding(created=created, result=result)


async def _demo_people(session: AsyncSession, *, seed: int) -> tuple[People, list[SignIn]]:
    accounts: dict[str, Person] = {}
    created: list[SignIn] = []
    for account in DEMO_ACCOUNTS:
        person, password = await _account(session, account)
        accounts[account.role] = person
        if password is not None:
            created.append(SignIn(account.role, account.email, password))
    # The team only fills the queues: one hash of a password drawn here and never kept.
    password_hash = hash_password(secrets.token_urlsafe(32))
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
    return People(requesters, staff, requester_weights, agent_weights), created


async def _account(session: AsyncSession, account: DemoAccount) -> tuple[Person, str | None]:
    """The demo account and, when created here, its new password. An existing account is left
    as it is: its password, role and whether it is active are its owner's choice since."""
    user = (await session.scalars(select(User).where(User.email == account.email))).first()
    if user is not None:
        return Person(id=user.id, name=user.name), None
    password = new_password()
    user = User(
        email=account.email,
        name=account.name,
        role=account.role,
        is_active=True,
        password_hash=hash_password(password),
    )
    session.add(user)
    await session.flush()
    return Person(id=user.id, name=user.name), password


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
