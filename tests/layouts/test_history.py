"""History, one version whole, diff between versions, and restore as a new version."""

from tests.layouts.helpers import document, starter, widget


async def _three_versions(client) -> None:
    """v1 starter; v2 moves w3 and resizes w1; v3 adds w4, drops w2, reconfigures w3."""
    assert (await client.post("/api/layout/me", json=starter())).status_code == 201
    v2 = starter() | {"version": 1}
    v2["widgets"][0]["w"] = 5
    v2["widgets"][2]["x"] = 6
    v2["widgets"][2]["y"] = 5
    assert (await client.put("/api/layout/me", json=v2)).status_code == 200
    v3 = document(
        v2["widgets"][0],
        widget("w3", "note", 6, 5, 3, 3, markdown="changed"),
        widget("w4", "kpi", 0, 8, 2, 2, metric="overdue"),
        version=2,
    )
    assert (await client.put("/api/layout/me", json=v3)).status_code == 200


async def test_history_lists_every_version_newest_first(as_agent):
    await _three_versions(as_agent)
    page = (await as_agent.get("/api/layout/me/history")).json()
    assert [e["version"] for e in page["items"]] == [3, 2, 1]
    assert [e["widget_count"] for e in page["items"]] == [3, 3, 3]
    assert page["items"][0]["author"] == {"id": as_agent.user.id, "name": as_agent.user.name}
    assert all(e["restored_from"] is None for e in page["items"])
    assert page["items"][0]["at"] >= page["items"][2]["at"]
    assert page["next_before"] is None


async def test_history_pages_by_version(as_agent):
    await _three_versions(as_agent)
    first = (await as_agent.get("/api/layout/me/history?limit=2")).json()
    assert [e["version"] for e in first["items"]] == [3, 2]
    assert first["next_before"] == 2
    rest = (await as_agent.get("/api/layout/me/history?limit=2&before=2")).json()
    assert [e["version"] for e in rest["items"]] == [1]
    assert rest["next_before"] is None
    assert (await as_agent.get("/api/layout/me/history?limit=0")).status_code == 422


async def test_history_of_admin_edit_names_the_admin(as_user, as_admin):
    await as_user.post("/api/layout/me", json=starter())
    path = f"/api/layout/{as_user.user.id}"
    assert (await as_admin.put(path, json=starter() | {"version": 1})).status_code == 200
    items = (await as_user.get("/api/layout/me/history")).json()["items"]
    assert [e["author"]["id"] for e in items] == [as_admin.user.id, as_user.user.id]


async def test_one_version_is_read_whole(as_agent):
    await _three_versions(as_agent)
    response = await as_agent.get("/api/layout/me/history/1")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["document"]["version"] == 1
    assert body["document"]["widgets"] == (await _v1_widgets(as_agent))
    assert (await as_agent.get("/api/layout/me/history/9")).status_code == 404


async def _v1_widgets(client):
    created = await client.get("/api/layout/me/history/1")
    return created.json()["document"]["widgets"]


async def test_diff_names_added_removed_moved_resized_reconfigured(as_agent):
    await _three_versions(as_agent)
    one_two = (await as_agent.get("/api/layout/me/diff?from=1&to=2")).json()
    assert one_two == {
        "from": 1,
        "to": 2,
        "added": [],
        "removed": [],
        "moved": ["w3"],
        "resized": ["w1"],
        "reconfigured": [],
        "grid_changed": False,
    }
    two_three = (await as_agent.get("/api/layout/me/diff?from=2&to=3")).json()
    assert two_three["added"] == ["w4"]
    assert two_three["removed"] == ["w2"]
    assert two_three["moved"] == [] and two_three["resized"] == []
    assert two_three["reconfigured"] == ["w3"]
    backwards = (await as_agent.get("/api/layout/me/diff?from=3&to=1")).json()
    assert backwards["added"] == ["w2"] and backwards["removed"] == ["w4"]


async def test_diff_with_unknown_or_missing_version(as_agent):
    await _three_versions(as_agent)
    assert (await as_agent.get("/api/layout/me/diff?from=1&to=8")).status_code == 404
    assert (await as_agent.get("/api/layout/me/diff?from=1")).status_code == 422


async def test_restore_writes_a_new_version_and_keeps_history(as_agent):
    await _three_versions(as_agent)
    original = (await as_agent.get("/api/layout/me/history/1")).json()["document"]
    response = await as_agent.post("/api/layout/me/restore", json={"version": 1})
    assert response.status_code == 200, response.text
    restored = response.json()
    assert restored["version"] == 4
    assert restored["widgets"] == original["widgets"]
    assert (await as_agent.get("/api/layout/me")).json() == restored
    items = (await as_agent.get("/api/layout/me/history")).json()["items"]
    assert [(e["version"], e["restored_from"]) for e in items] == [
        (4, 1),
        (3, None),
        (2, None),
        (1, None),
    ]
    # the restored-from version itself is untouched
    assert (await as_agent.get("/api/layout/me/history/1")).json()["document"] == original
    diff = (await as_agent.get("/api/layout/me/diff?from=1&to=4")).json()
    assert diff["added"] == diff["removed"] == diff["moved"] == diff["reconfigured"] == []


async def test_restore_of_unknown_version_is_404_and_bad_body_422(as_agent):
    await _three_versions(as_agent)
    assert (await as_agent.post("/api/layout/me/restore", json={"version": 42})).status_code == 404
    for body in ({}, {"version": 0}, {"version": "one"}, {"version": 1, "extra": 1}):
        assert (await as_agent.post("/api/layout/me/restore", json=body)).status_code == 422
    assert (await as_agent.get("/api/layout/me")).json()["version"] == 3


async def test_history_without_layout_is_empty(as_user):
    page = (await as_user.get("/api/layout/me/history")).json()
    assert page == {"items": [], "next_before": None}
