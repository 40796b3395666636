"""Inputs found by fuzzing the API (schemathesis) that once answered 500: each is now a 4xx
and changes nothing."""

import asyncio

import pytest

from tests.layouts.helpers import document, starter, widget

TOO_BIG = 2**31  # one past the 32-bit INTEGER columns of PostgreSQL
HUGE = 10**25  # past SQLite's 64-bit integers too


@pytest.mark.parametrize("widget_type", [["chart"], {"kind": "chart"}], ids=["list", "object"])
async def test_widget_type_that_is_not_a_string_is_422(as_user, widget_type):
    bad = starter()
    bad["widgets"][1]["type"] = widget_type
    response = await as_user.post("/api/layout/me", json=bad)
    assert response.status_code == 422, response.text
    first = response.json()["detail"][0]
    assert first["loc"][:4] == ["body", "widgets", 1, "type"]
    assert (await as_user.get("/api/layout/me")).status_code == 404


@pytest.mark.parametrize("version", [TOO_BIG, HUGE])
async def test_write_with_an_out_of_range_version_is_422(as_user, version):
    saved = (await as_user.post("/api/layout/me", json=starter())).json()
    response = await as_user.put("/api/layout/me", json=starter() | {"version": version})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "version"]
    assert (await as_user.get("/api/layout/me")).json() == saved


@pytest.mark.parametrize("version", [TOO_BIG, HUGE])
async def test_history_with_an_out_of_range_version_is_422(as_user, version):
    assert (await as_user.post("/api/layout/me", json=starter())).status_code == 201
    for response in (
        await as_user.get(f"/api/layout/me/history/{version}"),
        await as_user.get("/api/layout/me/history", params={"before": version}),
        await as_user.get("/api/layout/me/diff", params={"from": version, "to": 1}),
        await as_user.get("/api/layout/me/diff", params={"from": 1, "to": version}),
        await as_user.post("/api/layout/me/restore", json={"version": version}),
    ):
        assert response.status_code == 422, (response.request.url, response.text)
    assert (await as_user.get("/api/layout/me")).json()["version"] == 1


@pytest.mark.parametrize("user_ref", ["²", "١٢", "999999999999", str(TOO_BIG), "-1", "1e3"])
async def test_odd_user_reference_is_404(as_admin, as_user, user_ref):
    for client in (as_admin, as_user):
        response = await client.get(f"/api/layout/{user_ref}")
        assert response.status_code == 404, (user_ref, response.text)


@pytest.mark.parametrize(
    ("widget_settings", "loc"),
    [
        ({"markdown": "a\u0000b"}, ["markdown"]),
        ({"title": "x", "markdown": "ok", "extra": {"deep": ["\u0000"]}}, ["extra", "deep", 0]),
        ({"a\u0000": 1}, []),
    ],
    ids=["value", "nested", "key"],
)
async def test_nul_in_settings_is_422_on_both_databases(as_user, as_admin, widget_settings, loc):
    """PostgreSQL's jsonb refuses a NUL character: the document is refused before it gets there."""
    bad = starter()
    bad["widgets"][2]["settings"] = widget_settings
    response = await as_user.post("/api/layout/me", json=bad)
    assert response.status_code == 422, response.text
    first = response.json()["detail"][0]
    assert first["loc"] == ["body", "widgets", 2, "settings", *loc]
    assert first["widget_id"] == "w3"
    assert (await as_user.get("/api/layout/me")).status_code == 404
    response = await as_admin.put("/api/layout-templates/user", json=bad)
    assert response.status_code == 422, response.text


async def test_widget_id_with_a_trailing_newline_is_422(as_user):
    bad = starter()
    bad["widgets"][2]["id"] = "w3\n"
    response = await as_user.post("/api/layout/me", json=bad)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "widgets", 2, "id"]


async def test_unpaired_surrogate_in_settings_is_422(as_admin):
    """Not UTF-8, so no database stores it (PostgreSQL: invalid json, a 500 before)."""
    bad = '{"widgets": [{"id": "n", "type": "note", "x": 0, "y": 0, "w": 3, "h": 3, '
    bad += '"settings": {"markdown": "\\ud800"}}]}'
    headers = {"Content-Type": "application/json"}
    response = await as_admin.put("/api/layout-templates/user", content=bad, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "widgets", 0, "settings", "markdown"]


async def test_concurrent_first_template_puts_are_never_a_500(as_admin):
    """Two admins saving a role's first template at once: one insert loses the race (409)."""
    docs = [document(widget("n", "note", markdown=f"admin {i}")) for i in range(8)]
    responses = await asyncio.gather(
        *(as_admin.put("/api/layout-templates/agent", json=doc) for doc in docs)
    )
    codes = [r.status_code for r in responses]
    assert set(codes) <= {200, 409} and 200 in codes, codes
    stored = (await as_admin.get("/api/layout-templates/agent")).json()
    assert stored["widgets"][0]["settings"] in [doc["widgets"][0]["settings"] for doc in docs]
