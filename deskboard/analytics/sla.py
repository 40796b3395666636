"""% within SLA: the tickets under a policy counted by SLA state, by the list's own SQL
(tickets/querying.py sla_condition), so each count equals the list its filter opens."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.analytics.schemas import SlaCompliance, SlaFigure
from deskboard.analytics.segments import document, scoped
from deskboard.auth.models import User
from deskboard.tickets.filters import SlaFilterState, TicketFilter
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import sla_condition


def _drill(ticket_filter: TicketFilter, state: SlaFilterState) -> TicketFilter | None:
    """The list filter of the tickets in `state` among the selected ones (None when the two
    SLA conditions together cannot be written as one filter)."""
    if ticket_filter.sla and ticket_filter.sla != [state]:
        return None
    return ticket_filter.merged(TicketFilter(sla=[state]))


async def _count(
    session: AsyncSession,
    ticket_filter: TicketFilter,
    viewer: User,
    now: datetime,
    state: SlaFilterState,
) -> SlaFigure:
    stmt = scoped(select(func.count()).select_from(Ticket), ticket_filter, viewer, now)
    stmt = stmt.where(sla_condition({state.value}, now))
    count = int((await session.execute(stmt)).scalar_one())
    return SlaFigure(count=count, filter=document(_drill(ticket_filter, state)))


async def sla_compliance(
    session: AsyncSession, *, viewer: User, ticket_filter: TicketFilter, now: datetime
) -> SlaCompliance:
    within = await _count(session, ticket_filter, viewer, now, SlaFilterState.within)
    at_risk = await _count(session, ticket_filter, viewer, now, SlaFilterState.at_risk)
    breached = await _count(session, ticket_filter, viewer, now, SlaFilterState.breached)
    total = within.count + breached.count
    return SlaCompliance(
        total=total,
        within_pct=None if total == 0 else round(100 * within.count / total, 1),
        within=within,
        at_risk=at_risk,
        breached=breached,
    )
