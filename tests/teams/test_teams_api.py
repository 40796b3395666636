"""Teams through the API: create, read, rename, change members, delete; audited."""


async def test_an_admin_creates_a_team_of_staff_and_staff_read_it(
    as_admin, as_agent, client_as, make_user, audit_of
):
    agent = await make_user("agent")
    response = await as_admin.post(
        "/api/teams",
        json={"name": "Billing", "member_ids": [agent.id, as_admin.user.id]},
    )
    assert response.status_code == 201, response.text
    team = response.json()
    assert team["name"] == "Billing"
    assert team["member_ids"] == sorted([agent.id, as_admin.user.id])
    assert team["restrict_visibility"] is False
    assert (await as_agent.get(f"/api/teams/{team['id']}")).json() == team
    assert (await as_agent.get("/api/teams")).json() == [team]
    [entry] = await audit_of("team")
    assert entry.action == "team.created"
    assert entry.actor_id == as_admin.user.id
    assert entry.after["member_ids"] == team["member_ids"]


async def test_restrict_visibility_is_stored(as_admin, make_team):
    team = await make_team(as_admin, restrict_visibility=True)
    assert team["restrict_visibility"] is True
    got = (await as_admin.get(f"/api/teams/{team['id']}")).json()
    assert got["restrict_visibility"] is True


async def test_teams_are_listed_by_name_regardless_of_case(as_admin, make_team):
    for name in ("support", "Billing", "Accounts"):
        await make_team(as_admin, name=name)
    names = [team["name"] for team in (await as_admin.get("/api/teams")).json()]
    assert names == ["Accounts", "Billing", "support"]


async def test_a_name_is_unique_regardless_of_case(as_admin, make_team, stored_teams):
    first = await make_team(as_admin, name="Billing")
    other = await make_team(as_admin, name="Support")
    before = await stored_teams()
    response = await as_admin.post("/api/teams", json={"name": "BILLING"})
    assert response.status_code == 409, response.text
    response = await as_admin.patch(f"/api/teams/{other['id']}", json={"name": "billing"})
    assert response.status_code == 409, response.text
    assert await stored_teams() == before
    # A team may change the case of its own name.
    response = await as_admin.patch(f"/api/teams/{first['id']}", json={"name": "BILLING"})
    assert response.status_code == 200, response.text


async def test_a_non_ascii_name_clash_is_409_on_rename_with_members(
    as_admin, make_team, stored_teams
):
    # Found by the contract run: SQLite's lower() folds ASCII only, so the check missed the
    # clash and the members query autoflushed the new name into the unique index (a 500).
    await make_team(as_admin, name="Ärger")
    other = await make_team(as_admin, name="Support")
    before = await stored_teams()
    response = await as_admin.patch(
        f"/api/teams/{other['id']}", json={"name": "Ärger", "member_ids": [as_admin.user.id]}
    )
    assert response.status_code == 409, response.text
    assert await stored_teams() == before


async def test_patch_replaces_members_and_keeps_what_was_not_sent(
    as_admin, make_user, make_team, audit_of
):
    one, two, three = [await make_user("agent") for _ in range(3)]
    team = await make_team(as_admin, name="Ops", member_ids=[one.id, two.id])
    response = await as_admin.patch(f"/api/teams/{team['id']}", json={"member_ids": [three.id]})
    assert response.status_code == 200, response.text
    assert response.json()["member_ids"] == [three.id]
    assert response.json()["name"] == "Ops"
    response = await as_admin.patch(
        f"/api/teams/{team['id']}", json={"restrict_visibility": True, "name": "Operations"}
    )
    body = response.json()
    assert (body["name"], body["restrict_visibility"], body["member_ids"]) == (
        "Operations",
        True,
        [three.id],
    )
    entries = await audit_of("team")
    assert [e.action for e in entries] == ["team.created", "team.updated", "team.updated"]
    assert entries[1].before["member_ids"] == sorted([one.id, two.id])
    assert entries[1].after["member_ids"] == [three.id]


async def test_delete_removes_the_team_and_its_memberships(
    as_admin, make_user, make_team, stored_teams, audit_of
):
    agent = await make_user("agent")
    team = await make_team(as_admin, member_ids=[agent.id])
    response = await as_admin.delete(f"/api/teams/{team['id']}")
    assert response.status_code == 204, response.text
    assert await stored_teams() == ([], [])
    assert (await as_admin.get(f"/api/teams/{team['id']}")).status_code == 404
    assert [e.action for e in await audit_of("team")] == ["team.created", "team.deleted"]


async def test_a_team_holding_saved_replies_is_not_deleted(as_admin, make_team, stored_teams):
    team = await make_team(as_admin, member_ids=[as_admin.user.id])
    response = await as_admin.post(
        "/api/saved-replies",
        json={"title": "Hi", "body": "Hello", "scope": "team", "team_id": team["id"]},
    )
    assert response.status_code == 201, response.text
    before = await stored_teams()
    response = await as_admin.delete(f"/api/teams/{team['id']}")
    assert response.status_code == 409, response.text
    assert response.json()["saved_replies"] == 1
    assert await stored_teams() == before


async def test_a_member_leaving_the_system_leaves_the_team(
    as_admin, make_user, make_team, database
):
    from sqlalchemy import delete

    from deskboard.auth.models import User

    agent = await make_user("agent")
    team = await make_team(as_admin, member_ids=[agent.id, as_admin.user.id])
    async with database.unit_of_work() as session:
        await session.execute(delete(User).where(User.id == agent.id))
    got = (await as_admin.get(f"/api/teams/{team['id']}")).json()
    assert got["member_ids"] == [as_admin.user.id]
