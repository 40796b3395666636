"""Health, readiness and metrics endpoints for operators (outside the OpenAPI schema)."""

import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from deskboard.config import Settings
from deskboard.core.errors import error_response
from deskboard.db import get_database

log = logging.getLogger(__name__)


def ops_router(settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            async with get_database().engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # any failure to reach the database means not ready
            # The reason goes to the log: its text can name hosts, users and paths.
            log.exception("Readiness check failed")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @router.get("/metrics")
    async def metrics(request: Request) -> Response:
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

    return router
