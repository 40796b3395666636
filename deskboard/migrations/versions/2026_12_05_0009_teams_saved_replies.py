"""teams and saved replies (issue 13): teams of staff, personal/team/global reply templates

Revision ID: 0009_teams_saved_replies
Revises: 0008_sla_policies
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskboard.db

revision: str = "0009_teams_saved_replies"
down_revision: str | Sequence[str] | None = "0008_sla_policies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("restrict_visibility", sa.Boolean(), nullable=False),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
    )
    # Unique regardless of case, in the database as well as in the service.
    op.create_index("uq_teams_name_lower", "teams", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_members_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_team_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_members")),
    )
    op.create_index(op.f("ix_team_members_user_id"), "team_members", ["user_id"], unique=False)
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("last_used_at", deskboard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", deskboard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_saved_replies_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_saved_replies_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
    )
    op.create_index(
        "ix_saved_replies_scope_owner", "saved_replies", ["scope", "owner_id"], unique=False
    )
    op.create_index(op.f("ix_saved_replies_team_id"), "saved_replies", ["team_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_replies_team_id"), table_name="saved_replies")
    op.drop_index("ix_saved_replies_scope_owner", table_name="saved_replies")
    op.drop_table("saved_replies")
    op.drop_index(op.f("ix_team_members_user_id"), table_name="team_members")
    op.drop_table("team_members")
    op.drop_index("uq_teams_name_lower", table_name="teams")
    op.drop_table("teams")
