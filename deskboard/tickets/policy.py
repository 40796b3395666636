"""Service-level policy: how long a ticket of each priority may take, and when it is due soon."""

from datetime import datetime, timedelta

# A ticket created without a due date is due this long after it was filed.
RESPONSE_TIME: dict[str, timedelta] = {
    "urgent": timedelta(hours=4),
    "high": timedelta(days=1),
    "normal": timedelta(days=3),
    "low": timedelta(days=7),
}
# An open ticket due within this window is "due soon": its assignee is told once.
DUE_SOON_WINDOW = timedelta(hours=1)


def default_due_at(priority: str, created_at: datetime) -> datetime:
    """The due date the policy gives a ticket of this priority filed at `created_at`."""
    return created_at + RESPONSE_TIME.get(priority, RESPONSE_TIME["normal"])
