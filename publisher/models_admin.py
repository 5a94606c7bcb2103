"""What administrators change in the UI on top of config.yaml.

config.yaml stays the source of defaults: a channel's `enabled` and the spoken-form
`glossary` come from it, and a row here overrides (or, for the glossary, extends)
them until an administrator removes it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, UTCDateTime, utcnow


class ChannelSwitch(Base):
    """A channel switched on or off in the UI, overriding config.yaml's `enabled`."""

    __tablename__ = "channel_switches"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column()
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class GlossaryEntry(Base):
    """How a term is spoken on radio and TV; overrides config.yaml's `glossary`."""

    __tablename__ = "glossary_entries"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    spoken: Mapped[str] = mapped_column(String(300))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
