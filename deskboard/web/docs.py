"""Swagger UI at /api/docs from files shipped in a Python package (fastapi-offline): no CDN and
no inline script, so the page runs under the app's own CSP (e2e/journeys/security.spec.ts)."""

import json
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

from deskboard.core.errors import error_response

DOCS_URL = "/api/docs"
OPENAPI_URL = "/api/openapi.json"
_ASSETS = Path(fastapi_offline.__file__).parent / "static"
_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Deskboard API</title>
<link rel="icon" href="{DOCS_URL}/favicon.png">
<link rel="stylesheet" href="{DOCS_URL}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{DOCS_URL}/swagger-ui-bundle.js"></script>
<script src="{DOCS_URL}/init.js"></script>
</body>
</html>
"""

# The script FastAPI inlines, as a file; validatorUrl null: no call to an online validator.
_CONFIG = {
    "url": OPENAPI_URL,
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
    "validatorUrl": None,
}
_INIT = (
    "SwaggerUIBundle(Object.assign({presets: [SwaggerUIBundle.presets.apis, "
    f"SwaggerUIBundle.SwaggerUIStandalonePreset]}}, {json.dumps(_CONFIG)}));\n"
)


def docs_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_URL)
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_PAGE)

    @router.get(f"{DOCS_URL}/init.js")
    async def swagger_init() -> Response:
        return Response(_INIT, media_type="text/javascript")

    @router.get(DOCS_URL + "/{name}")
    async def swagger_asset(name: str) -> Response:
        if name not in _FILES:
            return error_response(404, "Not found")
        return FileResponse(_ASSETS / name, media_type=_FILES[name])

    return router
