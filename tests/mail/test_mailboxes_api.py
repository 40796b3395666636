"""Mailbox administration: write-only encrypted passwords, XOAUTH2 refused, the test button."""

from typing import Any

from sqlalchemy import select

from deskboard.db import Database
from deskboard.mail.mailboxes import decrypt_password
from deskboard.mail.models import Mailbox
from tests.conftest import RoleClient
from tests.mail.conftest import IMAP_PASSWORD, MakeMailbox


async def test_passwords_are_write_only_and_stored_encrypted(
    as_admin: RoleClient, make_mailbox: MakeMailbox, database: Database
) -> None:
    box = await make_mailbox(as_admin)
    assert box["imap"]["password_set"] is True and "password" not in box["imap"]
    assert box["smtp"]["password_set"] is False
    assert box["inbound_token"].startswith("mbx_")
    listed = (await as_admin.get("/api/mailboxes")).json()
    assert IMAP_PASSWORD not in str(listed)
    async with database.sessionmaker() as session:
        row = (await session.execute(select(Mailbox))).scalar_one()
    assert row.imap_password_encrypted is not None
    assert IMAP_PASSWORD.encode() not in row.imap_password_encrypted
    assert decrypt_password(row.imap_password_encrypted) == IMAP_PASSWORD
    # An update without a password keeps it; audit entries never carry it.
    patched = await as_admin.patch(
        f"/api/mailboxes/{box['id']}", json={"name": "Help desk", "poll_seconds": 30}
    )
    assert patched.status_code == 200 and patched.json()["imap"]["password_set"] is True
    audit = await as_admin.get("/api/audit", params={"entity_type": "mailbox"})
    assert IMAP_PASSWORD not in audit.text


async def test_xoauth2_is_modelled_but_refused_as_not_yet_supported(
    as_admin: RoleClient, make_mailbox: MakeMailbox
) -> None:
    box = await make_mailbox(as_admin)
    refused = await as_admin.patch(f"/api/mailboxes/{box['id']}", json={"auth": "xoauth2"})
    assert refused.status_code == 422
    assert "XOAUTH2" in refused.text and "not supported yet" in refused.text


async def test_address_clash_is_409_and_roles_other_than_admin_are_403(
    as_admin: RoleClient, as_agent: RoleClient, as_guest: RoleClient, make_mailbox: MakeMailbox
) -> None:
    box = await make_mailbox(as_admin)
    body: dict[str, Any] = {
        "name": "Other",
        "address": box["address"].upper(),
        "imap": {"host": "127.0.0.1", "port": 143, "security": "none", "username": "x"},
        "smtp": {"host": "127.0.0.1", "port": 25, "security": "none"},
    }
    assert (await as_admin.post("/api/mailboxes", json=body)).status_code == 409
    for client in (as_agent, as_guest):
        assert (await client.get("/api/mailboxes")).status_code == 403
        assert (await client.post("/api/mailboxes", json=body)).status_code == 403
        assert (await client.get("/api/mail/outbox")).status_code == 403


async def test_test_button_signs_in_to_both_servers_and_says_what_failed(
    as_admin: RoleClient, make_mailbox: MakeMailbox
) -> None:
    box = await make_mailbox(as_admin)
    ok = await as_admin.post(f"/api/mailboxes/{box['id']}/test")
    assert ok.status_code == 200, ok.text
    assert ok.json()["imap"]["ok"] is True and ok.json()["smtp"]["ok"] is True
    bad_imap = {**box["imap"], "password": "wrong-password"}
    bad_imap.pop("password_set")
    await as_admin.patch(f"/api/mailboxes/{box['id']}", json={"imap": bad_imap})
    failed = (await as_admin.post(f"/api/mailboxes/{box['id']}/test")).json()
    assert failed["imap"]["ok"] is False and "wrong-password" not in failed["imap"]["message"]
    assert failed["smtp"]["ok"] is True


async def test_delete_removes_the_mailbox(as_admin: RoleClient, make_mailbox: MakeMailbox) -> None:
    box = await make_mailbox(as_admin)
    assert (await as_admin.delete(f"/api/mailboxes/{box['id']}")).status_code == 204
    assert (await as_admin.get(f"/api/mailboxes/{box['id']}")).status_code == 404
