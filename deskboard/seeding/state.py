"""Whether a database holds the demo. Kept apart from demo.py so `serve` can ask cheaply
(demo.py brings the data generator and Faker with it)."""

from enum import StrEnum

from sqlalchemy import func, select

from deskboard.auth.models import User
from deskboard.db import make_engine

DEMO_DOMAIN = "deskboard.test"


class DemoState(StrEnum):
    empty = "empty"  # no accounts at all: the demo may be seeded
    seeded = "seeded"  # the demo accounts are there
    other = "other"  # someone else's accounts: leave the database alone


async def demo_state(database_url: str) -> DemoState:
    """An account in the demo's own domain (.test is reserved, RFC 2606) marks a demo database."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            users = (await connection.execute(select(func.count()).select_from(User))).scalar()
            if not users:
                return DemoState.empty
            demo_account = select(User.id).where(User.email.endswith(f"@{DEMO_DOMAIN}")).limit(1)
            found = (await connection.execute(demo_account)).first()
            return DemoState.seeded if found else DemoState.other
    finally:
        await engine.dispose()
