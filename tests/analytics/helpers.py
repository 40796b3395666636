"""Reading analytics and paging through the ticket list a drill-down filter names."""

import json
from typing import Any

import httpx


async def get_json(http: httpx.AsyncClient, path: str, **params: Any) -> Any:
    if "filter" in params and not isinstance(params["filter"], str):
        params["filter"] = json.dumps(params["filter"])
    response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def listed_ids(http: httpx.AsyncClient, ticket_filter: dict[str, Any]) -> list[int]:
    """Every ticket id GET /api/tickets?filter= shows, following next_cursor to the end."""
    ids: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"filter": json.dumps(ticket_filter), "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = await get_json(http, "/api/tickets", **params)
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
