"""A plugin's prebuilt front end at /plugins/{name}/{version}/{path}, and the host page of its
sandboxed iframe at /plugins/{name}/{version}/frame.html."""

import base64
import hashlib
import html
import json

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response

from deskboard.config import Settings
from deskboard.core.errors import error_response
from deskboard.db import DbSession
from deskboard.plugins import service
from deskboard.plugins.manifest import static_path_error

# The version is in the URL: a file never changes under it.
IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}
# Public code, like /assets/: a sandboxed (opaque-origin) frame's module requests carry
# `Origin: null` and need CORS to load it.
SHARED = {"Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin"}
FRAME_FILE = "frame.html"
# Written by the UI build: the URLs of the modules the import maps share.
SHARED_MODULES_FILE = "plugin-shared.json"


def frame_policy(import_map: str) -> str:
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'sha256-{digest}'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'none'",  # no fetch, no socket: all data goes through postMessage
            "frame-ancestors 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "sandbox allow-scripts",  # opaque origin: no cookies, storage or parent DOM
        ]
    )


def frame_page(
    shared: dict[str, str], module: str, css: list[str], widget_type: str
) -> tuple[str, str]:
    """The host page of one plugin widget in an iframe, and its Content-Security-Policy."""
    import_map = json.dumps(
        {"imports": {"vue": shared["vue"], "@deskboard/sdk": shared["frame_sdk"]}},
        separators=(",", ":"),
    )
    links = "".join(f'<link rel="stylesheet" href="{html.escape(href)}">' for href in css)
    page = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="color-scheme" content="light dark">'
        f'<script type="importmap">{import_map}</script>{links}</head>'
        f'<body><div id="app" data-module="{html.escape(module)}" '
        f'data-type="{html.escape(widget_type)}"></div>'
        f'<script type="module" src="{html.escape(shared["frame_entry"])}"></script>'
        "</body></html>"
    )
    return page, frame_policy(import_map)


def _not_found() -> Response:
    return error_response(404, "Not found")


def install(app: FastAPI, settings: Settings) -> None:
    dist = settings.frontend_dist.resolve()

    @app.get("/plugins/{name}/{version}/{path:path}", include_in_schema=False)
    async def plugin_file(
        name: str, version: str, path: str, session: DbSession, type: str = ""
    ) -> Response:
        record = await service.enabled_record(session, name)
        if record is None or record.version != version or record.plugin is None:
            return _not_found()
        frontend = record.plugin.frontend
        if frontend is None or record.static_root is None:
            return _not_found()
        if path == FRAME_FILE:
            return _frame(record.name, version, frontend.module, list(frontend.css), type)
        if static_path_error(path):
            return _not_found()
        root = record.static_root
        candidate = (root / path).resolve()
        if root not in candidate.parents or not candidate.is_file():
            return _not_found()
        media_type = MEDIA_TYPES.get(candidate.suffix.lower(), "application/octet-stream")
        return FileResponse(
            candidate, media_type=media_type, headers={"Cache-Control": IMMUTABLE, **SHARED}
        )

    def _frame(name: str, version: str, module: str, css: list[str], widget_type: str) -> Response:
        record_types = service.get_plugins().records[name].widget_types
        if widget_type not in record_types:
            return error_response(404, "Unknown widget type for this plugin")
        try:
            shared = json.loads((dist / SHARED_MODULES_FILE).read_text(encoding="utf-8"))
            base = f"/plugins/{name}/{version}/"
            page, policy = frame_page(shared, base + module, [base + c for c in css], widget_type)
        except (OSError, ValueError, KeyError, TypeError):
            return error_response(404, "The UI is not built (no plugin-shared.json)")
        return HTMLResponse(
            page,
            headers={
                "Content-Security-Policy": policy,
                "X-Frame-Options": "SAMEORIGIN",
                "Cache-Control": "no-cache",
            },
        )
