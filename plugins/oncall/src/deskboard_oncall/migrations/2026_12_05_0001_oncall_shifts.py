"""On-call shifts

Revision ID: oncall_0001
Revises:
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskboard.db

revision: str = "oncall_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = deskboard.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "oncall_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_oncall_shifts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oncall_shifts")),
    )
    op.create_index("ix_oncall_shifts_ends_at", "oncall_shifts", ["ends_at"])


def downgrade() -> None:
    op.drop_index("ix_oncall_shifts_ends_at", table_name="oncall_shifts")
    op.drop_table("oncall_shifts")
