"""Teams and who is in them (issue 13). Only staff are members; a team with
`restrict_visibility` hides its tickets from the agents outside it (tickets/querying.py)."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime

NAME_MAX = 80
MAX_MEMBERS = 500


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    restrict_visibility: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member_rows: Mapped[list["TeamMember"]] = relationship(
        lazy="raise", viewonly=True, order_by="TeamMember.user_id"
    )

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(row.user_id for row in self.member_rows)


# Names pick a team in a list: unique regardless of case, enforced by the database too.
Index("uq_teams_name_lower", func.lower(Team.name), unique=True)


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    # Indexed on its own: "which teams is this agent in" is asked on every saved-reply read.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
