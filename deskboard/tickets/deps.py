"""Ticket dependencies: the ticket of the path, provided the caller may see it."""

from typing import Annotated

from fastapi import Depends, Header, Path
from pydantic.json_schema import SkipJsonSchema

from deskboard.auth.deps import Principal
from deskboard.db import DbSession
from deskboard.tickets.filters import MAX_ID
from deskboard.tickets.models import Ticket
from deskboard.tickets.service import get_visible_ticket

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket id")]


async def valid_ticket(ticket_id: TicketId, session: DbSession, user: Principal) -> Ticket:
    # Principal: every route with a ticket in its path also requires a tickets action.
    return await get_visible_ticket(session, ticket_id=ticket_id, viewer=user)


# The ticket named in the path; 404 when it does not exist or the caller may not see it.
ValidTicket = Annotated[Ticket, Depends(valid_ticket)]


def client_id(
    # Optional, never null: the document says `string` (a header cannot carry a JSON null).
    x_client_id: Annotated[str | SkipJsonSchema[None], Header(max_length=100)] = None,
) -> str | None:
    """The calling browser session's id, so realtime skips echoing an event back to it."""
    return x_client_id


ClientId = Annotated[str | None, Depends(client_id)]
