"""Every domain router, in one list the app factory mounts under /api."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
