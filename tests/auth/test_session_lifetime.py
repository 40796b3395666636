"""A session (refresh-token family) ends at an absolute lifetime, however often it refreshes."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from deskboard.auth.models import RefreshToken
from deskboard.core.time import utcnow
from tests.auth.helpers import login, refresh_cookie, refresh_with


async def _family(database) -> list[RefreshToken]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(RefreshToken).order_by(RefreshToken.id)))


async def _started(database, moment) -> None:
    async with database.unit_of_work() as session:
        await session.execute(update(RefreshToken).values(family_started_at=moment))


async def test_rotation_keeps_the_start_of_the_family(client, make_user, database):
    await make_user("user", email="started@example.test")
    before = utcnow()
    first = refresh_cookie(await login(client, "started@example.test"))
    second = refresh_cookie(await refresh_with(client, first))
    await refresh_with(client, second)

    tokens = await _family(database)

    assert len(tokens) == 3
    assert len({t.family_started_at for t in tokens}) == 1
    assert before <= tokens[0].family_started_at <= tokens[0].created_at
    assert tokens[2].created_at > tokens[0].family_started_at


async def test_a_family_past_its_absolute_lifetime_is_refused(
    client, make_user, database, settings
):
    await make_user("user", email="ancient@example.test")
    token = refresh_cookie(await login(client, "ancient@example.test"))
    # Refreshed every day for a month: each token is fresh, the family is not.
    await _started(database, utcnow() - timedelta(days=settings.session_max_days, seconds=1))

    response = await refresh_with(client, token)

    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended; sign in again"}
    again = await login(client, "ancient@example.test")
    assert again.status_code == 200
    assert (await refresh_with(client, refresh_cookie(again))).status_code == 200


async def test_a_family_within_its_lifetime_refreshes(client, make_user, database, settings):
    await make_user("user", email="young@example.test")
    token = refresh_cookie(await login(client, "young@example.test"))
    await _started(database, utcnow() - timedelta(days=settings.session_max_days, seconds=-60))

    assert (await refresh_with(client, token)).status_code == 200


async def test_a_token_never_outlives_its_family(client, make_user, database, settings):
    await make_user("user", email="capped@example.test")
    token = refresh_cookie(await login(client, "capped@example.test"))
    start = utcnow() - timedelta(days=settings.session_max_days - 1)
    await _started(database, start)

    assert (await refresh_with(client, token)).status_code == 200

    newest = (await _family(database))[-1]
    assert newest.expires_at == start + timedelta(days=settings.session_max_days)


@pytest.mark.parametrize("days", [1, 2])
async def test_the_lifetime_is_a_setting(client, make_user, database, settings, monkeypatch, days):
    monkeypatch.setattr(settings, "session_max_days", days)
    await make_user("user", email=f"short{days}@example.test")
    token = refresh_cookie(await login(client, f"short{days}@example.test"))
    assert (await _family(database))[0].expires_at <= utcnow() + timedelta(days=days)
    await _started(database, utcnow() - timedelta(days=days, seconds=1))

    assert (await refresh_with(client, token)).status_code == 401


def test_the_default_lifetime_is_thirty_days() -> None:
    from deskboard.config import Settings

    assert Settings(_env_file=None).session_max_days == 30  # type: ignore[call-arg]
