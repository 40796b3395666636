"""The status workflow and who may change which ticket field."""

from typing import Any

from deskboard.auth.models import User
from deskboard.auth.roles import STAFF, can
from deskboard.core.errors import Forbidden, Unprocessable
from deskboard.tickets.models import Ticket

# status -> statuses it may move to. Nothing moves back to "new".
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"open", "pending", "resolved", "closed"}),
    "open": frozenset({"pending", "resolved", "closed"}),
    "pending": frozenset({"open", "resolved", "closed"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset({"open"}),
}
# What a requester may do with the status of their own ticket: close it, or reopen it once
# resolved. Reopening a closed ticket is for staff.
REQUESTER_TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"closed"}),
    "open": frozenset({"closed"}),
    "pending": frozenset({"closed"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset(),
}
REQUESTER_FIELDS = frozenset({"title", "description", "status"})


def check_update(actor: User, ticket: Ticket, changes: dict[str, Any]) -> None:
    """Raise Forbidden or Unprocessable unless the actor may make these changes."""
    if not can(actor.role, "tickets:triage"):
        refused = sorted(set(changes) - REQUESTER_FIELDS)
        if refused:
            raise Forbidden(
                f"Your role ({actor.role}) may change only the title, description and "
                f"status of your own tickets, not: {', '.join(refused)}"
            )
    if "assignee_id" in changes and not can(actor.role, "tickets:assign"):
        raise Forbidden("Only agents and admins assign tickets")
    if "status" in changes:
        check_transition(actor, ticket.status, str(changes["status"]))


def check_transition(actor: User, current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise Unprocessable(
            [
                {
                    "loc": ["body", "status"],
                    "msg": f"A ticket cannot move from {current} to {target}",
                    "type": "status_transition",
                }
            ]
        )
    if not can(actor.role, "tickets:triage") and target not in REQUESTER_TRANSITIONS[current]:
        raise Forbidden(
            f"A requester may close their ticket or reopen a resolved one, "
            f"not move it from {current} to {target}"
        )


def check_assignee(assignee: User | None) -> None:
    """An assignee must be an active agent or admin."""
    if assignee is None or not assignee.is_active or assignee.role not in STAFF:
        raise Unprocessable(
            [
                {
                    "loc": ["body", "assignee_id"],
                    "msg": "The assignee must be an active agent or admin",
                    "type": "assignee",
                }
            ]
        )
