"""Automation rules, their run log and round-robin cursors; users.away; who made a change
(ticket_changes.automation_id) (issue 13)

Revision ID: 0013_automations
Revises: 0010_webhooks_api_tokens
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import deskboard.db

revision: str = "0013_automations"
down_revision: str | Sequence[str] | None = "0016_idempotency_event_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC = deskboard.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "automations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("when", sa.String(length=32), nullable=False),
        sa.Column("after_minutes", sa.Integer(), nullable=True),
        sa.Column("conditions", JSON_DOC, nullable=False),
        sa.Column("actions", JSON_DOC, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_automations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automations")),
    )
    op.create_index("ix_automations_when", "automations", ["when", "enabled", "position"])
    op.create_table(
        "automation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("automation_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("period_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("results", JSON_DOC, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automations.id"],
            name=op.f("fk_automation_runs_automation_id_automations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_automation_runs_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_automation_runs")),
    )
    op.create_index("ix_automation_runs_automation", "automation_runs", ["automation_id", "id"])
    op.create_index(op.f("ix_automation_runs_ticket_id"), "automation_runs", ["ticket_id"])
    op.create_index(
        "uq_automation_runs_period",
        "automation_runs",
        ["automation_id", "ticket_id", "period_at"],
        unique=True,
    )
    op.create_table(
        "automation_cursors",
        sa.Column("automation_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["automation_id"],
            ["automations.id"],
            name=op.f("fk_automation_cursors_automation_id_automations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_automation_cursors_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("automation_id", "team_id", name=op.f("pk_automation_cursors")),
    )
    # Not in batch mode: SQLite adds a column in place, where a batch copy would DROP the users
    # table that every other table references (a foreign key failure once tickets exist).
    op.add_column(
        "users", sa.Column("away", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    with op.batch_alter_table("ticket_changes") as batch:
        batch.add_column(sa.Column("automation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_ticket_changes_automation_id_automations"),
            "automations",
            ["automation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_changes") as batch:
        batch.drop_constraint(
            op.f("fk_ticket_changes_automation_id_automations"), type_="foreignkey"
        )
        batch.drop_column("automation_id")
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+), for the same reason as in upgrade().
        op.execute("ALTER TABLE users DROP COLUMN away")
    else:
        op.drop_column("users", "away")
    op.drop_table("automation_cursors")
    op.drop_index("uq_automation_runs_period", table_name="automation_runs")
    op.drop_index(op.f("ix_automation_runs_ticket_id"), table_name="automation_runs")
    op.drop_index("ix_automation_runs_automation", table_name="automation_runs")
    op.drop_table("automation_runs")
    op.drop_index("ix_automations_when", table_name="automations")
    op.drop_table("automations")
