"""ticket SLA state (issue 13): the per-priority due date becomes the default SLA policy

Creates `ticket_sla` (one row per ticket an SLA policy applies to), a 24x7 calendar and four
default policies that reproduce the built-in per-priority targets (tickets/policy.py
RESPONSE_TIME: urgent 4 h, high 1 d, normal 3 d, low 7 d, for the first response and for the
resolution), and fills the SLA state of existing tickets in id batches: set-based SQL on
PostgreSQL (a million tickets in seconds), Python batches on SQLite. Clocks already past their
due or risk instant are marked as warned, so the first sweep does not flood anyone with news of
old tickets.

Revision ID: 0012_ticket_sla
Revises: 0010_webhooks_api_tokens
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import deskboard.db

revision: str = "0012_ticket_sla"
down_revision: str | Sequence[str] | None = "0011_ticket_teams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The built-in table as it stood (frozen here: later edits to tickets/policy.py must not change
# what this migration did), in minutes.
TARGETS = {"urgent": 4 * 60, "high": 24 * 60, "normal": 3 * 24 * 60, "low": 7 * 24 * 60}
AT_RISK_SHARE = 0.2
CALENDAR_NAME = "24x7 (default)"
POLICY_POSITION = 1000  # after any policy an admin places at the usual small positions
BATCH = 50_000
UTC_TIME = deskboard.db.UTCDateTime(timezone=True)

_calendars = sa.table(
    "business_calendars",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("timezone", sa.String),
    sa.column("hours", sa.JSON),
    sa.column("holidays", sa.JSON),
    sa.column("created_at", UTC_TIME),
    sa.column("updated_at", UTC_TIME),
)
_policies = sa.table(
    "sla_policies",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("position", sa.Integer),
    sa.column("conditions", sa.JSON),
    sa.column("calendar_id", sa.Integer),
    sa.column("first_response_minutes", sa.Integer),
    sa.column("resolution_minutes", sa.Integer),
    sa.column("pause_statuses", sa.JSON),
    sa.column("created_at", UTC_TIME),
    sa.column("updated_at", UTC_TIME),
)
_SLA_COLUMNS = (
    "ticket_id",
    "policy_id",
    "first_response_due_at",
    "resolution_due_at",
    "paused_minutes",
    "paused",
    "first_response_breached",
    "resolution_breached",
    "breach_at",
    "risk_at",
    "warned_at_risk",
    "warned_breached",
    "tracks_due_at",
    "computed_at",
)
_TIMES = {"first_response_due_at", "resolution_due_at", "breach_at", "risk_at", "computed_at"}
_ticket_sla = sa.table(
    "ticket_sla",
    *(
        sa.column(name, UTC_TIME if name in _TIMES else None)  # type: ignore[arg-type]
        for name in _SLA_COLUMNS
    ),
)


def upgrade() -> None:
    op.create_table(
        "ticket_sla",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("first_response_due_at", UTC_TIME, nullable=True),
        sa.Column("resolution_due_at", UTC_TIME, nullable=True),
        sa.Column("paused_minutes", sa.Float(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("first_response_breached", sa.Boolean(), nullable=False),
        sa.Column("resolution_breached", sa.Boolean(), nullable=False),
        sa.Column("breach_at", UTC_TIME, nullable=True),
        sa.Column("risk_at", UTC_TIME, nullable=True),
        sa.Column("warned_at_risk", sa.Boolean(), nullable=False),
        sa.Column("warned_breached", sa.Boolean(), nullable=False),
        sa.Column("tracks_due_at", sa.Boolean(), nullable=False),
        sa.Column("computed_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_sla_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["sla_policies.id"],
            name=op.f("fk_ticket_sla_policy_id_sla_policies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_sla")),
    )
    now = datetime.now(UTC)
    bind = op.get_bind()
    calendar_id = bind.execute(
        sa.insert(_calendars)
        .values(
            name=CALENDAR_NAME,
            timezone="UTC",
            hours={day: [["00:00", "24:00"]] for day in WEEKDAYS},
            holidays=[],
            created_at=now,
            updated_at=now,
        )
        .returning(_calendars.c.id)
    ).scalar_one()
    policy_ids: dict[str, int] = {}
    for offset, (priority, minutes) in enumerate(TARGETS.items()):
        policy_ids[priority] = bind.execute(
            sa.insert(_policies)
            .values(
                name=f"Default: {priority}",
                position=POLICY_POSITION + offset,
                conditions={"priority": [priority]},
                calendar_id=calendar_id,
                first_response_minutes=minutes,
                resolution_minutes=minutes,
                pause_statuses=[],
                created_at=now,
                updated_at=now,
            )
            .returning(_policies.c.id)
        ).scalar_one()
    if bind.dialect.name == "postgresql":
        _fill_postgresql(bind, policy_ids, now)
    else:
        _fill_in_batches(bind, policy_ids, now)
    # After the fill: building indexes once is cheaper than keeping them up row by row.
    op.create_index(
        "ix_ticket_sla_breach_pending",
        "ticket_sla",
        ["breach_at"],
        sqlite_where=sa.text("warned_breached = 0"),
        postgresql_where=sa.text("NOT warned_breached"),
    )
    op.create_index(
        "ix_ticket_sla_risk_pending",
        "ticket_sla",
        ["risk_at"],
        sqlite_where=sa.text("warned_at_risk = 0"),
        postgresql_where=sa.text("NOT warned_at_risk"),
    )
    op.create_index("ix_ticket_sla_breach_at", "ticket_sla", ["breach_at"])
    op.create_index("ix_ticket_sla_risk_at", "ticket_sla", ["risk_at"])
    op.create_index("ix_ticket_sla_policy", "ticket_sla", ["policy_id"])


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _fill_postgresql(bind: sa.Connection, policy_ids: dict[str, int], now: datetime) -> None:
    """One INSERT ... SELECT per id range: the 24x7 calendar without pauses makes each due time
    creation + target, which SQL computes directly (the same values the clock functions give)."""
    top = bind.execute(sa.text("SELECT coalesce(max(id), 0) FROM tickets")).scalar_one()
    policy_case = " ".join(f"WHEN '{p}' THEN {policy_ids[p]}" for p in TARGETS)
    minutes_case = " ".join(f"WHEN '{p}' THEN {m}" for p, m in TARGETS.items())
    statement = sa.text(
        f"""
        INSERT INTO ticket_sla ({", ".join(_SLA_COLUMNS)})
        SELECT id, policy_id, due, due, 0, false,
               coalesce(least(first_response_at, resolved_at), :now) > due,
               coalesce(resolved_at, :now) > due,
               CASE WHEN resolved_at IS NULL THEN due END,
               CASE WHEN resolved_at IS NULL THEN risk END,
               risk <= :now, due <= :now,
               due_at IS NOT NULL AND due_at = due,
               :now
        FROM (
            SELECT t.id, t.first_response_at, t.resolved_at, t.due_at,
                   CASE t.priority {policy_case} ELSE {policy_ids["normal"]} END AS policy_id,
                   t.created_at + make_interval(
                       mins => CASE t.priority {minutes_case} ELSE {TARGETS["normal"]} END
                   ) AS due,
                   t.created_at + make_interval(
                       secs => 60 * {1 - AT_RISK_SHARE}
                           * CASE t.priority {minutes_case} ELSE {TARGETS["normal"]} END
                   ) AS risk
            FROM tickets t
            WHERE t.id > :low AND t.id <= :high
        ) AS facts
        """
    )
    for low in range(0, top, BATCH):
        bind.execute(statement, {"low": low, "high": low + BATCH, "now": now})


def _fill_in_batches(bind: sa.Connection, policy_ids: dict[str, int], now: datetime) -> None:
    tickets = sa.table(
        "tickets",
        sa.column("id", sa.Integer),
        sa.column("priority", sa.String),
        sa.column("created_at", UTC_TIME),
        sa.column("first_response_at", UTC_TIME),
        sa.column("resolved_at", UTC_TIME),
        sa.column("due_at", UTC_TIME),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(tickets).where(tickets.c.id > last).order_by(tickets.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        values = []
        for ticket_id, priority, created, responded, resolved, due_at in rows:
            priority = priority if priority in TARGETS else "normal"
            target = timedelta(minutes=TARGETS[priority])
            due = created + target
            risk = created + target * (1 - AT_RISK_SHARE)
            done = min((t for t in (responded, resolved) if t is not None), default=None)
            values.append(
                {
                    "ticket_id": ticket_id,
                    "policy_id": policy_ids[priority],
                    "first_response_due_at": due,
                    "resolution_due_at": due,
                    "paused_minutes": 0.0,
                    "paused": False,
                    "first_response_breached": (done or now) > due,
                    "resolution_breached": (resolved or now) > due,
                    "breach_at": due if resolved is None else None,
                    "risk_at": risk if resolved is None else None,
                    "warned_at_risk": risk <= now,
                    "warned_breached": due <= now,
                    "tracks_due_at": due_at is not None and due_at == due,
                    "computed_at": now,
                }
            )
        bind.execute(sa.insert(_ticket_sla), values)
        last = rows[-1][0]


def downgrade() -> None:
    for name in (
        "ix_ticket_sla_policy",
        "ix_ticket_sla_risk_at",
        "ix_ticket_sla_breach_at",
        "ix_ticket_sla_risk_pending",
        "ix_ticket_sla_breach_pending",
    ):
        op.drop_index(name, table_name="ticket_sla")
    op.drop_table("ticket_sla")
    policies = sa.select(_policies.c.id).where(_policies.c.name.like("Default: %"))
    op.execute(sa.delete(_policies).where(_policies.c.id.in_(policies)))
    op.execute(sa.delete(_calendars).where(_calendars.c.name == CALENDAR_NAME))
