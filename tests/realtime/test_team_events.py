"""A restricted team's ticket events reach admins, its members and the requester over real
sockets, never an agent outside the team."""

from tests.realtime.conftest import marker


async def test_a_restricted_teams_ticket_event_skips_agents_outside_it(
    open_socket, client_as, emit
):
    admin = await client_as("admin")
    member = await client_as("agent")
    outsider = await client_as("agent")
    requester = await client_as("user")
    team = await admin.post(
        "/api/teams",
        json={"name": "HR", "member_ids": [member.user.id], "restrict_visibility": True},
    )
    assert team.status_code == 201, team.text
    ticket = (await requester.post("/api/tickets", json={"title": "Salary"})).json()
    sockets = {
        name: await open_socket(person.user)
        for name, person in (
            ("admin", admin),
            ("member", member),
            ("outsider", outsider),
            ("requester", requester),
        )
    }

    moved = await admin.put(
        f"/api/tickets/{ticket['id']}", json={"version": 1, "team_id": team.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    await emit(marker("after move"))
    for name in ("admin", "member", "requester"):
        message = await sockets[name].receive_type("ticket.updated")
        assert message["data"]["team_id"] == team.json()["id"], name
    assert (await sockets["outsider"].receive_type("test.marker"))["data"]["label"] == "after move"
