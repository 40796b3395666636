"""Who sees which file: the ticket's readers, internal files staff only, drafts the uploader."""

import pytest

from tests.attachments.conftest import new_ticket, upload

ROLES = ("admin", "agent", "requester", "other_user", "guest")


@pytest.fixture
async def people(client_as):
    requester = await client_as("user")
    return {
        "admin": await client_as("admin"),
        "agent": await client_as("agent"),
        "requester": requester,
        "other_user": await client_as("user"),
        "guest": await client_as("guest"),
    }


@pytest.fixture
async def files(people):
    """A ticket of `requester` with a public reply's file, an internal note's file, a file
    marked internal by the agent, and a draft of the agent's."""
    agent, requester = people["agent"], people["requester"]
    ticket = await new_ticket(requester)
    public = await upload(requester, ticket["id"], b"public file\n", "public.txt")
    reply = await requester.post(
        f"/api/tickets/{ticket['id']}/comments",
        json={"body": "Here is the log", "attachment_ids": [public["id"]]},
    )
    assert reply.status_code == 201, reply.text
    note_file = await upload(agent, ticket["id"], b"internal file\n", "note.txt")
    note = await agent.post(
        f"/api/tickets/{ticket['id']}/comments",
        json={"body": "Vendor case 42", "internal": True, "attachment_ids": [note_file["id"]]},
    )
    assert note.status_code == 201, note.text
    assert note.json()["attachments"][0]["internal"] is True
    marked = await upload(agent, ticket["id"], b"marked internal\n", "marked.txt", internal=True)
    draft = await upload(agent, None, b"draft\n", "draft.txt")
    return {
        "ticket": ticket,
        "public": public["id"],
        "note": note_file["id"],
        "marked": marked["id"],
        "draft": draft["id"],
    }


SEES = {
    "admin": {"public", "note", "marked"},
    "agent": {"public", "note", "marked", "draft"},
    "requester": {"public"},
    "other_user": set(),
    "guest": set(),
}


@pytest.mark.parametrize("role", ROLES)
async def test_download_follows_what_the_file_is_attached_to(people, files, role):
    http = people[role]
    for name in ("public", "note", "marked", "draft"):
        response = await http.get(f"/api/attachments/{files[name]}")
        expected = 200 if name in SEES[role] else 404
        assert response.status_code == expected, (role, name, response.text)


@pytest.mark.parametrize("role", ROLES)
async def test_the_list_shows_only_what_the_reader_may_see(people, files, role):
    response = await people[role].get(f"/api/tickets/{files['ticket']['id']}/attachments")
    if role in ("other_user", "guest"):
        assert response.status_code == 404
        return
    seen = {a["id"] for a in response.json()}
    assert seen == {files[name] for name in SEES[role] - {"draft"}}


async def test_the_requester_never_sees_the_internal_notes_files_in_the_conversation(people, files):
    ticket_id = files["ticket"]["id"]
    comments = (await people["requester"].get(f"/api/tickets/{ticket_id}/comments")).json()
    assert [[a["id"] for a in c["attachments"]] for c in comments] == [[files["public"]]]
    staff = (await people["agent"].get(f"/api/tickets/{ticket_id}/comments")).json()
    assert [[a["id"] for a in c["attachments"]] for c in staff] == [
        [files["public"]],
        [files["note"]],
    ]


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("guest", "public", 403),
        ("other_user", "public", 404),
        ("requester", "note", 404),
        ("requester", "public", 204),  # their own upload
        ("agent", "public", 204),  # staff
        ("admin", "note", 204),
        ("agent", "draft", 204),
        ("admin", "draft", 404),  # someone else's draft is nobody else's business
    ],
)
async def test_delete_uploader_or_staff(people, files, role, name, status):
    response = await people[role].delete(f"/api/attachments/{files[name]}")
    assert response.status_code == status, response.text
    after = await people["agent"].get(f"/api/attachments/{files[name]}")
    assert after.status_code == (404 if status == 204 else 200)


async def test_a_requester_may_not_delete_a_staff_file_they_see(people):
    ticket = await new_ticket(people["requester"])
    staff_file = await upload(people["agent"], ticket["id"], b"from support\n", "fix.txt")
    response = await people["requester"].delete(staff_file["url"])
    assert response.status_code == 403
    assert (await people["requester"].get(staff_file["url"])).status_code == 200


async def test_only_staff_upload_internal_files_and_guests_upload_nothing(people):
    ticket = await new_ticket(people["requester"])
    await upload(people["requester"], ticket["id"], b"x", internal=True, expect=403)
    await upload(people["guest"], None, b"x", expect=403)
    await upload(people["other_user"], ticket["id"], b"x", expect=404)
    assert (await people["agent"].get(f"/api/tickets/{ticket['id']}/attachments")).json() == []


async def test_someone_elses_upload_cannot_be_referenced(people):
    ticket = await new_ticket(people["requester"])
    agents = await upload(people["agent"], ticket["id"], b"agent's\n")
    draft = await upload(people["other_user"], None, b"other's draft\n")
    for attachment_id in (agents["id"], draft["id"]):
        response = await people["requester"].post(
            f"/api/tickets/{ticket['id']}/comments",
            json={"body": "mine now?", "attachment_ids": [attachment_id]},
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "attachment_ids", 0]
    comments = await people["requester"].get(f"/api/tickets/{ticket['id']}/comments")
    assert comments.json() == []  # nothing changed


async def test_a_new_ticket_takes_its_drafts_and_a_draft_is_used_once(people):
    requester = people["requester"]
    draft = await upload(requester, None, b"screenshot\n", "shot.txt")
    ticket = await new_ticket(requester, attachment_ids=[draft["id"]])
    listed = (await people["agent"].get(f"/api/tickets/{ticket['id']}/attachments")).json()
    assert [(a["id"], a["ticket_id"]) for a in listed] == [(draft["id"], ticket["id"])]
    again = await requester.post(
        "/api/tickets", json={"title": "Again", "attachment_ids": [draft["id"]]}
    )
    assert again.status_code == 422
    duplicate = await requester.post(
        "/api/tickets", json={"title": "Twice", "attachment_ids": [draft["id"], draft["id"]]}
    )
    assert duplicate.status_code == 422
