"""Presence: a person's other sessions learn how many of their sessions are editing."""

import asyncio

from tests.realtime.conftest import marker


async def test_editing_in_one_session_is_told_to_the_others(open_socket, make_user, emit):
    owner, someone = await make_user("user"), await make_user("user")
    editing = await open_socket(owner)
    watching = await open_socket(owner)
    stranger = await open_socket(someone)
    await editing.send({"type": "presence", "editing": True})
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 1}
    await emit(marker("after presence"))
    # Neither the editing session itself nor another person hears of it.
    await editing.receive_type("test.marker")
    await stranger.receive_type("test.marker")
    await watching.receive_type("test.marker")

    await watching.send({"type": "presence", "editing": True})
    assert (await editing.receive_type("presence"))["data"] == {"editing_sessions": 1}
    await editing.send({"type": "presence", "editing": False})
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 0}


async def test_closing_an_editing_session_clears_its_presence(open_socket, make_user):
    owner = await make_user("user")
    editing = await open_socket(owner)
    watching = await open_socket(owner)
    await editing.send({"type": "presence", "editing": True})
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 1}
    await editing.connection.close()
    assert (await watching.receive_type("presence"))["data"] == {"editing_sessions": 0}


async def test_new_session_learns_of_an_edit_in_progress(open_socket, make_user, hub):
    owner = await make_user("user")
    editing = await open_socket(owner)
    await editing.send({"type": "presence", "editing": True})
    for _ in range(100):
        if any(c.editing for c in hub.connections(owner.id)):
            break
        await asyncio.sleep(0.01)
    late = await open_socket(owner)
    assert (await late.receive_type("presence"))["data"] == {"editing_sessions": 1}
