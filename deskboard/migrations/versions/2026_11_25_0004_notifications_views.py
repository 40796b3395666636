"""notifications and saved views (issue 5)

Revision ID: 0004_issue5
Revises: 0002_tickets
Create Date: 2026-11-25 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import deskboard.db

revision: str = "0004_issue5"
down_revision: str | Sequence[str] | None = "0002_tickets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
DUE_SOON = sa.text("kind = 'due_soon'")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("read_at", deskboard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_notifications_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_notifications_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(
        "ix_notifications_recipient_id", "notifications", ["recipient_id", "id"], unique=False
    )
    op.create_index(
        "ix_notifications_recipient_unread",
        "notifications",
        ["recipient_id", "read_at"],
        unique=False,
    )
    op.create_index(
        "uq_notifications_due_soon",
        "notifications",
        ["ticket_id", "kind", "recipient_id"],
        unique=True,
        sqlite_where=DUE_SOON,
        postgresql_where=DUE_SOON,
    )
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("filter", JSON_DOC, nullable=False),
        sa.Column("columns", JSON_DOC, nullable=False),
        sa.Column("sort", sa.String(length=24), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_saved_views_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
    )
    op.create_index("ix_saved_views_owner", "saved_views", ["owner_id", "id"], unique=False)
    op.create_index("ix_saved_views_shared", "saved_views", ["shared", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_saved_views_shared", table_name="saved_views")
    op.drop_index("ix_saved_views_owner", table_name="saved_views")
    op.drop_table("saved_views")
    op.drop_index("uq_notifications_due_soon", table_name="notifications")
    op.drop_index("ix_notifications_recipient_unread", table_name="notifications")
    op.drop_index("ix_notifications_recipient_id", table_name="notifications")
    op.drop_table("notifications")
