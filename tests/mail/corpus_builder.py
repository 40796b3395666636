"""Corpus messages too large to keep in the repository, built the same way every time."""

import hashlib
from email.message import EmailMessage


def large_attachment_message(size: int) -> bytes:
    """A Thunderbird-style message carrying `size` bytes of deterministic binary data."""
    message = EmailMessage()
    message["From"] = "Mara Field <mara.field@customer.test>"
    message["To"] = "support@example.test"
    message["Subject"] = "Crash dump from the kiosk"
    message["Message-ID"] = f"<dump-{size}@customer.test>"
    message["Date"] = "Fri, 4 Dec 2026 09:00:00 +0100"
    message["User-Agent"] = "Mozilla Thunderbird"
    message.set_content("The kiosk crashed again; the dump is attached.\n")
    block = hashlib.sha256(b"deskboard").digest() * 32  # 1 KiB
    data = (block * (size // len(block) + 1))[:size]
    message.add_attachment(
        data, maintype="application", subtype="octet-stream", filename="kiosk.dmp"
    )
    return message.as_bytes()
