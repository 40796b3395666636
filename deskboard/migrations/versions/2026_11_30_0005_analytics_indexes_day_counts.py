"""indexes for analytics at a million tickets, and the ticket_day_counts summary

Revision ID: 0005_analytics
Revises: 0004_issue5
Create Date: 2026-11-30 18:00:00

Indexes (both databases), each so one analytics query reads an index range instead of the
table: resolved_at (resolved per day, open at an instant, resolution median), created_at with
first_response_at (first response median), status with assignee_id (workload) and with due_at
(overdue), and the newest-first orders of history rows and comments (activity).

PostgreSQL also gets `ticket_day_counts` kept exact by statement-level triggers on `tickets`
(transition tables: one grouped upsert per statement, rows locked in key order so concurrent
writers cannot deadlock; a COPY of a million rows costs one upsert per batch). SQLite gets the
table only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_analytics"
down_revision: str | Sequence[str] | None = "0004_issue5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TICKET_INDEXES = {
    "ix_tickets_resolved": ["resolved_at", "created_at", "due_at"],
    "ix_tickets_created_first_response": ["created_at", "first_response_at"],
    "ix_tickets_status_assignee": ["status", "assignee_id"],
    "ix_tickets_status_due": ["status", "due_at"],
}

DAY = "(created_at AT TIME ZONE 'UTC')::date"

# One function per event: a trigger with transition tables serves a single event.
_UPSERT = """
    INSERT INTO ticket_day_counts AS c (day, status, priority, tickets)
    SELECT day, status, priority, sum(delta) FROM ({rows}) AS d
    GROUP BY day, status, priority
    HAVING sum(delta) <> 0
    ORDER BY day, status, priority
    ON CONFLICT (day, status, priority) DO UPDATE SET tickets = c.tickets + EXCLUDED.tickets
"""
_NEW = f"SELECT {DAY} AS day, status, priority, 1 AS delta FROM new_rows"
_OLD = f"SELECT {DAY} AS day, status, priority, -1 AS delta FROM old_rows"
FUNCTIONS = {
    "ticket_day_counts_inserted": _UPSERT.format(rows=_NEW),
    "ticket_day_counts_updated": _UPSERT.format(rows=f"{_NEW} UNION ALL {_OLD}"),
    "ticket_day_counts_deleted": _UPSERT.format(rows=_OLD),
    "ticket_day_counts_truncated": "DELETE FROM ticket_day_counts",
}
TRIGGERS = {
    "tickets_day_counts_insert": (
        "AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT",
        "ticket_day_counts_inserted",
    ),
    "tickets_day_counts_update": (
        "AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT",
        "ticket_day_counts_updated",
    ),
    "tickets_day_counts_delete": (
        "AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT",
        "ticket_day_counts_deleted",
    ),
    "tickets_day_counts_truncate": (
        "AFTER TRUNCATE ON tickets FOR EACH STATEMENT",
        "ticket_day_counts_truncated",
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name, columns in TICKET_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("ticket_changes", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_changes_at", ["at", "id"], unique=False)
    with op.batch_alter_table("ticket_comments", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_comments_created", ["created_at", "id"], unique=False)

    op.create_table(
        "ticket_day_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "status", "priority", name=op.f("pk_ticket_day_counts")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for name, body in FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$"
            )
        for name, (when, function) in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()")
        # Existing tickets, counted once (the triggers keep it from here on).
        op.execute(
            f"INSERT INTO ticket_day_counts (day, status, priority, tickets) "
            f"SELECT {DAY}, status, priority, count(*) FROM tickets GROUP BY 1, 2, 3"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON tickets")
        for name in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("ticket_day_counts")
    with op.batch_alter_table("ticket_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_comments_created")
    with op.batch_alter_table("ticket_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_changes_at")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        for name in reversed(TICKET_INDEXES):
            batch_op.drop_index(name)
