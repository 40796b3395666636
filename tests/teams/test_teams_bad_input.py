"""Every bad team request: a 422 naming the field (or a clear 4xx), nothing stored."""

import pytest

# (body, where the error points, below "body")
BAD_CREATES = [
    ({"name": ""}, ["name"]),
    ({"name": "   "}, ["name"]),
    ({"name": "n" * 81}, ["name"]),
    ({"name": "a\u0000b"}, ["name"]),
    ({"name": 5}, ["name"]),
    ({}, ["name"]),
    ({"name": "T", "member_ids": "1"}, ["member_ids"]),
    ({"name": "T", "member_ids": [0]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": [-1]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": ["1"]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": [1.5]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": [2**40]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": [{"id": 1}]}, ["member_ids", 0]),
    ({"name": "T", "member_ids": list(range(1, 502))}, ["member_ids"]),
    ({"name": "T", "restrict_visibility": "yes"}, ["restrict_visibility"]),
    ({"name": "T", "restrict_visibility": 1}, ["restrict_visibility"]),
    ({"name": "T", "restrict_visibility": None}, ["restrict_visibility"]),
    ({"name": "T", "id": 3}, ["id"]),
    ({"name": "T", "members": []}, ["members"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_CREATES)
async def test_a_bad_new_team_is_422_naming_the_field(as_admin, stored_teams, body, loc):
    response = await as_admin.post("/api/teams", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert ["body", *loc] in [error["loc"] for error in errors], errors
    assert all(error["msg"] for error in errors)
    assert await stored_teams() == ([], [])


async def test_members_must_exist_and_be_staff(as_admin, make_user, stored_teams):
    agent = await make_user("agent")
    user = await make_user("user")
    guest = await make_user("guest")
    for ids, bad in (
        ([agent.id, user.id], [1]),
        ([guest.id], [0]),
        ([agent.id, 424242], [1]),
        ([agent.id, agent.id], None),  # repeated
    ):
        response = await as_admin.post("/api/teams", json={"name": "T", "member_ids": ids})
        assert response.status_code == 422, response.text
        locs = [error["loc"] for error in response.json()["detail"]]
        expected = [["body", "member_ids", i] for i in bad] if bad else [["body", "member_ids"]]
        assert locs == expected, locs
    assert await stored_teams() == ([], [])


BAD_UPDATES = [
    ({"name": None}, ["body"]),
    ({"member_ids": None}, ["body"]),
    ({"restrict_visibility": None}, ["body"]),
    ({"name": ""}, ["body", "name"]),
    ({"member_ids": [1, 1]}, ["body", "member_ids"]),
    ({"member_ids": [424242]}, ["body", "member_ids", 0]),
    ({"restrict_visibility": "false"}, ["body", "restrict_visibility"]),
    ({"colour": "red"}, ["body", "colour"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_UPDATES)
async def test_a_bad_update_is_422_and_changes_nothing(
    as_admin, make_team, stored_teams, audit_of, body, loc
):
    made = await make_team(as_admin, member_ids=[as_admin.user.id])
    before = await stored_teams()
    response = await as_admin.patch(f"/api/teams/{made['id']}", json=body)
    assert response.status_code == 422, response.text
    # A field of an update may add pydantic's branch name after the field (absent-or-value).
    locs = [error["loc"][: len(loc)] for error in response.json()["detail"]]
    assert loc in locs, locs
    assert await stored_teams() == before
    assert len(await audit_of("team")) == 1


@pytest.mark.parametrize("team_id", ["abc", "0", "-1", "99999999999999999999", "1.5"])
async def test_a_bad_team_id_is_422(as_admin, team_id):
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "X"}} if method == "PATCH" else {}
        response = await as_admin.request(method, f"/api/teams/{team_id}", **kwargs)
        assert response.status_code == 422, (method, response.text)


async def test_an_unknown_team_is_404(as_admin):
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"name": "X"}} if method == "PATCH" else {}
        response = await as_admin.request(method, "/api/teams/424242", **kwargs)
        assert response.status_code == 404, (method, response.text)


@pytest.mark.parametrize("body", [[], "team", 42, None])
async def test_a_body_that_is_not_an_object_is_422(as_admin, stored_teams, body):
    response = await as_admin.post("/api/teams", json=body)
    assert response.status_code == 422, response.text
    assert await stored_teams() == ([], [])
