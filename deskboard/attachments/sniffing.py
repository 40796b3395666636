"""What a file really is, from its first bytes (libmagic), never from its name; and how it
may be served.

A browser must never run an attachment: only passive types are served as themselves, every
other one (HTML, SVG, XML, scripts, anything unknown) as application/octet-stream, always as a
download. Images of the few raster types browsers decode safely may be shown inline.
"""

import unicodedata
from pathlib import PurePosixPath

import magic

# How much of the content libmagic reads: enough for every format's signature we serve.
SNIFF_BYTES = 64 * 1024

OCTET_STREAM = "application/octet-stream"
INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Types served as themselves (as a download, under nosniff and a sandboxing CSP).
PASSIVE_TYPES = INLINE_IMAGES | {
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/gzip",
    "application/x-7z-compressed",
    "application/x-tar",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "message/rfc822",
    "audio/mpeg",
    "audio/ogg",
    "audio/x-wav",
    "video/mp4",
    "video/webm",
    "image/bmp",
    "image/tiff",
    "image/heic",
}
# Names a browser or an operating system would open as active content: such a file is served
# as octet-stream even when its bytes look like plain text (a script does).
ACTIVE_EXTENSIONS = frozenset(
    {
        ".htm", ".html", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
        ".js", ".mjs", ".cjs", ".jsx", ".ts", ".vbs", ".hta", ".swf", ".mht", ".mhtml",
        ".wasm", ".jar", ".exe", ".dll", ".msi", ".bat", ".cmd", ".ps1", ".sh", ".php",
    }
)  # fmt: skip
FALLBACK_NAME = "attachment"


def sniff(head: bytes) -> str:
    """Return the media type libmagic sees in the first bytes of a content."""
    return str(magic.from_buffer(head[:SNIFF_BYTES], mime=True))


def served_type(sniffed: str, filename: str) -> str:
    """The Content-Type an attachment is stored with and served as: the sniffed type when it
    is passive and the name does not mark the file as active, else octet-stream."""
    if sniffed not in PASSIVE_TYPES:
        return OCTET_STREAM
    if PurePosixPath(filename.lower()).suffix in ACTIVE_EXTENSIONS:
        return OCTET_STREAM
    return sniffed


def may_show_inline(content_type: str) -> bool:
    return content_type in INLINE_IMAGES


def clean_filename(raw: str | None, *, max_length: int = 255) -> str:
    """A display name from what a client sent: the last path segment, without control or
    format characters, NFC, trimmed (the extension kept), never empty, never `.` or `..`.
    The name is only shown and sent back in Content-Disposition; storage is by sha256."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch.isspace()
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return FALLBACK_NAME
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if 1 < len(suffix) <= 16 else ""
        name = name[: max_length - len(suffix)].rstrip(" .") + suffix
    return name
