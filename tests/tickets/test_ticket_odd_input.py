"""Inputs found by fuzzing the API (schemathesis, by hand) that once answered 500."""

import json

import pytest


@pytest.mark.parametrize(
    "created",
    [
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01"},
    ],
    ids=["widest", "last-day", "first-day"],
)
async def test_created_range_at_the_ends_of_the_calendar_is_fine(as_agent, make_ticket, created):
    ticket = await make_ticket(as_agent)
    params = {"filter": json.dumps({"created": created})}
    response = await as_agent.get("/api/tickets", params=params)
    assert response.status_code == 200, response.text
    assert ticket["id"] in [item["id"] for item in response.json()["items"]]
