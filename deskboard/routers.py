"""Every domain router, in one list the app factory mounts under /api."""

from fastapi import APIRouter

from deskboard.audit.router import router as audit_router
from deskboard.auth.router import auth_router, users_router

ROUTERS: list[APIRouter] = []
ROUTERS.extend([auth_router, users_router, audit_router])
