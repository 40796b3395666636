"""Every bad saved reply request: a 422 naming the field (or a clear 4xx), nothing stored."""

import pytest

GOOD = {"title": "Thanks", "body": "Thanks {{ requester.name }}"}

# (body, where the error points, below "body")
BAD_CREATES = [
    ({**GOOD, "title": ""}, ["title"]),
    ({**GOOD, "title": "  "}, ["title"]),
    ({**GOOD, "title": "t" * 121}, ["title"]),
    ({**GOOD, "title": "a\u0000b"}, ["title"]),
    ({**GOOD, "title": 3}, ["title"]),
    ({"body": "x"}, ["title"]),
    ({**GOOD, "body": ""}, ["body"]),
    ({**GOOD, "body": " \n "}, ["body"]),
    ({**GOOD, "body": "b" * 20_001}, ["body"]),
    ({**GOOD, "body": "a\u0000b"}, ["body"]),
    ({**GOOD, "body": ["x"]}, ["body"]),
    ({"title": "x"}, ["body"]),
    ({**GOOD, "body": "{{ ticket.nope }}"}, ["body"]),
    ({**GOOD, "body": "{{ ''.__class__.__mro__ }}"}, ["body"]),
    ({**GOOD, "body": "{{ cycler.__init__.__globals__ }}"}, ["body"]),
    ({**GOOD, "body": "{% for x in ticket %}{% endfor %}"}, ["body"]),
    ({**GOOD, "body": "{{ ticket.number "}, ["body"]),
    ({**GOOD, "scope": "private"}, ["scope"]),
    ({**GOOD, "scope": None}, ["scope"]),
    ({**GOOD, "scope": "team"}, ["team_id"]),
    ({**GOOD, "scope": "team", "team_id": 424242}, ["team_id"]),
    ({**GOOD, "scope": "team", "team_id": "1"}, ["team_id"]),
    ({**GOOD, "scope": "team", "team_id": 0}, ["team_id"]),
    ({**GOOD, "team_id": 1}, ["team_id"]),
    ({**GOOD, "scope": "global", "team_id": 1}, ["team_id"]),
    ({**GOOD, "usage_count": 5}, ["usage_count"]),
    ({**GOOD, "owner_id": 5}, ["owner_id"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_CREATES)
async def test_a_bad_new_reply_is_422_naming_the_field(
    as_admin, make_team, stored_replies, body, loc
):
    await make_team(as_admin, name="Only", member_ids=[as_admin.user.id])  # team 1 exists
    response = await as_admin.post("/api/saved-replies", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert ["body", *loc] in [error["loc"] for error in errors], errors
    assert all(error["msg"] for error in errors)
    assert await stored_replies() == []


BAD_UPDATES = [
    ({"title": None}, ["body"]),
    ({"body": None}, ["body"]),
    ({"scope": None}, ["body"]),
    ({"title": ""}, ["body", "title"]),
    ({"body": "{{ agent.password }}"}, ["body", "body"]),
    ({"body": "{% include 'x' %}"}, ["body", "body"]),
    ({"scope": "team"}, ["body", "team_id"]),
    ({"scope": "team", "team_id": 424242}, ["body", "team_id"]),
    ({"team_id": 1}, ["body", "team_id"]),
    ({"usage_count": 0}, ["body", "usage_count"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_UPDATES)
async def test_a_bad_update_is_422_and_changes_nothing(
    as_admin, make_team, make_reply, stored_replies, audit_of, body, loc
):
    await make_team(as_admin, name="Only", member_ids=[as_admin.user.id])
    made = await make_reply(as_admin)
    before = await stored_replies()
    response = await as_admin.patch(f"/api/saved-replies/{made['id']}", json=body)
    assert response.status_code == 422, response.text
    # A field of an update may add pydantic's branch name after the field (absent-or-value).
    locs = [error["loc"][: len(loc)] for error in response.json()["detail"]]
    assert loc in locs, locs
    assert await stored_replies() == before
    assert len(await audit_of("saved_reply")) == 1


BAD_RENDERS = [
    ({}, ["body", "ticket_id"]),
    ({"ticket_id": "1"}, ["body", "ticket_id"]),
    ({"ticket_id": 0}, ["body", "ticket_id"]),
    ({"ticket_id": 2**40}, ["body", "ticket_id"]),
    ({"ticket_id": 1, "extra": 1}, ["body", "extra"]),
    ({"ticket_id": 424242}, ["body", "ticket_id"]),
]


@pytest.mark.parametrize(("body", "loc"), BAD_RENDERS)
async def test_a_bad_render_is_422_and_counts_nothing(
    as_agent, make_reply, make_ticket, stored_replies, body, loc
):
    await make_ticket(as_agent)
    made = await make_reply(as_agent)
    before = await stored_replies()
    response = await as_agent.post(f"/api/saved-replies/{made['id']}/render", json=body)
    assert response.status_code == 422, response.text
    # A field of an update may add pydantic's branch name after the field (absent-or-value).
    locs = [error["loc"][: len(loc)] for error in response.json()["detail"]]
    assert loc in locs, locs
    assert await stored_replies() == before


@pytest.mark.parametrize("reply_id", ["abc", "0", "-1", "99999999999999999999", "1.5"])
async def test_a_bad_reply_id_is_422(as_agent, reply_id):
    for method, path, body in (
        ("GET", "", None),
        ("PATCH", "", {"title": "x"}),
        ("DELETE", "", None),
        ("POST", "/render", {"ticket_id": 1}),
    ):
        kwargs = {"json": body} if body else {}
        url = f"/api/saved-replies/{reply_id}{path}"
        response = await as_agent.request(method, url, **kwargs)
        assert response.status_code == 422, (method, response.text)


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 501}, {"limit": "x"}, {"scope": "mine"}, {"q": "q" * 121}],
)
async def test_bad_list_parameters_are_422(as_agent, params):
    response = await as_agent.get("/api/saved-replies", params=params)
    assert response.status_code == 422, response.text


async def test_an_unknown_reply_is_404(as_agent):
    for method, path, body in (
        ("GET", "", None),
        ("PATCH", "", {"title": "x"}),
        ("DELETE", "", None),
        ("POST", "/render", {"ticket_id": 1}),
    ):
        kwargs = {"json": body} if body else {}
        response = await as_agent.request(method, f"/api/saved-replies/424242{path}", **kwargs)
        assert response.status_code == 404, (method, response.text)
