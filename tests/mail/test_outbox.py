"""The mail outbox: retried with backoff, state visible to admins, notices and opt-in mail."""

from typing import Any

import httpx

from deskboard.config import Settings
from deskboard.mail.sender import retry_delay
from tests.conftest import RoleClient
from tests.mail.conftest import MakeMailbox, Sink, corpus

TOKEN = "X-Deskboard-Inbound-Token"


async def _email_ticket(client: httpx.AsyncClient, box: dict[str, Any], raw: bytes) -> int:
    response = await client.post(
        f"/api/inbound/email/{box['id']}",
        content=raw,
        headers={TOKEN: box["inbound_token"], "Content-Type": "message/rfc822"},
    )
    assert response.status_code == 202, response.text
    return int(response.json()["ticket_id"])


async def test_a_refused_mail_is_retried_and_its_state_is_visible_to_admins(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    smtp_sink: Sink,
    send_all: Any,
) -> None:
    box = await make_mailbox(as_admin)
    await _email_ticket(client, box, corpus("gmail_new.eml"))
    smtp_sink.refuse = 1
    await send_all()
    [item] = (await as_admin.get("/api/mail/outbox")).json()
    assert item["status"] == "sent" and item["attempts"] == 2
    assert item["kind"] == "received"
    assert len(smtp_sink.wait_for(1)) == 1


async def test_a_mail_refused_every_time_ends_failed_with_the_reason(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    make_mailbox: MakeMailbox,
    smtp_sink: Sink,
    send_all: Any,
) -> None:
    box = await make_mailbox(as_admin)
    await _email_ticket(client, box, corpus("gmail_new.eml"))
    smtp_sink.refuse = 10
    await send_all()
    [item] = (await as_admin.get("/api/mail/outbox", params={"status": "failed"})).json()
    assert item["attempts"] == 3 and "451" in item["error"]


def test_backoff_grows_and_is_capped(settings: Settings) -> None:
    tuned = settings.model_copy(
        update={"mail_retry_base_seconds": 10.0, "mail_retry_max_seconds": 100.0}
    )
    assert 5 <= retry_delay(1, tuned) <= 10
    assert 20 <= retry_delay(3, tuned) <= 40
    assert 50 <= retry_delay(10, tuned) <= 100


async def test_resolving_an_email_ticket_mails_the_requester_once(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    as_agent: RoleClient,
    make_mailbox: MakeMailbox,
    smtp_sink: Sink,
    send_all: Any,
) -> None:
    box = await make_mailbox(as_admin)
    ticket_id = await _email_ticket(client, box, corpus("gmail_new.eml"))
    ticket = (await as_agent.get(f"/api/tickets/{ticket_id}")).json()
    resolved = await as_agent.put(
        f"/api/tickets/{ticket_id}", json={"version": ticket["version"], "status": "resolved"}
    )
    assert resolved.status_code == 200, resolved.text
    # A later edit while still resolved sends nothing new.
    again = await as_agent.put(
        f"/api/tickets/{ticket_id}",
        json={"version": resolved.json()["version"], "priority": "high"},
    )
    assert again.status_code == 200
    await send_all()
    messages = smtp_sink.wait_for(2)
    assert [m["X-Deskboard-Kind"] for m in messages] == ["received", "resolved"]
    assert messages[1]["Auto-Submitted"] == "auto-generated"
    assert messages[1]["In-Reply-To"] == messages[0]["Message-ID"]


async def test_web_tickets_are_not_mailed(
    as_admin: RoleClient,
    as_user: RoleClient,
    as_agent: RoleClient,
    make_mailbox: MakeMailbox,
    smtp_sink: Sink,
    send_all: Any,
) -> None:
    await make_mailbox(as_admin)
    created = await as_user.post("/api/tickets", json={"title": "From the web"})
    await as_agent.post(f"/api/tickets/{created.json()['id']}/comments", json={"body": "Hi"})
    assert await send_all() == 0
    assert smtp_sink.messages == []


async def test_agents_who_opt_in_get_their_notifications_by_mail(
    client: httpx.AsyncClient,
    as_admin: RoleClient,
    as_agent: RoleClient,
    make_mailbox: MakeMailbox,
    smtp_sink: Sink,
    send_all: Any,
) -> None:
    box = await make_mailbox(as_admin)
    ticket_id = await _email_ticket(client, box, corpus("gmail_new.eml"))
    assert (await as_agent.get("/api/mail/preferences")).json() == {"notify_by_email": False}
    put = await as_agent.put("/api/mail/preferences", json={"notify_by_email": True})
    assert put.status_code == 200
    ticket = (await as_admin.get(f"/api/tickets/{ticket_id}")).json()
    assigned = await as_admin.put(
        f"/api/tickets/{ticket_id}",
        json={"version": ticket["version"], "assignee_id": as_agent.user.id},
    )
    assert assigned.status_code == 200, assigned.text
    await send_all()
    mails = smtp_sink.wait_for(2)
    to_agent = [m for m in mails if m["To"] == as_agent.user.email]
    assert len(to_agent) == 1 and to_agent[0]["Auto-Submitted"] == "auto-generated"
