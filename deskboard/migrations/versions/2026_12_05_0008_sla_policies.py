"""SLA policies (issue 13): ordered, matched by a ticket filter, targets in business minutes

Revision ID: 0008_sla_policies
Revises: 0007_business_calendars
Create Date: 2026-12-05 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import deskboard.db

revision: str = "0008_sla_policies"
down_revision: str | Sequence[str] | None = "0007_business_calendars"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("conditions", JSON_DOC, nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("pause_statuses", JSON_DOC, nullable=False),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_sla_policies_calendar_id_business_calendars"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint("name", name=op.f("uq_sla_policies_name")),
    )
    op.create_index("ix_sla_policies_position", "sla_policies", ["position", "id"], unique=False)
    op.create_index(
        op.f("ix_sla_policies_calendar_id"), "sla_policies", ["calendar_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sla_policies_calendar_id"), table_name="sla_policies")
    op.drop_index("ix_sla_policies_position", table_name="sla_policies")
    op.drop_table("sla_policies")
