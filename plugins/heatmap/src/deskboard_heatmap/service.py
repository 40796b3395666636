"""Tickets created per weekday x hour (UTC) over the last N days, under the reader's filter and
visibility, and the tickets of one cell (the drill-down the core filter cannot express)."""

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.plugins.api import Ticket, TicketFilter, User, apply_ticket_filter, utcnow

DRILL_LIMIT = 50


class Cell(BaseModel):
    weekday: int  # Monday 0 .. Sunday 6
    hour: int  # 0 .. 23, UTC
    count: int


class HeatMap(BaseModel):
    days: int
    tz: str
    cells: list[Cell]  # all 7 x 24, weekday-major
    max: int
    total: int


class CellTicket(BaseModel):
    id: int
    number: int | None
    title: str
    status: str
    priority: str
    created_at: datetime


class CellTickets(BaseModel):
    items: list[CellTicket]
    total: int


def _since(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


async def heat_map(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, days: int
) -> HeatMap:
    """Count by weekday and hour. The bucketing is in Python over one column: portable between
    SQLite and PostgreSQL, and days is capped so the rows stay few."""
    now = utcnow()
    stmt = apply_ticket_filter(
        select(Ticket.created_at).where(Ticket.created_at >= _since(days, now)),
        ticket_filter,
        viewer=viewer,
        now=now,
    )
    grid = [[0] * 24 for _ in range(7)]
    for (created,) in (await session.execute(stmt)).all():
        grid[created.weekday()][created.hour] += 1
    cells = [Cell(weekday=d, hour=h, count=grid[d][h]) for d in range(7) for h in range(24)]
    counts = [cell.count for cell in cells]
    return HeatMap(days=days, tz="UTC", cells=cells, max=max(counts), total=sum(counts))


async def cell_tickets(
    session: AsyncSession,
    *,
    viewer: User,
    ticket_filter: TicketFilter,
    days: int,
    weekday: int,
    hour: int,
) -> CellTickets:
    """The newest tickets of one cell, and how many it holds."""
    now = utcnow()
    stmt = apply_ticket_filter(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.title,
            Ticket.status,
            Ticket.priority,
            Ticket.created_at,
        )
        .where(Ticket.created_at >= _since(days, now))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc()),
        ticket_filter,
        viewer=viewer,
        now=now,
    )
    matching = [
        CellTicket(
            id=row.id,
            number=row.number,
            title=row.title,
            status=row.status,
            priority=row.priority,
            created_at=row.created_at,
        )
        for row in (await session.execute(stmt)).all()
        if row.created_at.weekday() == weekday and row.created_at.hour == hour
    ]
    return CellTickets(items=matching[:DRILL_LIMIT], total=len(matching))
