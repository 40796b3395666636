"""A received message as plain values: who, what, which thread, what it carries, and whether it
is mail a machine sent (auto-replies, bounces, lists), which must never be answered.

Pure functions over bytes and strings (no database, no I/O), tested on a corpus of real mails.
"""

import hashlib
import re
from dataclasses import dataclass, field
from email import errors as email_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3
from mailparser_reply import EmailReplyParser
from markdownify import markdownify

from deskboard.mail.models import MESSAGE_ID_MAX, SUBJECT_MAX

# [#123] anywhere in the subject (what our outgoing subjects carry).
_TICKET_TOKEN = re.compile(r"\[#(\d{1,9})\]")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,490}>")
_REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs"]
# Defects after which the MIME tree cannot be trusted to hold what the sender meant.
_FATAL_DEFECTS = (
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.NoBoundaryInMultipartDefect,
)
BODY_MAX = 20_000  # as a comment (tickets.models.COMMENT_MAX)


class Malformed(ValueError):
    """A message that cannot be read as mail: quarantined with this reason."""


@dataclass(frozen=True)
class Part:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None  # without <>, for cid: references
    inline: bool = False


@dataclass
class Parsed:
    message_id: str  # with <>; made from the content's digest when the sender gave none
    subject: str
    from_address: str  # lower-cased
    from_name: str
    to: list[str]
    cc: list[str]
    in_reply_to: str | None
    references: list[str]
    text: str  # the full body as text (markdown from HTML when there is no text part)
    reply: str  # `text` without quoted history and signature
    parts: list[Part] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    return_path: str | None = None

    @property
    def ticket_number(self) -> int | None:
        match = _TICKET_TOKEN.search(self.subject)
        return int(match.group(1)) if match else None


def parse(raw: bytes) -> Parsed:
    """Read one RFC 5322 message; raise Malformed when it cannot be trusted."""
    if not raw.strip():
        raise Malformed("empty message")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; this is the unexpected case
        raise Malformed(f"unreadable: {type(exc).__name__}") from exc
    assert isinstance(message, EmailMessage)
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, _FATAL_DEFECTS):
                raise Malformed(f"broken MIME structure: {type(defect).__name__}")
    try:
        from_name, from_address = _address(message, "From")
        headers = {k.lower(): _header(message, k) for k in message}
        subject = _clip(" ".join(_header(message, "Subject").split()), SUBJECT_MAX)
        to = _addresses(message, "To")
        cc = _addresses(message, "Cc")
    except Exception as exc:  # a header the parser cannot decode
        raise Malformed(f"unreadable header: {type(exc).__name__}") from exc
    if not from_address or "@" not in from_address:
        raise Malformed("no sender address (From)")
    message_id = _first_id(headers.get("message-id", "")) or _digest_id(raw)
    references = _ids(headers.get("references", ""))
    in_reply_to = _first_id(headers.get("in-reply-to", ""))
    text, parts = _body(message)
    return Parsed(
        message_id=message_id,
        subject=subject,
        from_address=from_address,
        from_name=from_name,
        to=to,
        cc=cc,
        in_reply_to=in_reply_to,
        references=references,
        text=text,
        reply=strip_quoted(text),
        parts=parts,
        headers=headers,
        content_type=message.get_content_type(),
        return_path=headers.get("return-path"),
    )


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return "" if value is None else str(value)


def _address(message: Message, name: str) -> tuple[str, str]:
    name_part, address = parseaddr(_header(message, name))
    return name_part.strip(), address.strip().lower()


def _addresses(message: Message, name: str) -> list[str]:
    values = [str(v) for v in message.get_all(name) or []]
    return [a.strip().lower() for _, a in getaddresses(values) if "@" in a]


def _ids(value: str) -> list[str]:
    return [m for m in _MESSAGE_ID.findall(value) if len(m) <= MESSAGE_ID_MAX]


def _first_id(value: str) -> str | None:
    found = _ids(value)
    return found[0] if found else None


def _digest_id(raw: bytes) -> str:
    """A stable id for a message without one: the same bytes get the same id (dedupe)."""
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.deskboard.invalid>"


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _decoded_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        # An unknown or lying charset: keep what can be read.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> tuple[str, list[Part]]:
    """The text to show (text/plain, else HTML turned into markdown) and every other part."""
    body_part = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body_part is not None:
        raw_text = _decoded_text(body_part)  # type: ignore[arg-type]
        if body_part.get_content_type() == "text/html":
            text = html_to_markdown(raw_text)
        else:
            text = raw_text
    parts: list[Part] = []
    for index, part in enumerate(message.walk()):
        if part is body_part or part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        content_id = (part.get("Content-ID") or "").strip().strip("<>") or None
        # The other alternative of the body (the HTML twin of the text) is not an attachment.
        if disposition is None and content_type in ("text/plain", "text/html") and not content_id:
            continue
        if content_type in ("message/delivery-status", "message/disposition-notification"):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        filename = part.get_filename() or _default_name(index, content_type)
        parts.append(
            Part(
                filename=_clip(filename.replace("/", "_").replace("\\", "_"), 200),
                content_type=content_type,
                content=payload,
                content_id=content_id,
                inline=disposition == "inline" or (disposition is None and bool(content_id)),
            )
        )
    return _clip(text.replace("\x00", "").strip(), BODY_MAX), parts


def _default_name(index: int, content_type: str) -> str:
    extension = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}.get(
        content_type, "bin"
    )
    return f"part-{index}.{extension}"


def html_to_markdown(html: str) -> str:
    """Sanitise HTML (no scripts, styles, handlers) and write it as markdown."""
    clean = nh3.clean(
        html,
        tags=_HTML_TAGS,
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        # cid: points at an inline part, rewritten to its stored attachment by the ingest.
        url_schemes={"http", "https", "mailto", "cid"},
    )
    markdown = markdownify(clean, heading_style="ATX", bullets="-")
    return re.sub(r"\n{3,}", "\n\n", markdown).strip()


_HTML_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "i", "img",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u",
    "ul",
}  # fmt: skip


def strip_quoted(text: str) -> str:
    """The new part of a reply: quoted history ("On ... wrote:", "From: ... Sent:", "> ")
    and the signature removed; the whole text when nothing would be left."""
    if not text.strip():
        return ""
    try:
        parsed = EmailReplyParser(languages=_REPLY_LANGUAGES).read(text=text)
        latest = parsed.replies[0].body if parsed.replies else ""
    except Exception:  # the library's heuristics must never lose a message
        latest = ""
    latest = re.sub(r"(?m)^-- ?\n[\s\S]*\Z", "", latest).strip()
    return latest or text.strip()


# Loop and junk detection -------------------------------------------------------------------

_BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}


def machine_sent(parsed: Parsed, own_addresses: set[str]) -> str | None:
    """Why this message must be set aside unanswered (a reason), or None for a person's mail."""
    h = parsed.headers
    auto = h.get("auto-submitted", "").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    if h.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return f"Precedence: {h['precedence'].strip().lower()}"
    if "x-auto-response-suppress" in h and _suppresses_replies(h["x-auto-response-suppress"]):
        return "X-Auto-Response-Suppress (an automatic message)"
    if "list-id" in h or "list-unsubscribe" in h:
        return "mailing list post (List-Id)"
    if parsed.content_type == "multipart/report":
        return "delivery or read report (multipart/report)"
    if parsed.return_path is not None and parsed.return_path.strip() in ("<>", ""):
        return "empty Return-Path (a bounce)"
    if parsed.from_address in own_addresses:
        return "sent from one of our own addresses"
    local = parsed.from_address.split("@", 1)[0]
    if local in ("mailer-daemon", "postmaster") or local.startswith(("no-reply", "noreply")):
        return f"sent by {local} (automatic sender)"
    if h.get("x-autoreply") or h.get("x-autorespond"):
        return "X-Autoreply"
    return None


def _suppresses_replies(value: str) -> bool:
    tokens = {t.strip().lower() for t in value.split(",")}
    return bool(tokens & {"all", "oof", "autoreply", "dr", "rn", "nrn"})


def references_of(parsed: Parsed) -> list[str]:
    """Every Message-ID this message answers, nearest first."""
    found: list[str] = []
    for item in [parsed.in_reply_to, *reversed(parsed.references)]:
        if item and item not in found:
            found.append(item)
    return found
