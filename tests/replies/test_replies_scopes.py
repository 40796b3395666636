"""Who sees and writes which saved reply: personal, team and global scopes."""

import pytest

from tests.replies.conftest import titles


@pytest.fixture
async def setup(client_as, as_admin, make_team, make_reply):
    """Two agents in different teams, an admin in neither, one reply of every kind."""
    ann = await client_as("agent")
    bob = await client_as("agent")
    red = await make_team(as_admin, name="Red", member_ids=[ann.user.id])
    blue = await make_team(as_admin, name="Blue", member_ids=[bob.user.id])
    replies = {
        "ann-personal": await make_reply(ann, title="ann-personal"),
        "bob-personal": await make_reply(bob, title="bob-personal"),
        "red-team": await make_reply(ann, title="red-team", scope="team", team_id=red["id"]),
        "blue-team": await make_reply(bob, title="blue-team", scope="team", team_id=blue["id"]),
        "global": await make_reply(as_admin, title="global", scope="global"),
        "admin-personal": await make_reply(as_admin, title="admin-personal"),
    }
    return {"ann": ann, "bob": bob, "admin": as_admin, "red": red, "blue": blue, **replies}


async def test_each_person_lists_only_what_they_may_use(setup):
    assert sorted(titles(await setup["ann"].get("/api/saved-replies"))) == [
        "ann-personal",
        "global",
        "red-team",
    ]
    assert sorted(titles(await setup["bob"].get("/api/saved-replies"))) == [
        "blue-team",
        "bob-personal",
        "global",
    ]
    # Admins keep the teams, so they see every team's replies; personal ones stay personal.
    assert sorted(titles(await setup["admin"].get("/api/saved-replies"))) == [
        "admin-personal",
        "blue-team",
        "global",
        "red-team",
    ]
    assert titles(await setup["ann"].get("/api/saved-replies", params={"scope": "team"})) == [
        "red-team"
    ]


@pytest.mark.parametrize("name", ["bob-personal", "blue-team", "admin-personal"])
async def test_an_agent_never_reaches_another_persons_or_another_teams_reply(
    setup, name, stored_replies, make_ticket
):
    ann, reply_id = setup["ann"], setup[name]["id"]
    ticket = await make_ticket(ann)
    before = await stored_replies()
    assert (await ann.get(f"/api/saved-replies/{reply_id}")).status_code == 404
    patch = await ann.patch(f"/api/saved-replies/{reply_id}", json={"title": "mine"})
    assert patch.status_code == 404
    assert (await ann.delete(f"/api/saved-replies/{reply_id}")).status_code == 404
    render = await ann.post(
        f"/api/saved-replies/{reply_id}/render", json={"ticket_id": ticket["id"]}
    )
    assert render.status_code == 404
    assert await stored_replies() == before


async def test_an_agent_uses_but_does_not_change_a_global_reply(setup, stored_replies, make_ticket):
    ann, reply = setup["ann"], setup["global"]
    assert reply["can_edit"] is True
    got = (await ann.get(f"/api/saved-replies/{reply['id']}")).json()
    assert got["can_edit"] is False
    before = await stored_replies()
    patch = await ann.patch(f"/api/saved-replies/{reply['id']}", json={"title": "x"})
    assert patch.status_code == 403
    assert (await ann.delete(f"/api/saved-replies/{reply['id']}")).status_code == 403
    assert await stored_replies() == before
    ticket = await make_ticket(ann)
    render = await ann.post(
        f"/api/saved-replies/{reply['id']}/render", json={"ticket_id": ticket["id"]}
    )
    assert render.status_code == 200


async def test_only_admins_make_global_replies_and_only_members_team_ones(setup, stored_replies):
    ann = setup["ann"]
    before = await stored_replies()
    response = await ann.post(
        "/api/saved-replies", json={"title": "x", "body": "y", "scope": "global"}
    )
    assert response.status_code == 403, response.text
    response = await ann.post(
        "/api/saved-replies",
        json={"title": "x", "body": "y", "scope": "team", "team_id": setup["blue"]["id"]},
    )
    assert response.status_code == 403, response.text
    assert await stored_replies() == before
    response = await setup["admin"].post(
        "/api/saved-replies",
        json={"title": "x", "body": "y", "scope": "team", "team_id": setup["blue"]["id"]},
    )
    assert response.status_code == 201, response.text


async def test_a_team_member_edits_the_team_reply_and_leaving_the_team_ends_access(setup, as_admin):
    bob, reply = setup["bob"], setup["blue-team"]
    other = await bob.post("/api/saved-replies", json={"title": "b2", "body": "x"})
    assert other.status_code == 201
    # Ann joins Blue: she may now change Bob's team reply.
    await as_admin.patch(
        f"/api/teams/{setup['blue']['id']}",
        json={"member_ids": [setup["ann"].user.id, bob.user.id]},
    )
    response = await setup["ann"].patch(
        f"/api/saved-replies/{reply['id']}", json={"body": "Hello {{ requester.name }}"}
    )
    assert response.status_code == 200, response.text
    await as_admin.patch(f"/api/teams/{setup['blue']['id']}", json={"member_ids": []})
    assert (await bob.get(f"/api/saved-replies/{reply['id']}")).status_code == 404


async def test_moving_a_reply_checks_where_it_goes(setup, stored_replies):
    ann = setup["ann"]
    mine = setup["ann-personal"]["id"]
    before = await stored_replies()
    # Into a team she is not in, or global: refused.
    response = await ann.patch(
        f"/api/saved-replies/{mine}", json={"scope": "team", "team_id": setup["blue"]["id"]}
    )
    assert response.status_code == 403, response.text
    response = await ann.patch(f"/api/saved-replies/{mine}", json={"scope": "global"})
    assert response.status_code == 403, response.text
    # A team reply without a team, or a team on a personal reply: 422 naming team_id.
    response = await ann.patch(f"/api/saved-replies/{mine}", json={"scope": "team"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "team_id"]
    response = await ann.patch(f"/api/saved-replies/{mine}", json={"team_id": setup["red"]["id"]})
    assert response.status_code == 422, response.text
    assert await stored_replies() == before
    # Into her own team: allowed; and back to personal, it is hers.
    response = await ann.patch(
        f"/api/saved-replies/{mine}", json={"scope": "team", "team_id": setup["red"]["id"]}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["scope"], response.json()["team_id"]) == ("team", setup["red"]["id"])
    response = await ann.patch(f"/api/saved-replies/{mine}", json={"scope": "personal"})
    assert response.status_code == 200, response.text
    assert (response.json()["team_id"], response.json()["owner_id"]) == (None, ann.user.id)
