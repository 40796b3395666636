"""tickets.team_id: tickets belong to a team (issue 13)

Revision ID: 0011_ticket_teams
Revises: 0010_webhooks_api_tokens
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_ticket_teams"
down_revision: str | Sequence[str] | None = "0010_webhooks_api_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = "fk_tickets_team_id_teams"
INDEX = "ix_tickets_team_id"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # A plain ADD COLUMN with its reference: a batch copy of `tickets` would drop the FTS
        # triggers that keep tickets_fts in step (migration 0002).
        op.execute(
            f"ALTER TABLE tickets ADD COLUMN team_id INTEGER "
            f"CONSTRAINT {FK} REFERENCES teams (id) ON DELETE RESTRICT"
        )
    else:
        op.add_column("tickets", sa.Column("team_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "tickets", "teams", ["team_id"], ["id"], ondelete="RESTRICT")
    op.create_index(INDEX, "tickets", ["team_id"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="tickets")
    if op.get_bind().dialect.name == "sqlite":
        # DROP COLUMN in place (SQLite 3.35+; the column's own reference goes with it): a batch
        # copy of `tickets` would lose the FTS triggers.
        op.execute("ALTER TABLE tickets DROP COLUMN team_id")
    else:
        op.drop_constraint(FK, "tickets", type_="foreignkey")
        op.drop_column("tickets", "team_id")
