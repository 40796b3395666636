"""Business calendars over HTTP: create, read, change, delete, audit, holidays seeding."""

import asyncio
from datetime import UTC, datetime

from deskboard.sla.clock import add_business_minutes
from deskboard.sla.models import Calendar
from deskboard.sla.service import calendar_value
from tests.sla.conftest import GOOD_CALENDAR, OFFICE_HOURS

CLOSED: list[list[str]] = []


async def test_an_admin_creates_a_calendar_and_gets_every_weekday_back(as_admin, make_calendar):
    made = await make_calendar(as_admin, holidays=["2026-12-26", "2026-12-25", "2026-12-25"])
    assert made["name"] == "Munich office"
    assert made["timezone"] == "Europe/Berlin"
    assert made["hours"] == {**OFFICE_HOURS, "sat": CLOSED, "sun": CLOSED}
    assert made["holidays"] == ["2026-12-25", "2026-12-26"]  # sorted, without repeats
    assert made["created_at"] == made["updated_at"]
    listed = (await as_admin.get("/api/calendars")).json()
    assert listed == [made]
    assert (await as_admin.get(f"/api/calendars/{made['id']}")).json() == made


async def test_intervals_come_back_in_order(as_admin, make_calendar):
    made = await make_calendar(as_admin, hours={"mon": [["13:00", "24:00"], ["00:00", "08:00"]]})
    assert made["hours"]["mon"] == [["00:00", "08:00"], ["13:00", "24:00"]]


async def test_calendars_are_listed_by_name(as_admin, as_agent, make_calendar):
    for name in ["zurich", "Berlin", "austin"]:
        await make_calendar(as_admin, name=name)
    names = [c["name"] for c in (await as_agent.get("/api/calendars")).json()]
    assert names == ["austin", "Berlin", "zurich"]


async def test_patch_changes_only_the_fields_sent(as_admin, make_calendar):
    made = await make_calendar(as_admin, holidays=["2026-12-25"])
    response = await as_admin.patch(
        f"/api/calendars/{made['id']}",
        json={"name": "  Munich HQ ", "hours": {"sat": [["10:00", "14:00"]]}},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["name"] == "Munich HQ"
    assert changed["hours"]["sat"] == [["10:00", "14:00"]]
    assert changed["hours"]["mon"] == CLOSED  # hours are replaced as a whole
    assert changed["timezone"] == "Europe/Berlin"
    assert changed["holidays"] == ["2026-12-25"]
    assert changed["updated_at"] > made["updated_at"]


async def test_the_stored_calendar_drives_the_business_clock(as_admin, make_calendar, database):
    made = await make_calendar(as_admin, holidays=["2026-12-25"])
    async with database.sessionmaker() as session:
        row = await session.get(Calendar, made["id"])
        assert row is not None
        value = calendar_value(row)
    # Thu 24 Dec 16:00 Berlin (15:00 UTC) + 120: one hour that day, Monday 28th 09:00-10:00.
    due = add_business_minutes(value, datetime(2026, 12, 24, 15, 0, tzinfo=UTC), 120)
    assert due == datetime(2026, 12, 28, 9, 0, tzinfo=UTC)


async def test_names_are_unique_regardless_of_case(as_admin, make_calendar, stored_calendars):
    first = await make_calendar(as_admin)
    other = await make_calendar(as_admin, name="Austin office")
    before = await stored_calendars()
    response = await as_admin.post(
        "/api/calendars", json={**GOOD_CALENDAR, "name": "MUNICH OFFICE"}
    )
    assert response.status_code == 409, response.text
    renamed = await as_admin.patch(f"/api/calendars/{other['id']}", json={"name": "munich office"})
    assert renamed.status_code == 409, renamed.text
    assert await stored_calendars() == before
    same = await as_admin.patch(f"/api/calendars/{first['id']}", json={"name": "Munich Office"})
    assert same.status_code == 200, same.text


async def test_concurrent_creates_of_one_name_store_one(as_admin, stored_calendars):
    responses = await asyncio.gather(
        *(as_admin.post("/api/calendars", json=GOOD_CALENDAR) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    assert len(await stored_calendars()) == 1


async def test_delete(as_admin, make_calendar, stored_calendars):
    made = await make_calendar(as_admin)
    response = await as_admin.delete(f"/api/calendars/{made['id']}")
    assert response.status_code == 204
    assert await stored_calendars() == []
    assert (await as_admin.delete(f"/api/calendars/{made['id']}")).status_code == 404
    assert (await as_admin.get(f"/api/calendars/{made['id']}")).status_code == 404
    assert (await as_admin.patch(f"/api/calendars/{made['id']}", json={})).status_code == 404


async def test_every_write_is_audited_with_before_and_after(
    as_admin, make_calendar, calendar_audit
):
    made = await make_calendar(as_admin)
    await as_admin.patch(f"/api/calendars/{made['id']}", json={"timezone": "America/New_York"})
    await as_admin.delete(f"/api/calendars/{made['id']}")
    entries = await calendar_audit()
    assert [e.action for e in entries] == [
        "calendar.created",
        "calendar.updated",
        "calendar.deleted",
    ]
    assert {e.entity_id for e in entries} == {str(made["id"])}
    assert {e.actor_id for e in entries} == {as_admin.user.id}
    created, updated, deleted = entries
    assert created.before is None and created.after["timezone"] == "Europe/Berlin"
    assert updated.before["timezone"] == "Europe/Berlin"
    assert updated.after["timezone"] == "America/New_York"
    assert deleted.before["name"] == "Munich office" and deleted.after is None


async def test_holidays_are_seeded_for_a_country_subdivision_and_years(as_admin, make_calendar):
    made = await make_calendar(
        as_admin,
        holidays=["2026-12-24"],
        holidays_from={"country": "de", "subdivision": "by", "years": [2027, 2026]},
    )
    days = made["holidays"]
    assert "2026-12-24" in days  # kept beside the seeded ones
    # Bavaria: Epiphany and Corpus Christi (4 June 2026, 27 May 2027); Berlin has neither.
    for day in ["2026-01-06", "2026-06-04", "2026-12-25", "2026-12-26", "2027-05-27"]:
        assert day in days
    assert "2026-03-08" not in days  # International Women's Day: Berlin only
    assert days == sorted(days)
    assert {day[:4] for day in days} == {"2026", "2027"}
    assert len(days) == 12 + 12 + 1  # 2026 and 2027 have 12 public holidays in Bavaria each


async def test_seeded_holidays_stay_editable_and_a_patch_can_seed_more(as_admin, make_calendar):
    made = await make_calendar(as_admin, holidays_from={"country": "us", "years": [2026]})
    assert "2026-07-04" in made["holidays"] and "2026-12-25" in made["holidays"]
    trimmed = [day for day in made["holidays"] if day != "2026-07-04"]
    response = await as_admin.patch(f"/api/calendars/{made['id']}", json={"holidays": trimmed})
    assert response.json()["holidays"] == trimmed
    response = await as_admin.patch(
        f"/api/calendars/{made['id']}",
        json={"holidays_from": {"country": "US", "subdivision": "CA", "years": [2027]}},
    )
    days = response.json()["holidays"]
    assert "2026-07-04" not in days  # the edit is kept
    assert "2027-03-31" in days  # César Chávez Day: California's
    assert days[: len(trimmed)] == trimmed


async def test_a_subdivision_is_matched_in_the_packages_spelling(as_admin, make_calendar):
    seed = {"country": "DE", "subdivision": "augsburg", "years": [2026]}
    made = await make_calendar(as_admin, holidays_from=seed)
    assert "2026-08-08" in made["holidays"]  # Augsburg's Peace Festival
