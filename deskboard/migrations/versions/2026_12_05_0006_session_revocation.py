"""session revocation: per-user token version, family start, internal notifications

Revision ID: 0006_session_revocation
Revises: 0005_analytics
Create Date: 2026-12-05 10:00:00

- users.token_version: carried by every access token; bumping it ends them all at once.
- refresh_tokens.family_started_at: when the session (family) began, for its absolute lifetime;
  existing rows take the start of their family (its oldest created_at).
- notifications.internal: the notification is about an internal note (hidden from people who
  may no longer read notes).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import deskboard.db

revision: str = "0006_session_revocation"
down_revision: str | Sequence[str] | None = "0005_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("family_started_at", deskboard.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE refresh_tokens SET family_started_at = (SELECT min(f.created_at) "
        "FROM refresh_tokens AS f WHERE f.family_id = refresh_tokens.family_id)"
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.alter_column(
            "family_started_at",
            existing_type=deskboard.db.UTCDateTime(timezone=True),
            nullable=False,
        )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("internal")
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.drop_column("family_started_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("token_version")
