"""A ticket list shows a saved view: GET /api/tickets?view_id=, and ticket-list widgets name one."""

from typing import Any

import httpx

from tests.layouts.helpers import document, widget


async def listed(http: httpx.AsyncClient, **params: Any) -> list[int]:
    response = await http.get("/api/tickets", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def set_status(http: httpx.AsyncClient, ticket: dict[str, Any], status: str) -> None:
    response = await http.put(
        f"/api/tickets/{ticket['id']}", json={"version": ticket["version"], "status": status}
    )
    assert response.status_code == 200, response.text


async def test_the_list_takes_a_views_filter_and_sort(as_agent, as_user, make_ticket, make_view):
    low = await make_ticket(as_user, priority="low")
    urgent = await make_ticket(as_user, priority="urgent")
    high = await make_ticket(as_user, priority="high")
    closed = await make_ticket(as_user, priority="urgent")
    for ticket in (low, urgent, high):
        await set_status(as_agent, ticket, "open")
    await set_status(as_agent, closed, "closed")
    view = await make_view(as_agent, filter={"status": ["open"]}, sort="-priority")

    assert await listed(as_agent, view_id=view["id"]) == [urgent["id"], high["id"], low["id"]]
    # The other parameters override the view's: another sort, another status.
    assert await listed(as_agent, view_id=view["id"], sort="priority") == [
        low["id"],
        high["id"],
        urgent["id"],
    ]
    assert await listed(as_agent, view_id=view["id"], status="closed") == [closed["id"]]
    assert await listed(as_agent, view_id=view["id"], filter='{"priority": ["high"]}') == [
        high["id"]
    ]


async def test_pages_of_a_view_follow_its_sort(as_agent, as_user, make_ticket, make_view):
    ids = [(await make_ticket(as_user))["id"] for _ in range(5)]
    view = await make_view(as_agent, sort="number")
    seen: list[int] = []
    params: dict[str, Any] = {"view_id": view["id"], "limit": 2}
    while True:
        page = (await as_agent.get("/api/tickets", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == ids


async def test_me_in_a_shared_view_means_whoever_lists_it(
    as_agent, client_as, as_user, make_ticket, make_view
):
    colleague = await client_as("agent")
    mine = await make_ticket(as_agent, assignee_id=as_agent.user.id)
    theirs = await make_ticket(as_agent, assignee_id=colleague.user.id)
    await make_ticket(as_user)
    view = await make_view(as_agent, "Assigned to me", shared=True, filter={"assignee_id": ["me"]})
    assert await listed(as_agent, view_id=view["id"]) == [mine["id"]]
    assert await listed(colleague, view_id=view["id"]) == [theirs["id"]]


async def test_a_requesters_view_still_lists_only_their_tickets(
    as_agent, as_user, client_as, make_ticket, make_view
):
    other = await client_as("user")
    own = await make_ticket(as_user)
    await make_ticket(other)
    view = await make_view(as_user, filter={"requester_id": [other.user.id, as_user.user.id]})
    assert await listed(as_user, view_id=view["id"]) == [own["id"]]
    # The same filter for an agent lists both.
    agent_view = await make_view(as_agent, filter=view["filter"])
    assert len(await listed(as_agent, view_id=agent_view["id"])) == 2


async def test_a_view_the_caller_may_not_see_is_404(as_agent, as_user, client_as, make_view):
    colleague = await client_as("agent")
    personal = await make_view(as_agent, "Private")
    shared = await make_view(as_agent, "Team queue", shared=True)
    assert (
        await colleague.get("/api/tickets", params={"view_id": personal["id"]})
    ).status_code == 404
    assert (
        await colleague.get("/api/tickets", params={"view_id": shared["id"]})
    ).status_code == 200
    # The team's queue is not the requesters'.
    assert (await as_user.get("/api/tickets", params={"view_id": shared["id"]})).status_code == 404
    assert (await as_agent.get("/api/tickets", params={"view_id": 424242})).status_code == 404


async def test_a_bad_view_id_is_422(as_agent):
    for bad in ("0", "x", "99999999999"):
        assert (await as_agent.get("/api/tickets", params={"view_id": bad})).status_code == 422


async def test_a_ticket_list_widget_names_a_view_in_its_settings(as_agent, make_view):
    catalogue = (await as_agent.get("/api/widgets")).json()
    ticket_list = next(item for item in catalogue if item["type"] == "ticket-list")
    assert "view_id" in ticket_list["settings_schema"]["properties"]

    view = await make_view(as_agent)
    layout = document(widget("w1", "ticket-list", 0, 0, 6, 4, view_id=view["id"]))
    response = await as_agent.post("/api/layout/me", json=layout)
    assert response.status_code == 201, response.text
    assert response.json()["widgets"][0]["settings"]["view_id"] == view["id"]
    for bad in ("1", 0, 1.5, 2**31):
        refused = document(widget("w1", "ticket-list", 0, 0, 6, 4, view_id=bad), version=1)
        assert (await as_agent.put("/api/layout/me", json=refused)).status_code == 422
