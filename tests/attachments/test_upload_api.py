"""Upload, list and download through the API: shape, sniffed types, headers, odd names, cap."""

import hashlib
from collections.abc import AsyncIterator

import pytest

from tests.attachments.conftest import new_ticket, png_bytes, stored_path, upload


async def test_upload_answers_the_contract_shape_and_stores_the_file(as_user, settings):
    ticket = await new_ticket(as_user)
    content = b"The printer says PC LOAD LETTER.\n"
    body = await upload(as_user, ticket["id"], content, "error.txt")
    assert set(body) >= {"id", "filename", "content_type", "size", "sha256", "internal", "url"}
    assert body["filename"] == "error.txt"
    assert body["content_type"] == "text/plain"
    assert body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["internal"] is False
    assert body["url"] == f"/api/attachments/{body['id']}"
    assert body["ticket_id"] == ticket["id"] and body["comment_id"] is None
    assert stored_path(settings, body["sha256"]).read_bytes() == content

    listed = await as_user.get(f"/api/tickets/{ticket['id']}/attachments")
    assert [a["id"] for a in listed.json()] == [body["id"]]

    download = await as_user.get(body["url"])
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-security-policy"] == "default-src 'none'; sandbox"


async def test_a_png_is_sniffed_from_its_bytes_and_may_show_inline(as_user):
    ticket = await new_ticket(as_user)
    body = await upload(as_user, ticket["id"], png_bytes(), "screenshot.dat")
    assert body["content_type"] == "image/png" and body["inline"] is True
    shown = await as_user.get(body["url"])
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    forced = await as_user.get(body["url"], params={"download": "true"})
    assert forced.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("page.png", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("image.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("app.js", b"fetch('/api/users').then(r => r.json()).then(console.log)\n"),
        ("notes.html", b"just words, but the name says html\n"),
        ("real.svg", png_bytes()),  # a PNG named .svg: served as octet-stream all the same
    ],
)
async def test_active_content_is_always_an_octet_stream_download(as_user, filename, content):
    ticket = await new_ticket(as_user)
    body = await upload(as_user, ticket["id"], content, filename)
    assert body["content_type"] == "application/octet-stream" and body["inline"] is False
    served = await as_user.get(body["url"])
    assert served.headers["content-type"] == "application/octet-stream"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"


async def test_a_pdf_keeps_its_type_as_a_download(as_user):
    ticket = await new_ticket(as_user)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    body = await upload(as_user, ticket["id"], pdf, "invoice")
    assert body["content_type"] == "application/pdf"
    served = await as_user.get(body["url"])
    assert served.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("/absolute/path/report.txt", "report.txt"),
        ("..", "attachment"),
        ("", "attachment"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("tab\there.txt", "tab here.txt"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("résumé 2026.txt", "résumé 2026.txt"),
        ("quote%22.txt", "quote%22.txt"),  # as browsers send a quote: kept as sent
        ("x" * 300 + ".txt", "x" * 251 + ".txt"),
    ],
)
async def test_odd_filenames_are_cleaned_and_never_reach_the_disk(as_user, settings, sent, kept):
    ticket = await new_ticket(as_user)
    raw = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="'
        + sent.encode()
        + b'"\r\n\r\nsame bytes for every name\n\r\n--b--\r\n'
    )
    response = await as_user.post(
        f"/api/tickets/{ticket['id']}/attachments",
        content=raw,
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["filename"] == kept
    # Stored by sha256 only: the name never becomes a path.
    assert stored_path(settings, body["sha256"]).is_file()
    assert not any(p.name == kept for p in (settings.data_dir / "attachments").rglob("*"))
    disposition = (await as_user.get(body["url"])).headers["content-disposition"]
    assert "\n" not in disposition and "\r" not in disposition
    assert disposition.count('"') == 2  # the ASCII fallback's own quotes only
    assert "filename*=UTF-8''" in disposition


async def test_a_unicode_name_travels_in_rfc5987_form(as_user):
    ticket = await new_ticket(as_user)
    body = await upload(as_user, ticket["id"], b"x\n", "Überweisung €.txt")
    disposition = (await as_user.get(body["url"])).headers["content-disposition"]
    assert disposition == (
        'attachment; filename="Uberweisung .txt"; '
        "filename*=UTF-8''%C3%9Cberweisung%20%E2%82%AC.txt"
    )


async def test_a_file_over_the_cap_is_413_with_a_clear_message(small_cap_client, make_user):
    user = await make_user("user")
    http = small_cap_client(user)
    ticket = await new_ticket(http)
    response = await http.post(
        f"/api/tickets/{ticket['id']}/attachments", files={"file": ("big.bin", b"x" * 1001)}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is over the 1000 bytes attachment limit"}
    at_cap = await http.post(
        f"/api/tickets/{ticket['id']}/attachments", files={"file": ("ok.bin", b"x" * 1000)}
    )
    assert at_cap.status_code == 201
    assert (await http.get(f"/api/tickets/{ticket['id']}/attachments")).json()[0]["size"] == 1000


async def test_an_upload_declared_far_over_the_cap_is_refused_before_reading(
    small_cap_client, make_user
):
    user = await make_user("user")
    http = small_cap_client(user)
    ticket = await new_ticket(http)
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'
        while pulled < 50_000_000:
            pulled += 8192
            yield b"x" * 8192

    response = await http.post(
        f"/api/tickets/{ticket['id']}/attachments",
        content=endless(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413
    assert "attachment limit" in response.json()["detail"]
    # Streamed: stopped at the cap plus the form's room, not after 50 MB.
    assert pulled < 1000 + 64 * 1024 + 2 * 8192
    assert (await http.get(f"/api/tickets/{ticket['id']}/attachments")).json() == []


async def test_the_default_cap_lets_a_file_larger_than_the_json_body_limit_through(
    as_user, settings
):
    ticket = await new_ticket(as_user)
    content = bytes(range(256)) * (5 * 4096)  # 5 MiB, over the 1 MiB JSON body limit
    body = await upload(as_user, ticket["id"], content, "dump.bin")
    assert body["size"] == len(content)
    assert (await as_user.get(body["url"])).content == content


@pytest.mark.parametrize(
    ("files", "data", "status"),
    [
        (None, {"internal": "false"}, 422),  # no file
        ({"file": ("a.txt", b"a")}, {"internal": "maybe"}, 422),
        ({"file": ("a.txt", b"a")}, {"colour": "red"}, 422),
        ({"other": ("a.txt", b"a")}, None, 422),
    ],
)
async def test_bad_forms_are_refused_and_store_nothing(as_user, files, data, status):
    ticket = await new_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}/attachments"
    if files is None:
        response = await as_user.post(
            url,
            data=data,
            headers={"Content-Type": "multipart/form-data; boundary=x"},
            content=(
                b'--x\r\nContent-Disposition: form-data; name="internal"\r\n\r\nfalse\r\n--x--\r\n'
            ),
        )
    else:
        response = await as_user.post(url, files=files, data=data)
    assert response.status_code == status, response.text
    assert (await as_user.get(f"/api/tickets/{ticket['id']}/attachments")).json() == []


async def test_json_and_malformed_bodies_are_refused(as_user):
    ticket = await new_ticket(as_user)
    url = f"/api/tickets/{ticket['id']}/attachments"
    assert (await as_user.post(url, json={"file": "abc"})).status_code == 422
    no_boundary = await as_user.post(
        url, content=b"abc", headers={"Content-Type": "multipart/form-data"}
    )
    assert no_boundary.status_code == 400
    garbage = await as_user.post(
        url, content=b"\x00\x01garbage", headers={"Content-Type": "multipart/form-data; boundary=z"}
    )
    assert garbage.status_code in (400, 422)
