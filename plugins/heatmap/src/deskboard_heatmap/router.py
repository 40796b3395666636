"""/api/plugins/heatmap/...: read-only, with the reader's own ticket visibility."""

from typing import Annotated

from fastapi import APIRouter, Query

from deskboard.plugins.api import DbSession, TicketFilterParam, User, errors, require
from deskboard_heatmap import service
from deskboard_heatmap.service import CellTickets, HeatMap

router = APIRouter()
Reader = Annotated[User, require("heatmap:read")]
# 400: `filter` is not a JSON object (as in /api/analytics)
Days = Annotated[int, Query(ge=7, le=365, description="How many days back, from now")]


@router.get("/cells", response_model=HeatMap, responses=errors(400, 403))
async def cells(
    session: DbSession, user: Reader, ticket_filter: TicketFilterParam, days: Days = 28
) -> HeatMap:
    """Tickets created per weekday (Monday 0) and hour (UTC) over the last `days` days."""
    return await service.heat_map(session, viewer=user, ticket_filter=ticket_filter, days=days)


@router.get("/tickets", response_model=CellTickets, responses=errors(400, 403))
async def cell_tickets(
    session: DbSession,
    user: Reader,
    ticket_filter: TicketFilterParam,
    weekday: Annotated[int, Query(ge=0, le=6)],
    hour: Annotated[int, Query(ge=0, le=23)],
    days: Days = 28,
) -> CellTickets:
    """The newest tickets of one cell (at most 50) and how many it holds."""
    return await service.cell_tickets(
        session, viewer=user, ticket_filter=ticket_filter, days=days, weekday=weekday, hour=hour
    )
