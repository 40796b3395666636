"""Operators' endpoints, outside the OpenAPI schema: /healthz, /readyz and /metrics."""

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from deskboard.config import Settings
from deskboard.core.errors import error_response
from deskboard.db import get_database
from deskboard.ops.readiness import readiness

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """May this process take traffic (database, Redis, migrations)."""
    settings: Settings = request.app.state.settings
    ready, body = await readiness(settings, get_database())
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus metrics: closed by default in production, optionally behind a bearer token."""
    settings: Settings = request.app.state.settings
    if not settings.metrics_exposed:
        return error_response(404, "Not found")
    if settings.metrics_token:
        sent = request.headers.get("authorization", "")
        expected = f"Bearer {settings.metrics_token}"
        if not secrets.compare_digest(sent.encode(), expected.encode()):
            return error_response(
                401, "Not authenticated", {"WWW-Authenticate": 'Bearer realm="metrics"'}
            )
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
