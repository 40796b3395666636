"""Whether an admin enabled each installed plugin (a plugin without a row is disabled)."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from deskboard.core.time import utcnow
from deskboard.db import Base, UTCDateTime


class PluginState(Base):
    __tablename__ = "plugin_states"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    # An admin may force a plugin into the sandboxed iframe even when it asks for in-page.
    iframe_forced: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
