"""Reconnect with last_event_id: missed events are replayed, or the client is told to resync."""

import json

from deskboard.core.events import Audience, Event
from deskboard.realtime.inprocess import InProcessBackend
from deskboard.realtime.protocol import format_event_id, parse_event_id
from tests.realtime.conftest import event, marker

STAFF = {"admin", "agent"}


async def test_reconnect_replays_what_was_missed_and_may_be_seen(open_socket, make_user, emit):
    requester, other = await make_user("user"), await make_user("user")
    first = await open_socket(requester)
    await emit(event("ticket.created", {"id": 1}, user_ids={requester.id}, roles=STAFF))
    seen = await first.receive_type("ticket.created")
    await first.connection.close()

    await emit(
        event("ticket.updated", {"id": 1}, user_ids={requester.id}, roles=STAFF),
        event("ticket.created", {"id": 2}, user_ids={other.id}, roles=STAFF),
        event("notification", {"n": 1}, user_ids={requester.id}),
    )
    second = await open_socket(requester, last_event_id=seen["id"])
    assert second.ready["last_event_id"] == seen["id"]
    replayed = [await second.receive(), await second.receive()]
    assert [(m["type"], m["data"]) for m in replayed] == [
        ("ticket.updated", {"id": 1}),
        ("notification", {"n": 1}),
    ]
    assert parse_event_id(replayed[0]["id"]) < parse_event_id(replayed[1]["id"])
    await emit(marker("live"))
    assert (await second.receive_type("test.marker"))["data"]["label"] == "live"


async def test_replay_skips_events_the_same_client_caused(open_socket, make_user, emit):
    owner = await make_user("user")
    first = await open_socket(owner, client_id="tab-1")
    last = first.ready["last_event_id"]
    await first.connection.close()
    await emit(
        event("layout.updated", {"version": 2}, user_ids={owner.id}, origin="tab-1"),
        event("layout.updated", {"version": 3}, user_ids={owner.id}, origin="tab-2"),
    )
    second = await open_socket(owner, client_id="tab-1", last_event_id=last)
    assert (await second.receive())["data"] == {"version": 3}


async def test_id_from_an_unknown_log_gets_resync(open_socket, make_user, emit):
    user = await make_user("user")
    socket = await open_socket(user, last_event_id="1-5")
    resync = await socket.receive_type("resync")
    assert resync["last_event_id"] == socket.ready["last_event_id"]


async def test_malformed_last_event_id_gets_resync(open_socket, make_user):
    user = await make_user("user")
    socket = await open_socket(user, last_event_id="yesterday")
    await socket.receive_type("resync")


async def test_live_events_follow_a_resync(open_socket, make_user, emit):
    user = await make_user("user")
    socket = await open_socket(user, last_event_id="1-1")
    await socket.receive_type("resync")
    await emit(marker("after resync"))
    assert (await socket.receive_type("test.marker"))["data"]["label"] == "after resync"


def _event(number: int) -> Event:
    return Event("ticket.updated", {"n": number}, audience=Audience(roles=frozenset({"agent"})))


async def test_in_process_log_replays_within_and_refuses_gaps_older_than_it():
    backend = InProcessBackend(log_size=5, replay_limit=3)
    await backend.start(lambda event: None, lambda count: None)
    start = await backend.head()
    for number in range(1, 4):
        await backend.publish(_event(number))
    replayed = await backend.replay(start)
    assert replayed is not None
    assert [json.loads(e.wire)["data"]["n"] for e in replayed] == [1, 2, 3]
    assert [e.id for e in replayed] == sorted(e.id for e in replayed)
    assert await backend.replay(await backend.head()) == []
    for number in range(4, 8):
        await backend.publish(_event(number))  # 7 published, log keeps 5: two trimmed
    assert await backend.replay(start) is None
    epoch, sequence = await backend.head()
    assert await backend.replay((epoch, sequence - 4)) is None  # within the log, over the limit
    assert len(await backend.replay((epoch, sequence - 3)) or []) == 3
    assert await backend.replay((epoch, sequence + 1)) is None  # from the future
    assert await backend.replay((epoch - 1, sequence)) is None  # an earlier server's id
    assert format_event_id((epoch, sequence)) == f"{epoch}-{sequence}"
