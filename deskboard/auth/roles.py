"""Roles and the one table of who may do what."""

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    agent = "agent"
    user = "user"
    guest = "guest"


ALL = frozenset(Role)
STAFF = frozenset({Role.admin, Role.agent})
MEMBERS = frozenset({Role.admin, Role.agent, Role.user})  # everyone who may write something

# action -> roles allowed. Row-level rules (own ticket, own layout) live in the services.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "users:manage": frozenset({Role.admin}),
    "users:list_staff": STAFF,  # id, name, email, role of active staff, to pick an assignee
    "profile:update": MEMBERS,  # one's own "away" flag
    "audit:read": frozenset({Role.admin}),
    "tickets:read": ALL,
    "tickets:create": MEMBERS,
    "tickets:update": MEMBERS,  # users: own tickets, limited fields (service decides)
    "tickets:delete": frozenset({Role.admin}),
    "tickets:read_all": STAFF,  # except the tickets of restricted teams they are not in
    "tickets:read_restricted": frozenset({Role.admin}),  # every ticket, whichever team
    "tickets:assign": STAFF,
    "tickets:triage": STAFF,  # status freely, priority, tags, due date, requester on create
    "tickets:internal_notes": STAFF,
    "comments:create": MEMBERS,
    # Upload files (to a visible ticket, or as a draft for a new ticket) and delete them:
    # their uploader, or staff (the attachments service decides per file).
    "attachments:create": MEMBERS,
    "attachments:delete": MEMBERS,
    "layouts:read": ALL,
    "layouts:write": MEMBERS,
    "layouts:manage_any": frozenset({Role.admin}),
    "layout_templates:write": frozenset({Role.admin}),
    "views:read": ALL,
    "views:write": MEMBERS,
    "views:share": STAFF,
    "notifications:read": ALL,
    # Marking one's own notifications read is still a write: a guest is read-only (DESIGN.md).
    "notifications:write": MEMBERS,
    "analytics:read": ALL,
    "widgets:read": ALL,
    "calendars:read": STAFF,  # business calendars (issue 13): admins keep them
    "calendars:manage": frozenset({Role.admin}),
    "sla_policies:read": STAFF,
    "sla_policies:manage": frozenset({Role.admin}),
    "teams:read": STAFF,
    "teams:manage": frozenset({Role.admin}),
    # Saved replies: which scope a person reads and writes is the replies service's rule.
    "saved_replies:use": STAFF,
    "webhooks:manage": frozenset({Role.admin}),  # outgoing webhooks and their delivery log
    "api_tokens:manage": frozenset({Role.admin}),  # tokens for integrations (issue 13)
    "automations:manage": frozenset({Role.admin}),  # rules and their run log
    "mail:manage": frozenset({Role.admin}),  # mailboxes, the mail outbox and quarantine
    "mail:thread": STAFF,  # a ticket's mail headers (addresses, Message-IDs)
    "mail:preferences": STAFF,  # one's own notifications by mail
    # Installed plugins: enable, disable, force the iframe. A plugin's own actions
    # ("<plugin>:<verb>") are added here at start-up from its declaration (deskboard/plugins).
    "plugins:manage": frozenset({Role.admin}),
}


def can(role: str, action: str) -> bool:
    """Return whether a role may perform an action; unknown actions are denied."""
    return role in PERMISSIONS.get(action, frozenset())
