"""Plugin states: which installed plugins an admin enabled, or forced into an iframe (issue 11)

Revision ID: 0017_plugins
Revises: 0010_webhooks_api_tokens
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskboard.db

revision: str = "0017_plugins"
down_revision: str | Sequence[str] | None = "0015_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = deskboard.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plugin_states",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("iframe_forced", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_plugin_states")),
    )


def downgrade() -> None:
    op.drop_table("plugin_states")
