"""Which SLA policy applies to a ticket: the first by (position, id) whose conditions match.

The conditions are the ticket filter format, so they are matched by the very SQL the ticket list
uses (tickets/querying.py filter_conditions): one statement with one EXISTS per policy, never a
second, Python reading of the filter that could drift from the list's."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskboard.auth.models import User
from deskboard.sla.models import SlaPolicy
from deskboard.tickets.filters import TicketFilter
from deskboard.tickets.models import Ticket
from deskboard.tickets.querying import filter_conditions


async def policy_for_ticket(session: AsyncSession, ticket_id: int) -> SlaPolicy | None:
    """The policy that applies to the ticket now, or None (no policy matches, or no ticket)."""
    policies = list(
        (await session.execute(select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id)))
        .scalars()
        .all()
    )
    if not policies:
        return None
    # Policy conditions refuse "me" (policy_schemas): no caller is ever consulted.
    nobody = User(id=0, role="guest")
    matches = [
        select(Ticket.id)
        .where(
            Ticket.id == ticket_id,
            *filter_conditions(TicketFilter.model_validate(policy.conditions), nobody),
        )
        .exists()
        .label(f"p{index}")
        for index, policy in enumerate(policies)
    ]
    row = (await session.execute(select(*matches))).one()
    return next((policy for policy, matched in zip(policies, row, strict=True) if matched), None)


async def policies_for_tickets(
    session: AsyncSession, ticket_ids: Sequence[int], policies: Sequence[SlaPolicy]
) -> dict[int, SlaPolicy]:
    """The policy that applies to each of these tickets (absent: none), `policies` in the order
    they are tried: one statement per policy over the tickets still unmatched, by the list's SQL."""
    nobody = User(id=0, role="guest")
    left = sorted(set(ticket_ids))
    found: dict[int, SlaPolicy] = {}
    for policy in policies:
        if not left:
            break
        stmt = select(Ticket.id).where(
            Ticket.id.in_(left),
            *filter_conditions(TicketFilter.model_validate(policy.conditions), nobody),
        )
        hits = set((await session.execute(stmt)).scalars())
        for ticket_id in hits:
            found[ticket_id] = policy
        left = [ticket_id for ticket_id in left if ticket_id not in hits]
    return found
