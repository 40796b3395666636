"""GET /readyz: may this process take traffic (database, Redis, migrations)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from deskboard.config import Settings
from deskboard.db import get_database
from deskboard.ops.readiness import readiness

router = APIRouter(include_in_schema=False)


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    ready, body = await readiness(settings, get_database())
    return JSONResponse(body, status_code=200 if ready else 503)
