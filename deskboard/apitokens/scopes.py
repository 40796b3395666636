"""What an API token's scopes let it do, and how a request's principal carries them."""

from enum import StrEnum

from deskboard.auth.models import User

TOKEN_PREFIX = "dbk_"


class TokenScope(StrEnum):
    tickets_read = "tickets:read"
    tickets_write = "tickets:write"


# scope -> the `require(...)` actions it opens. The token's account is an agent, so the
# services' row rules (sees every ticket, may set the requester) are an agent's; everything
# else (layouts, users, views, analytics, admin screens) stays closed to a token.
SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    TokenScope.tickets_read: frozenset({"tickets:read"}),
    TokenScope.tickets_write: frozenset(
        {
            "tickets:create",
            "tickets:update",
            "comments:create",
            "attachments:create",
            "attachments:delete",
        }
    ),
}
_ATTR = "_deskboard_api_scopes"


def mark_api_principal(user: User, scopes: list[str]) -> None:
    """Note on this request's User object that it acts for an API token with these scopes."""
    setattr(user, _ATTR, frozenset(scopes))


def api_scopes(user: User) -> frozenset[str] | None:
    """The scopes of the API token behind this user, or None for a signed-in person."""
    scopes: frozenset[str] | None = getattr(user, _ATTR, None)
    return scopes


def scopes_allow(scopes: frozenset[str], action: str) -> bool:
    return any(action in SCOPE_ACTIONS.get(scope, frozenset()) for scope in scopes)
