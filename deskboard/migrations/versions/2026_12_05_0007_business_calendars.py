"""business calendars (issue 13): time zone, working intervals per weekday, holidays

Revision ID: 0007_business_calendars
Revises: 0006_session_revocation
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import deskboard.db

revision: str = "0007_business_calendars"
down_revision: str | Sequence[str] | None = "0006_session_revocation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("hours", JSON_DOC, nullable=False),
        sa.Column("holidays", JSON_DOC, nullable=False),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_business_calendars_name")),
    )


def downgrade() -> None:
    op.drop_table("business_calendars")
