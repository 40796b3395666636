"""What a received message becomes: the gateway endpoint fed with the corpus."""

from typing import Any

import httpx

from tests.conftest import RoleClient
from tests.mail.conftest import MakeMailbox, corpus

TOKEN = "X-Deskboard-Inbound-Token"


async def _offer(client: httpx.AsyncClient, box: dict[str, Any], raw: bytes) -> dict[str, Any]:
    response = await client.post(
        f"/api/inbound/email/{box['id']}",
        content=raw,
        headers={TOKEN: box["inbound_token"], "Content-Type": "message/rfc822"},
    )
    assert response.status_code == 202, response.text
    return response.json()


async def test_gateway_refuses_a_wrong_token_and_a_wrong_media_type(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    inbound_rows: Any,
) -> None:
    box = await make_mailbox(as_admin)
    url = f"/api/inbound/email/{box['id']}"
    raw = corpus("gmail_new.eml")
    for headers in ({}, {TOKEN: "mbx_wrong"}, {TOKEN: box["inbound_token"] + "x"}):
        response = await client.post(
            url, content=raw, headers={**headers, "Content-Type": "message/rfc822"}
        )
        assert response.status_code == 401
    unknown = await client.post(
        "/api/inbound/email/999",
        content=raw,
        headers={TOKEN: box["inbound_token"], "Content-Type": "message/rfc822"},
    )
    assert unknown.status_code == 401
    wrong_type = await client.post(
        url, content=raw, headers={TOKEN: box["inbound_token"], "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    empty = await client.post(
        url, content=b"", headers={TOKEN: box["inbound_token"], "Content-Type": "message/rfc822"}
    )
    assert empty.status_code == 400
    assert await inbound_rows() == []


async def test_gateway_creates_then_reports_the_same_message_as_a_duplicate(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    first = await _offer(client, box, corpus("gmail_new.eml"))
    assert first["status"] == "ticket_created" and first["duplicate"] is False
    again = await _offer(client, box, corpus("gmail_new.eml"))
    assert again == {**first, "duplicate": True}
    tickets = (await as_admin.get("/api/tickets")).json()["items"]
    assert len(tickets) == 1


async def test_subject_token_threads_only_for_the_requester_or_someone_on_the_thread(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    opened = await _offer(
        client,
        box,
        b"From: Jonas Keller <jonas.keller@corp.test>\nTo: support@example.test\n"
        b"Subject: VPN drops every hour\nMessage-ID: <vpn-1@corp.test>\n\nIt drops.\n",
    )
    number = str(opened["ticket_id"])
    # Outlook reply without In-Reply-To, only the [#n] token: Jonas is the requester.
    reply = await _offer(client, box, corpus("outlook_reply.eml", NUMBER=number))
    assert reply == {
        "status": "reply_added",
        "ticket_id": opened["ticket_id"],
        "reason": None,
        "duplicate": False,
    }
    comments = (await as_admin.get(f"/api/tickets/{number}/comments")).json()
    body = comments[-1]["body"]
    assert "tunnel closed by peer" in body
    assert "Grüße" not in body  # the sign-off is a signature: stripped from what is shown
    assert "Could you send us the client log" not in body  # Outlook's quoted block stripped
    # A stranger quoting the token opens a new ticket instead of writing into Jonas's.
    stranger = (
        corpus("outlook_reply.eml", NUMBER=number)
        .replace(b"jonas.keller@corp.test", b"mallory@evil.test")
        .replace(b"AM0PR07MB6321F3A1", b"AM0PR07MB6321FFFF")
    )
    other = await _offer(client, box, stranger)
    assert other["status"] == "ticket_created" and other["ticket_id"] != opened["ticket_id"]


async def test_apple_mail_reply_threads_by_in_reply_to_and_sheds_quote_and_signature(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    opened = await _offer(
        client,
        box,
        b"From: Lea Martin <lea.martin@customer.test>\nTo: support@example.test\n"
        b"Subject: Laptop battery swelling\nMessage-ID: <bat-1@customer.test>\n\nIt bulges.\n",
    )
    reply = await _offer(
        client,
        box,
        corpus("apple_reply.eml", OUR_ID="<bat-1@customer.test>", NUMBER="0"),
    )
    assert reply["status"] == "reply_added" and reply["ticket_id"] == opened["ticket_id"]
    comments = (await as_admin.get(f"/api/tickets/{opened['ticket_id']}/comments")).json()
    body = comments[-1]["body"]
    assert body.startswith("I brought it to the front desk at 2pm — please confirm it arrived.")
    assert "Please do not charge it" not in body


async def test_non_utf8_html_only_forwarded_and_textless_messages_become_readable_tickets(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    expected = {
        "koi8r.eml": ("Проблема с почтой", "Привет, почта не работает."),
        "iso2022jp.eml": ("プリンターが動かない", "トナーは新しいです"),
        "forwarded.eml": ("Fwd: Your invoice 2026-1142 could not be paid", "payment for invoice"),
        "no_text_part.eml": ("Scanned document", "(no text: see the attached files)"),
        "html_only.eml": ("Screenshot of the error", "The app shows **this**"),
    }
    for name, (title, text) in expected.items():
        result = await _offer(client, box, corpus(name))
        assert result["status"] == "ticket_created", name
        ticket = (await as_admin.get(f"/api/tickets/{result['ticket_id']}")).json()
        assert ticket["title"] == title, name
        assert text in ticket["description"], (name, ticket["description"])
        assert ticket["channel"] == "email"
        if name == "html_only.eml":
            assert "alert(1)" not in ticket["description"]  # scripts gone
            assert "onclick" not in ticket["description"]
            assert "[status](https://status.vendor.test/)" in ticket["description"]
            # The inline cid: image is kept as an attachment, and the text points at it.
            [image] = (await as_admin.get(f"/api/tickets/{ticket['id']}/attachments")).json()
            assert f"![error]({image['url']})" in ticket["description"]
            assert image["filename"] == "error.png"


async def test_machine_mail_is_ignored_and_malformed_mail_is_quarantined_for_admins(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    as_agent: RoleClient,
    make_mailbox: MakeMailbox,
) -> None:
    box = await make_mailbox(as_admin)
    for name in ("bounce.eml", "list_post.eml"):
        result = await _offer(client, box, corpus(name))
        assert result["status"] == "ignored" and result["ticket_id"] is None
    own = (
        f"From: Support <{box['address']}>\nTo: someone@customer.test\nSubject: echo\n"
        "Message-ID: <echo-1@example.test>\n\nour own mail came back\n"
    ).encode()
    echoed = await _offer(client, box, own)
    assert echoed == {
        "status": "ignored",
        "ticket_id": None,
        "reason": "sent from one of our own addresses",
        "duplicate": False,
    }
    broken = await _offer(client, box, corpus("malformed_mime.eml"))
    assert broken["status"] == "quarantined"
    assert "StartBoundaryNotFoundDefect" in broken["reason"]
    no_sender = await _offer(client, box, b"Subject: who?\n\nnobody sent this\n")
    assert no_sender == {
        "status": "quarantined",
        "ticket_id": None,
        "reason": "no sender address (From)",
        "duplicate": False,
    }
    quarantine = await as_admin.get("/api/mail/quarantine")
    assert quarantine.status_code == 200
    assert {q["reason"] for q in quarantine.json()} == {
        broken["reason"],
        "no sender address (From)",
    }
    assert (await as_agent.get("/api/mail/quarantine")).status_code == 403
    assert (await as_admin.get("/api/tickets")).json()["items"] == []


async def test_acknowledgements_to_one_sender_are_rate_limited(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    outbox_rows: Any,
) -> None:
    box = await make_mailbox(as_admin)
    for i in range(6):
        raw = (
            f"From: loop@customer.test\nTo: {box['address']}\nSubject: again {i}\n"
            f"Message-ID: <again-{i}@customer.test>\n\nhello {i}\n"
        ).encode()
        assert (await _offer(client, box, raw))["status"] == "ticket_created"
    notices = [row for row in await outbox_rows() if row.kind == "received"]
    assert len(notices) == 3  # DESKBOARD_MAIL_ACK_PER_HOUR


async def test_large_message_with_a_15_mib_attachment_becomes_a_ticket(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    inbound_rows: Any,
) -> None:
    from tests.mail.corpus_builder import large_attachment_message

    box = await make_mailbox(as_admin)
    raw = large_attachment_message(15 * 1024 * 1024)
    assert len(raw) > 20 * 1024 * 1024  # base64: over the API's usual 1 MiB body limit
    result = await _offer(client, box, raw)
    assert result["status"] == "ticket_created"
    [row] = await inbound_rows()
    assert row.size == len(raw)
    files = (await as_admin.get(f"/api/tickets/{result['ticket_id']}/attachments")).json()
    assert [(f["filename"], f["size"]) for f in files] == [("kiosk.dmp", 15 * 1024 * 1024)]
