"""The pure mail functions over the corpus: no server, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskboard.mail.parsing import Malformed, machine_sent, parse, strip_quoted
from tests.mail.conftest import corpus

OWN = {"support@example.test"}


def test_outlook_body_in_iso_8859_1_is_decoded() -> None:
    parsed = parse(corpus("outlook_reply.eml", NUMBER="7"))
    assert "Grüße" in parsed.text
    assert parsed.ticket_number == 7
    assert parsed.in_reply_to is None


def test_gmail_attachment_and_inline_cid_image_are_parts() -> None:
    [png] = parse(corpus("gmail_new.eml")).parts
    assert (png.filename, png.content_type, png.content[:4]) == (
        "display.png",
        "image/png",
        b"\x89PNG",
    )
    [inline] = parse(corpus("html_only.eml")).parts
    assert inline.content_id == "shot1@customer.test" and inline.inline


def test_html_alternative_is_not_an_attachment() -> None:
    assert parse(corpus("gmail_reply.eml", OUR_ID="<x@y>")).parts == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto_reply.eml", "Auto-Submitted: auto-replied"),
        ("bounce.eml", "Auto-Submitted: auto-replied"),
        ("list_post.eml", "Precedence: list"),
    ],
)
def test_machine_mail_is_recognised(name: str, reason: str) -> None:
    assert machine_sent(parse(corpus(name, OUR_ID="<a@b>", NUMBER="1")), OWN) == reason


def test_each_loop_signal_alone_is_enough() -> None:
    base = "From: a@customer.test\nTo: support@example.test\nSubject: s\n"
    signals = {
        "Precedence: bulk\n": "Precedence: bulk",
        "X-Auto-Response-Suppress: OOF\n": "X-Auto-Response-Suppress (an automatic message)",
        "List-Id: <l.example>\n": "mailing list post (List-Id)",
        "Return-Path: <>\n": "empty Return-Path (a bounce)",
    }
    for header, reason in signals.items():
        assert machine_sent(parse((header + base + "\nbody\n").encode()), OWN) == reason
    assert machine_sent(parse((base + "Auto-Submitted: no\n\nbody\n").encode()), OWN) is None
    report = base + 'Content-Type: multipart/report; boundary="b"\n\n--b\n\nx\n--b--\n'
    assert machine_sent(parse(report.encode()), OWN) == "delivery or read report (multipart/report)"
    ours = "From: Support <SUPPORT@example.test>\nSubject: s\n\nbody\n"
    assert machine_sent(parse(ours.encode()), OWN) == "sent from one of our own addresses"


def test_malformed_trees_and_missing_senders_are_refused() -> None:
    with pytest.raises(Malformed, match="StartBoundaryNotFound"):
        parse(corpus("malformed_mime.eml"))
    with pytest.raises(Malformed, match="no sender"):
        parse(b"Subject: x\n\nbody\n")
    with pytest.raises(Malformed, match="empty"):
        parse(b"   ")


def test_message_without_id_gets_a_stable_one() -> None:
    raw = b"From: a@customer.test\nSubject: s\n\nbody\n"
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id != parse(raw + b"x").message_id


def test_strip_quoted_keeps_everything_when_nothing_new_would_remain() -> None:
    assert strip_quoted("> only a quote\n> nothing else") == "> only a quote\n> nothing else"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_are_malformed_never_crash(raw: bytes) -> None:
    try:
        parsed = parse(raw)
    except Malformed:
        return
    assert "@" in parsed.from_address
    machine_sent(parsed, OWN)
