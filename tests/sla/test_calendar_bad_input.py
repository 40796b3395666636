"""Every bad calendar request: a 422 naming the field (or a clear 4xx), nothing stored."""

import pytest

from tests.sla.conftest import GOOD_CALENDAR


def hours(**days):
    return {**GOOD_CALENDAR, "hours": days}


# (body, where the error points, below "body")
BAD_CREATES = [
    ({**GOOD_CALENDAR, "timezone": "Mars/Olympus"}, ["timezone"]),
    ({**GOOD_CALENDAR, "timezone": "europe/berlin"}, ["timezone"]),
    ({**GOOD_CALENDAR, "timezone": "../../etc/passwd"}, ["timezone"]),
    ({**GOOD_CALENDAR, "timezone": "CET-1CEST,M3.5.0,M10.5.0/3"}, ["timezone"]),
    ({**GOOD_CALENDAR, "timezone": ""}, ["timezone"]),
    ({**GOOD_CALENDAR, "timezone": 1}, ["timezone"]),
    (hours(mon=[["09:00", "25:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["24:00", "24:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["9:00", "17:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["09:60", "17:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["09:00", "17:00:00"]]), ["hours", "mon", 0]),
    (hours(mon=[[" 09:00", "17:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["17:00", "09:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["09:00", "09:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["09:00"]]), ["hours", "mon", 0]),
    (hours(mon=[["09:00", "12:00", "17:00"]]), ["hours", "mon", 0]),
    (hours(mon=[[900, 1700]]), ["hours", "mon", 0, 0]),
    (hours(mon=["09:00-17:00"]), ["hours", "mon", 0]),
    (hours(mon=[["09:00", "13:00"], ["12:00", "17:00"]]), ["hours", "mon"]),
    (hours(mon=[["09:00", "17:00"], ["09:00", "17:00"]]), ["hours", "mon"]),
    (hours(mon=[["00:00", "00:30"]] * 13), ["hours", "mon"]),
    (hours(monday=[["09:00", "17:00"]]), ["hours", "monday"]),
    (hours(mon=None), ["hours", "mon"]),
    (hours(), ["hours"]),  # no working time at all
    (hours(mon=[], sun=[]), ["hours"]),
    ({**GOOD_CALENDAR, "hours": [["09:00", "17:00"]]}, ["hours"]),
    ({**GOOD_CALENDAR, "holidays": ["2026-02-30"]}, ["holidays", 0]),
    ({**GOOD_CALENDAR, "holidays": ["2026-12-25", "25.12.2026"]}, ["holidays", 1]),
    ({**GOOD_CALENDAR, "holidays": ["20261225"]}, ["holidays", 0]),
    ({**GOOD_CALENDAR, "holidays": ["2026-12-25T00:00"]}, ["holidays", 0]),
    ({**GOOD_CALENDAR, "holidays": ["1066-10-14"]}, ["holidays", 0]),
    ({**GOOD_CALENDAR, "holidays": [20261225]}, ["holidays", 0]),
    ({**GOOD_CALENDAR, "holidays": "2026-12-25"}, ["holidays"]),
    ({**GOOD_CALENDAR, "holidays": ["2026-01-01"] * 2001}, ["holidays"]),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "XX", "years": [2026]}},
        ["holidays_from", "country"],
    ),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "subdivision": "CA", "years": [2026]}},
        ["holidays_from", "subdivision"],
    ),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "years": []}},
        ["holidays_from", "years"],
    ),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "years": [1900]}},
        ["holidays_from", "years", 0],
    ),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "years": [2026, 2026]}},
        ["holidays_from", "years"],
    ),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "years": list(range(2026, 2037))}},
        ["holidays_from", "years"],
    ),
    ({**GOOD_CALENDAR, "holidays_from": {"country": "DE"}}, ["holidays_from", "years"]),
    (
        {**GOOD_CALENDAR, "holidays_from": {"country": "DE", "years": [2026], "x": 1}},
        ["holidays_from", "x"],
    ),
    ({**GOOD_CALENDAR, "name": ""}, ["name"]),
    ({**GOOD_CALENDAR, "name": "   "}, ["name"]),
    ({**GOOD_CALENDAR, "name": "n" * 81}, ["name"]),
    ({**GOOD_CALENDAR, "name": "a\u0000b"}, ["name"]),
    ({k: v for k, v in GOOD_CALENDAR.items() if k != "timezone"}, ["timezone"]),
    ({k: v for k, v in GOOD_CALENDAR.items() if k != "hours"}, ["hours"]),
    ({**GOOD_CALENDAR, "id": 5}, ["id"]),
    ({**GOOD_CALENDAR, "created_at": "2026-01-01T00:00:00Z"}, ["created_at"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_CREATES)
async def test_a_bad_new_calendar_is_422_naming_the_field(as_admin, stored_calendars, body, loc):
    response = await as_admin.post("/api/calendars", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert ["body", *loc] in [error["loc"] for error in errors], errors
    assert all(error["msg"] for error in errors)
    assert await stored_calendars() == []


BAD_UPDATES = [
    ({"name": None}, ["body"]),
    ({"timezone": None}, ["body"]),
    ({"hours": None}, ["body"]),
    ({"holidays": None}, ["body"]),
    ({"timezone": "Europe/Munich"}, ["body", "timezone"]),
    ({"hours": {"mon": [["08:00", "12:00"], ["11:59", "13:00"]]}}, ["body", "hours", "mon"]),
    ({"hours": {"xyz": []}}, ["body", "hours", "xyz"]),
    ({"hours": {}}, ["body", "hours"]),
    ({"holidays": ["2026-13-01"]}, ["body", "holidays", 0]),
    ({"holidays_from": {"country": "DE", "years": [3000]}}, ["body", "holidays_from", "years", 0]),
    ({"colour": "red"}, ["body", "colour"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_UPDATES)
async def test_a_bad_update_is_422_naming_the_field_and_changes_nothing(
    as_admin, make_calendar, stored_calendars, calendar_audit, body, loc
):
    made = await make_calendar(as_admin)
    before = await stored_calendars()
    response = await as_admin.patch(f"/api/calendars/{made['id']}", json=body)
    assert response.status_code == 422, response.text
    assert loc in [error["loc"] for error in response.json()["detail"]]
    assert await stored_calendars() == before
    assert len(await calendar_audit()) == 1  # the create only


@pytest.mark.parametrize("calendar_id", ["abc", "0", "-1", "99999999999999999999", "1.5"])
async def test_a_bad_calendar_id_is_422(as_admin, calendar_id):
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "X"}} if method == "PATCH" else {}
        response = await as_admin.request(method, f"/api/calendars/{calendar_id}", **kwargs)
        assert response.status_code == 422, (method, response.text)


@pytest.mark.parametrize("body", [[], "calendar", 42, None])
async def test_a_body_that_is_not_an_object_is_422(as_admin, stored_calendars, body):
    response = await as_admin.post("/api/calendars", json=body)
    assert response.status_code == 422, response.text
    assert await stored_calendars() == []


async def test_an_unknown_calendar_is_404(as_admin):
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "X"}} if method == "PATCH" else {}
        response = await as_admin.request(method, "/api/calendars/424242", **kwargs)
        assert response.status_code == 404, (method, response.text)


async def test_seeded_holidays_count_towards_the_limit(as_admin, make_calendar, stored_calendars):
    many = [f"{year}-01-{day:02d}" for year in range(2030, 2130) for day in range(1, 21)]
    assert len(many) == 2000
    seed = {"country": "DE", "years": [2026]}
    response = await as_admin.post(
        "/api/calendars", json={**GOOD_CALENDAR, "holidays": many, "holidays_from": seed}
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "holidays"]
    assert await stored_calendars() == []
    made = await make_calendar(as_admin, holidays=many)
    before = await stored_calendars()
    response = await as_admin.patch(f"/api/calendars/{made['id']}", json={"holidays_from": seed})
    assert response.status_code == 422, response.text
    assert await stored_calendars() == before
