"""End to end over real servers: Dovecot delivers, the poller reads, the sink receives."""

from typing import Any

from tests.conftest import RoleClient
from tests.mail.conftest import Dovecot, MakeMailbox, Sink, corpus


async def _ticket(admin: RoleClient, ticket_id: int) -> dict[str, Any]:
    response = await admin.get(f"/api/tickets/{ticket_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_new_message_becomes_an_email_ticket_with_a_requester_who_cannot_sign_in(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    inbound_rows: Any,
    client: Any,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], corpus("gmail_new.eml"))

    summary = await poll(box["id"])

    assert summary.ok, summary.message
    assert summary.processed == 1
    [row] = await inbound_rows()
    assert row.status == "ticket_created"
    assert row.raw.startswith(b"MIME-Version")  # the original is kept whole
    ticket = await _ticket(as_admin, row.ticket_id)
    assert ticket["channel"] == "email"
    assert ticket["title"] == "Printer on 3rd floor prints blank pages"
    assert "prints blank pages since this morning" in ticket["description"]
    assert ticket["requester"]["email"] == "anna.berg@customer.test"
    assert ticket["requester"]["name"] == "Anna Berg"
    files = (await as_admin.get(f"/api/tickets/{row.ticket_id}/attachments")).json()
    assert [(f["filename"], f["content_type"], f["internal"]) for f in files] == [
        ("display.png", "image/png", False)
    ]
    download = await as_admin.get(files[0]["url"])
    assert download.status_code == 200 and download.content.startswith(b"\x89PNG")
    signin = await client.post(
        "/api/auth/login", json={"email": "anna.berg@customer.test", "password": "x" * 20}
    )
    assert signin.status_code == 401
    box_now = (await as_admin.get(f"/api/mailboxes/{box['id']}")).json()
    assert box_now["last_poll"]["ok"] is True
    assert box_now["last_poll"]["last_uid"] == 1
    assert box_now["last_poll"]["uidvalidity"]


async def test_a_second_poll_processes_nothing_again(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    inbound_rows: Any,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], corpus("gmail_new.eml"), corpus("forwarded.eml"))
    assert (await poll(box["id"])).processed == 2
    again = await poll(box["id"])
    assert again.processed == 0
    assert again.message == "no new mail"
    assert len(await inbound_rows()) == 2


async def test_deskboard_reply_reaches_the_sink_threaded_and_the_client_reply_lands_on_the_ticket(
    as_admin: RoleClient,
    as_agent: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    send_all: Any,
    smtp_sink: Sink,
    inbound_rows: Any,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], corpus("gmail_new.eml"))
    await poll(box["id"])
    [row] = await inbound_rows()
    ticket_id = row.ticket_id

    reply = await as_agent.post(
        f"/api/tickets/{ticket_id}/comments", json={"body": "Please switch it **off and on**."}
    )
    assert reply.status_code == 201, reply.text
    note = await as_agent.post(
        f"/api/tickets/{ticket_id}/comments",
        json={"body": "Secret: the printer is from the cheap vendor", "internal": True},
    )
    assert note.status_code == 201
    await send_all()

    messages = smtp_sink.wait_for(2)
    assert len(messages) == 2, [m["Subject"] for m in messages]  # received notice + reply
    received, answer = messages
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["In-Reply-To"] == "<CAH7x3kPq1Zr0d8Ew5q2YbN6tQ@mail.gmail.com>"
    assert answer["Auto-Submitted"] is None
    assert answer["To"] == "anna.berg@customer.test"
    assert answer["Subject"].startswith(f"Re: [#{ticket_id}] Printer")
    assert answer["In-Reply-To"] == received["Message-ID"]
    assert "<CAH7x3kPq1Zr0d8Ew5q2YbN6tQ@mail.gmail.com>" in answer["References"]
    text = answer.get_body(("plain",)).get_content()
    html = answer.get_body(("html",)).get_content()
    assert "off and on" in text and "<strong>off and on</strong>" in html
    for message in messages:  # the internal note never leaves
        assert "cheap vendor" not in message.as_string()

    # Anna answers from Gmail, quoting; her reply threads by In-Reply-To.
    client_reply = corpus("gmail_reply.eml", OUR_ID=answer["Message-ID"])
    dovecot.append(box["imap_user"], client_reply)
    summary = await poll(box["id"])
    assert summary.processed == 1, summary.message
    rows = await inbound_rows()
    assert rows[-1].status == "reply_added" and rows[-1].ticket_id == ticket_id
    comments = (await as_admin.get(f"/api/tickets/{ticket_id}/comments")).json()
    shown = comments[-1]["body"]
    assert shown.startswith("It works again, thank you!")
    assert "wrote:" not in shown and "switch it off" not in shown  # the quote is stripped
    assert comments[-1]["author"]["email"] == "anna.berg@customer.test"
    # Her reply is not mailed back to her.
    await send_all()
    assert len(smtp_sink.wait_for(3, timeout=0.5)) == 2

    thread = (await as_agent.get(f"/api/tickets/{ticket_id}/mail")).json()
    assert [m["direction"] for m in thread["messages"]] == ["in", "out", "out", "in"]
    assert thread["mailbox_address"] == box["address"]


async def test_auto_reply_to_our_notice_is_set_aside_and_never_answered(
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    dovecot: Dovecot,
    poll: Any,
    send_all: Any,
    smtp_sink: Sink,
    inbound_rows: Any,
) -> None:
    box = await make_mailbox(as_admin)
    dovecot.append(box["imap_user"], corpus("gmail_new.eml"))
    await poll(box["id"])
    await send_all()
    [notice] = smtp_sink.wait_for(1)
    number = (await inbound_rows())[0].ticket_id
    # The out-of-office answers our notice; then a bounce and a list post arrive.
    dovecot.append(
        box["imap_user"],
        corpus("auto_reply.eml", OUR_ID=notice["Message-ID"], NUMBER=str(number)),
        corpus("bounce.eml"),
        corpus("list_post.eml"),
    )
    summary = await poll(box["id"])
    assert summary.ok and summary.processed == 3
    rows = await inbound_rows()
    assert [r.status for r in rows[1:]] == ["ignored", "ignored", "ignored"]
    assert rows[1].reason == "Auto-Submitted: auto-replied"
    assert "list" in (rows[3].reason or "").lower()
    await send_all()
    assert len(smtp_sink.wait_for(2, timeout=0.5)) == 1  # nothing answered the machines
    comments = (await as_admin.get(f"/api/tickets/{number}/comments")).json()
    assert comments == []
