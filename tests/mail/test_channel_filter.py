"""The ticket filter's `channel`: email tickets apart from web and API ones."""

import json
from typing import Any

import httpx

from tests.conftest import RoleClient
from tests.mail.conftest import MakeMailbox, corpus


async def test_ticket_list_filters_by_channel(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    as_user: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    web = (await as_user.post("/api/tickets", json={"title": "From the web"})).json()
    mailed = await client.post(
        f"/api/inbound/email/{box['id']}",
        content=corpus("gmail_new.eml"),
        headers={
            "X-Deskboard-Inbound-Token": box["inbound_token"],
            "Content-Type": "message/rfc822",
        },
    )
    email_id = mailed.json()["ticket_id"]

    async def ids(filter_: dict[str, Any]) -> list[int]:
        response = await as_admin.get("/api/tickets", params={"filter": json.dumps(filter_)})
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()["items"]]

    assert await ids({"channel": ["email"]}) == [email_id]
    assert await ids({"channel": ["web"]}) == [web["id"]]
    assert sorted(await ids({"channel": ["web", "email"]})) == sorted([web["id"], email_id])
    assert await ids({"channel": ["api"]}) == []
    bad = await as_admin.get("/api/tickets", params={"filter": json.dumps({"channel": ["fax"]})})
    assert bad.status_code == 422
