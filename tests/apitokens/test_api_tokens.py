"""API tokens: shown once, hashed at rest, scoped, revocable at once, used as a bearer."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from deskboard.apitokens.models import ApiToken
from deskboard.auth.models import User
from tests.matrix import Endpoint, cells, client_for, expect
from tests.statements import recorded_statements


async def _tokens(database):
    async with database.sessionmaker() as session:
        rows = (await session.execute(select(ApiToken).order_by(ApiToken.id))).scalars()
        return [(t.id, t.name, t.digest, t.prefix, t.scopes, t.user_id) for t in rows]


async def test_the_token_is_in_the_create_answer_only_and_kept_as_its_sha256(
    as_admin, make_token, database
):
    made = await make_token("tickets:read", "tickets:write", name="Monitoring")

    token = made["token"]
    assert token.startswith("dbk_") and len(token) >= 40
    assert made["name"] == "Monitoring" and made["scopes"] == ["tickets:read", "tickets:write"]
    assert made["prefix"] == token[:12]
    listed = await as_admin.get("/api/api-tokens")
    assert listed.status_code == 200
    assert token not in listed.text and "token" not in listed.json()[0]
    [(_, _, digest, _, _, _)] = await _tokens(database)
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    async with database.sessionmaker() as session:
        account = await session.get_one(User, made["user_id"])
    assert account.role == "agent" and account.is_active and token not in account.password_hash


async def test_a_write_token_opens_a_ticket_on_the_api_channel_as_its_own_account(
    make_token, token_client, as_agent
):
    made = await make_token("tickets:read", "tickets:write")
    http = token_client(made["token"])

    created = await http.post("/api/tickets", json={"title": "Disk 92% full on db-3"})

    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["channel"] == "api" and ticket["requester"]["id"] == made["user_id"]
    assert (await http.get(f"/api/tickets/{ticket['id']}")).status_code == 200
    commented = await http.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "still"})
    assert commented.status_code == 201, commented.text
    # A person's ticket stays on the web channel.
    mine = await as_agent.post("/api/tickets", json={"title": "From the UI"})
    assert mine.json()["channel"] == "web"
    listed = await as_agent.get("/api/tickets")
    channels = {item["id"]: item["channel"] for item in listed.json()["items"]}
    assert channels == {ticket["id"]: "api", mine.json()["id"]: "web"}


async def test_a_read_token_reads_tickets_but_cannot_write_them(make_token, token_client, as_agent):
    ticket = (await as_agent.post("/api/tickets", json={"title": "Existing"})).json()
    http = token_client((await make_token("tickets:read"))["token"])

    assert (await http.get("/api/tickets")).status_code == 200
    assert (await http.get(f"/api/tickets/{ticket['id']}")).status_code == 200
    assert (await http.post("/api/tickets", json={"title": "No"})).status_code == 403
    changed = await http.put(
        f"/api/tickets/{ticket['id']}", json={"priority": "high", "version": ticket["version"]}
    )
    assert changed.status_code == 403
    comment = await http.post(f"/api/tickets/{ticket['id']}/comments", json={"body": "x"})
    assert comment.status_code == 403
    after = (await as_agent.get(f"/api/tickets/{ticket['id']}")).json()
    assert after["version"] == ticket["version"]


async def test_a_revoked_token_is_refused_on_its_next_request(
    as_admin, make_token, token_client, database
):
    made = await make_token("tickets:read")
    http = token_client(made["token"])
    assert (await http.get("/api/tickets")).status_code == 200

    assert (await as_admin.delete(f"/api/api-tokens/{made['id']}")).status_code == 204

    refused = await http.get("/api/tickets")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert await _tokens(database) == []
    async with database.sessionmaker() as session:
        assert not (await session.get_one(User, made["user_id"])).is_active
    assert (await as_admin.delete(f"/api/api-tokens/{made['id']}")).status_code == 404


@pytest.mark.parametrize(
    "token",
    ["dbk_", "dbk_not-a-token", "dbk_" + "A" * 43, "dbk_\u00e9", "eyJ.not.a.jwt", "dbk_ x"],
)
async def test_unknown_or_malformed_tokens_are_401(token_client, token):
    assert (await token_client(token).get("/api/tickets")).status_code == 401


async def test_last_used_is_recorded_and_written_at_most_once_a_minute(
    make_token, token_client, database
):
    made = await make_token("tickets:read")
    http = token_client(made["token"])

    assert made["last_used_at"] is None
    await http.get("/api/tickets")
    async with database.sessionmaker() as session:
        first = (await session.get_one(ApiToken, made["id"])).last_used_at
    await http.get("/api/tickets")
    async with database.sessionmaker() as session:
        second = (await session.get_one(ApiToken, made["id"])).last_used_at
    assert first is not None and second == first
    async with database.unit_of_work() as session:
        await session.execute(
            update(ApiToken)
            .where(ApiToken.id == made["id"])
            .values(last_used_at=first - timedelta(minutes=2))
        )
    await http.get("/api/tickets")
    async with database.sessionmaker() as session:
        third = (await session.get_one(ApiToken, made["id"])).last_used_at
    assert third is not None and third > first


async def test_the_access_token_path_runs_one_statement_as_before(as_agent, database):
    with recorded_statements(database) as statements:
        me = await as_agent.get("/api/auth/me")

    assert me.status_code == 200
    assert len(statements) == 1 and "api_tokens" not in statements[0]


BAD = [
    ({"name": "", "scopes": ["tickets:read"]}, "name"),
    ({"name": "   ", "scopes": ["tickets:read"]}, "name"),
    ({"name": "x" * 81, "scopes": ["tickets:read"]}, "name"),
    ({"name": "tab\there", "scopes": ["tickets:read"]}, "name"),
    ({"name": "CRM", "scopes": []}, "scopes"),
    ({"name": "CRM", "scopes": ["tickets:delete"]}, "scopes"),
    ({"name": "CRM", "scopes": ["tickets:read", "tickets:read"]}, "scopes"),
    ({"name": "CRM", "scopes": "tickets:read"}, "scopes"),
    ({"name": "CRM"}, "scopes"),
    ({"name": "CRM", "scopes": ["tickets:read"], "token": "dbk_mine"}, "token"),
]


@pytest.mark.parametrize(("body", "field"), BAD)
async def test_bad_input_is_a_422_and_makes_no_token(as_admin, database, body, field):
    response = await as_admin.post("/api/api-tokens", json=body)

    assert response.status_code == 422, response.text
    assert any(field in error["loc"] for error in response.json()["detail"])
    assert await _tokens(database) == []


async def test_a_second_token_of_the_same_name_is_a_409(as_admin, make_token, database):
    await make_token("tickets:read", name="CRM")
    before = await _tokens(database)

    again = await as_admin.post("/api/api-tokens", json={"name": "crm", "scopes": ["tickets:read"]})

    assert again.status_code == 409
    assert await _tokens(database) == before


ENDPOINTS = [
    Endpoint("GET", "/api/api-tokens", expect(admin=200, agent=403, user=403, guest=403)),
    Endpoint(
        "POST",
        "/api/api-tokens",
        expect(admin=201, agent=403, user=403, guest=403),
        {"name": "Another", "scopes": ["tickets:read"]},
    ),
    Endpoint("DELETE", "/api/api-tokens/{id}", expect(admin=204, agent=403, user=403, guest=403)),
]


@pytest.mark.parametrize(("role", "endpoint", "status"), cells(ENDPOINTS))
async def test_role_endpoint_matrix(
    role, endpoint, status, client, client_as, make_token, database
):
    made = await make_token("tickets:read")
    before = await _tokens(database)
    http = await client_for(role, client, client_as)

    response = await endpoint.call(http, id=made["id"])

    assert response.status_code == status, response.text
    if status >= 400:
        assert await _tokens(database) == before


async def test_a_tokens_account_is_not_listed_as_a_person(make_token, as_agent, as_admin):
    made = await make_token("tickets:read", name="Listing check")

    staff = await as_agent.get("/api/users", params={"role": "agent"})
    everyone = await as_admin.get("/api/users")

    assert staff.status_code == 200 and everyone.status_code == 200
    assert made["user_id"] not in [u["id"] for u in staff.json()["items"]]
    assert made["user_id"] not in [u["id"] for u in everyone.json()["items"]]
    assert as_agent.user.id in [u["id"] for u in staff.json()["items"]]
