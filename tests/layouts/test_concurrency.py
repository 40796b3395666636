"""Many sessions saving at once: exactly one write wins each version, the others get 409 with
the current document, retrying writers lose nothing, and history is gapless."""

import asyncio

from tests.layouts.helpers import document, widget

WRITERS = 16
ROUNDS = 3
CHAIN_WRITERS = 6
CHAIN_EDITS = 5


def _doc_for(writer: int, version: int) -> dict:
    return document(widget("n", "note", markdown=f"writer {writer}"), version=version)


async def _history_versions(client) -> list[int]:
    page = (await client.get("/api/layout/me/history?limit=200")).json()
    assert page["next_before"] is None
    return [entry["version"] for entry in page["items"]]


async def test_same_version_puts_have_exactly_one_winner(as_agent):
    assert (await as_agent.post("/api/layout/me", json=document())).status_code == 201
    for round_number in range(ROUNDS):
        expected = 1 + round_number
        responses = await asyncio.gather(
            *(as_agent.put("/api/layout/me", json=_doc_for(i, expected)) for i in range(WRITERS))
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] + [409] * (WRITERS - 1), codes
        winner = next(r.json() for r in responses if r.status_code == 200)
        assert winner["version"] == expected + 1
        for response in responses:
            if response.status_code == 409:
                assert response.json()["current"]["version"] >= expected + 1
        stored = (await as_agent.get("/api/layout/me")).json()
        assert stored["widgets"] == winner["widgets"]
    assert await _history_versions(as_agent) == list(range(ROUNDS + 1, 0, -1))


async def _edit_until_accepted(client, writer: int) -> int:
    """Bump this writer's own counter widget, merging on 409; return the attempts it took."""
    current = (await client.get("/api/layout/me")).json()
    attempts = 0
    while True:
        attempts += 1
        widgets = current["widgets"]
        mine = next(w for w in widgets if w["id"] == f"c{writer}")
        count = int(mine["settings"]["markdown"]) + 1
        mine["settings"]["markdown"] = str(count)
        response = await client.put("/api/layout/me", json=current)
        if response.status_code == 200:
            return attempts
        assert response.status_code == 409, response.text
        current = response.json()["current"]


async def test_retrying_writers_lose_nothing_and_history_is_gapless(as_agent):
    counters = [
        widget(f"c{i}", "note", (i % 4) * 3, (i // 4) * 3, 3, 3, markdown="0")
        for i in range(CHAIN_WRITERS)
    ]
    assert (await as_agent.post("/api/layout/me", json=document(*counters))).status_code == 201

    async def writer(index: int) -> int:
        return sum([await _edit_until_accepted(as_agent, index) for _ in range(CHAIN_EDITS)])

    attempts = await asyncio.gather(*(writer(i) for i in range(CHAIN_WRITERS)))
    final = (await as_agent.get("/api/layout/me")).json()
    total = CHAIN_WRITERS * CHAIN_EDITS
    assert final["version"] == 1 + total
    assert {w["id"]: w["settings"]["markdown"] for w in final["widgets"]} == {
        f"c{i}": str(CHAIN_EDITS) for i in range(CHAIN_WRITERS)
    }
    assert await _history_versions(as_agent) == list(range(total + 1, 0, -1))
    assert sum(attempts) >= total


async def test_concurrent_first_posts_create_one_layout(as_user):
    responses = await asyncio.gather(
        *(as_user.post("/api/layout/me", json=_doc_for(i, 1)) for i in range(8))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 7, codes
    assert await _history_versions(as_user) == [1]
