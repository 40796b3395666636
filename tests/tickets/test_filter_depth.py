"""A deeply nested `filter=` is a clear 400, not a RecursionError (500), on every endpoint."""

import pytest

from deskboard.tickets.filters import MAX_FILTER_DEPTH, nesting_depth

ENDPOINTS = ["/api/tickets", "/api/analytics/by-status", "/api/analytics/kpis"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "document",
    [
        "[" * 10_000,  # depth 10,000 within the 10,000-character cap
        '{"a":' * 1_500 + "1" + "}" * 1_500,
        "[" * 5_000 + "]" * 5_000,
    ],
    ids=["open-arrays-10000", "objects-1500", "arrays-5000"],
)
async def test_deep_nesting_is_a_clear_400(client_as, path, document):
    http = await client_as("agent")

    response = await http.get(path, params={"filter": document})

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"filter is nested more than {MAX_FILTER_DEPTH} levels deep"
    }


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_a_real_filter_is_still_accepted(client_as, path):
    http = await client_as("agent")
    document = '{"status": ["open"], "created": {"from": "2026-01-01"}, "q": "[[[{{{"}'

    assert (await http.get(path, params={"filter": document})).status_code == 200


def test_brackets_inside_strings_do_not_count():
    assert nesting_depth('{"q": "[[[[[[[[[[[[[[[[[[[[\\"[[[["}') == 1
    assert nesting_depth('[{"a": [1, {"b": []}]}]') == 5
