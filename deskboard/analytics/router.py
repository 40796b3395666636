"""Analytics endpoints: one per dashboard card, each taking the shared `filter=`."""

from typing import Annotated

from fastapi import APIRouter, Query

from deskboard.analytics import service
from deskboard.analytics.deps import Bands, Days, FilterParam
from deskboard.analytics.schemas import (
    Activity,
    Ageing,
    Backlog,
    Breakdown,
    CreatedResolved,
    Kpis,
    SlaCompliance,
    Workload,
)
from deskboard.auth.deps import require
from deskboard.auth.models import User
from deskboard.core.openapi import errors
from deskboard.db import DbSession

router = APIRouter(prefix="/analytics", tags=["analytics"])

Reader = Annotated[User, require("analytics:read")]
_ERRORS = errors(400, 403)  # 400: `filter` is not a JSON object


@router.get("/by-status", response_model=Breakdown, responses=_ERRORS)
async def by_status(session: DbSession, user: Reader, ticket_filter: FilterParam) -> Breakdown:
    return await service.by_status(session, viewer=user, ticket_filter=ticket_filter)


@router.get("/by-priority", response_model=Breakdown, responses=_ERRORS)
async def by_priority(session: DbSession, user: Reader, ticket_filter: FilterParam) -> Breakdown:
    return await service.by_priority(session, viewer=user, ticket_filter=ticket_filter)


@router.get("/created-vs-resolved", response_model=CreatedResolved, responses=_ERRORS)
async def created_vs_resolved(
    session: DbSession, user: Reader, ticket_filter: FilterParam, days: Days = 30
) -> CreatedResolved:
    return await service.created_vs_resolved(
        session, viewer=user, ticket_filter=ticket_filter, days=days
    )


@router.get("/backlog", response_model=Backlog, responses=_ERRORS)
async def backlog(
    session: DbSession, user: Reader, ticket_filter: FilterParam, days: Days = 30
) -> Backlog:
    return await service.backlog(session, viewer=user, ticket_filter=ticket_filter, days=days)


@router.get("/kpis", response_model=Kpis, responses=_ERRORS)
async def kpis(
    session: DbSession, user: Reader, ticket_filter: FilterParam, days: Days = 30
) -> Kpis:
    return await service.kpi_summary(session, viewer=user, ticket_filter=ticket_filter, days=days)


@router.get("/sla", response_model=SlaCompliance, responses=_ERRORS)
async def sla(session: DbSession, user: Reader, ticket_filter: FilterParam) -> SlaCompliance:
    """% within SLA: tickets under a policy by SLA state, each with the list filter it counts."""
    return await service.sla(session, viewer=user, ticket_filter=ticket_filter)


@router.get("/workload", response_model=Workload, responses=_ERRORS)
async def workload(session: DbSession, user: Reader, ticket_filter: FilterParam) -> Workload:
    return await service.workload(session, viewer=user, ticket_filter=ticket_filter)


@router.get("/ageing", response_model=Ageing, responses=_ERRORS)
async def ageing(
    session: DbSession, user: Reader, ticket_filter: FilterParam, bands: Bands
) -> Ageing:
    return await service.ageing(session, viewer=user, ticket_filter=ticket_filter, bands=bands)


@router.get("/activity", response_model=Activity, responses=_ERRORS)
async def activity(
    session: DbSession,
    user: Reader,
    ticket_filter: FilterParam,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Activity:
    return await service.activity(session, viewer=user, ticket_filter=ticket_filter, limit=limit)
