"""Receive one file from a multipart/form-data body as it streams in.

Starlette's form parser would spool the whole body to a temporary file before the route could
check its size; this parser feeds python-multipart chunk by chunk, writes the `file` part
straight into the staging file (hashing and counting it) and stops at the first byte over the
cap. The app's BodySizeLimit lets these routes through up to the cap plus room for the form's
own bytes (attachment_body_limits), so the route, not the generic limit, answers a large file.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from deskboard.attachments.storage import StagedFile, Stager, human_size, staging_dir, too_large
from deskboard.config import Settings
from deskboard.core.errors import BadRequest, PayloadTooLarge, Unprocessable

FIELD_MAX = 16  # the `internal` field: "true"/"false"
HEADERS_MAX = 8 * 1024  # all part headers together
FORM_ROOM = 64 * 1024  # the form's own bytes beside the file (boundaries, headers, fields)
MAX_PARTS = 4
UPLOAD_PATHS = re.compile(r"^/api/(?:tickets/[^/]+/)?attachments/?$")

# The request body's description in the OpenAPI document (the route reads the stream itself).
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file; its name is the part's filename",
                        },
                        "internal": {
                            "type": "boolean",
                            "default": False,
                            "description": "Staff only: seen by staff alone",
                        },
                    },
                    "additionalProperties": False,
                }
            }
        },
    }
}


def attachment_body_limits(settings: Settings) -> list[tuple[str, re.Pattern[str], int, str]]:
    """BodySizeLimit overrides: uploads may be as large as the attachment cap (plus the form)."""
    detail = f"The file is over the {human_size(settings.max_attachment_bytes)} attachment limit"
    return [("POST", UPLOAD_PATHS, settings.max_attachment_bytes + FORM_ROOM, detail)]


@dataclass
class UploadForm:
    staged: StagedFile
    filename: str
    internal: bool


@dataclass
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


def _problem(loc: str, msg: str, kind: str = "value_error") -> Unprocessable:
    return Unprocessable([{"loc": ["body", loc], "msg": msg, "type": kind}])


def _boolean(raw: bytes) -> bool:
    value = raw.decode("utf-8", "replace").strip().lower()
    if value in ("true", "1", "on", "yes"):
        return True
    if value in ("false", "0", "off", "no", ""):
        return False
    raise _problem("internal", "Input should be a valid boolean", "bool_parsing")


class _Receiver:
    """python-multipart callbacks: headers and fields in memory (bounded), the file to disk."""

    def __init__(self, stager: Stager):
        self.stager = stager
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.header_bytes = 0
        self.parts = 0
        self.pending: list[bytes] = []  # file bytes parsed from the current chunk
        self.filename: str | None = None
        self.fields: dict[str, bytes] = {}
        self.error: Exception | None = None

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise _problem("file", f"At most {MAX_PARTS} form fields")
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self.header_value += data[start:end]

    def _count(self, size: int) -> None:
        self.header_bytes += size
        if self.header_bytes > HEADERS_MAX:
            raise BadRequest("Multipart part headers too large")

    def on_header_end(self) -> None:
        self.part.headers.append((self.header_name.lower(), self.header_value))
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        disposition = dict(self.part.headers).get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        name = options.get(b"name")
        if name is None:
            raise BadRequest('A multipart part without a Content-Disposition "name"')
        self.part.name = name.decode("utf-8", "replace")
        if b"filename" in options:
            self.part.filename = options[b"filename"].decode("utf-8", "replace")
        if self.part.name == "file":
            if self.filename is not None:
                raise _problem("file", "One file per upload")
            self.filename = self.part.filename if self.part.filename is not None else ""
        elif self.part.name == "internal":
            if self.part.name in self.fields:
                raise _problem("internal", "Sent twice")
        else:
            raise Unprocessable(
                [
                    {
                        "loc": ["body", self.part.name[:64]],
                        "msg": "Unknown field: send `file` and, optionally, `internal`",
                        "type": "extra_forbidden",
                    }
                ]
            )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.part.name == "file":
            self.pending.append(data[start:end])
            return
        self.part.data += data[start:end]
        if len(self.part.data) > FIELD_MAX:
            raise _problem(self.part.name, "Input should be a valid boolean", "bool_parsing")

    def on_part_end(self) -> None:
        if self.part.name != "file":
            self.fields[self.part.name] = bytes(self.part.data)


async def receive_upload(request: Request, settings: Settings) -> UploadForm:
    """Read the request's multipart body: the `file` part into a staging file, `internal` as a
    boolean. 413 as soon as the file passes the cap; 400 for a malformed body; 422 for a body
    without a file, with unknown fields or a bad `internal`."""
    content_type = request.headers.get("content-type", "")
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise _problem("file", "Send the file as multipart/form-data, in a field named `file`")
    boundary = params.get(b"boundary")
    if not boundary:
        raise BadRequest("multipart/form-data without a boundary")
    stager = Stager(staging_dir(settings), settings.max_attachment_bytes)
    receiver = _Receiver(stager)
    try:
        parser = MultipartParser(boundary, receiver.callbacks())
        async for chunk in request.stream():
            parser.write(chunk)
            for block in receiver.pending:
                await stager.write(block)
            receiver.pending.clear()
        parser.finalize()
        if receiver.filename is None:
            raise _problem("file", "Field required", "missing")
        internal = _boolean(receiver.fields.get("internal", b""))
        staged = await stager.finish()
    except PayloadTooLarge:
        stager.discard()
        await _drain(request)  # let the client finish sending, so it reads our answer
        raise too_large(settings.max_attachment_bytes) from None
    except FormParserError as exc:
        stager.discard()
        raise BadRequest("Malformed multipart/form-data body") from exc
    except ClientDisconnect:
        stager.discard()
        raise
    except BaseException:
        stager.discard()
        raise
    return UploadForm(staged=staged, filename=receiver.filename, internal=internal)


async def _drain(request: Request) -> None:
    """Read and drop the rest of the body (BodySizeLimit bounds how much there can be)."""
    while True:
        message = await request.receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
