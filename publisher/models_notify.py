"""Notification tables: what each user is told, and how they want to be told.

A notification is a stored notice (code and parameters), rendered in the reader's
language when it is shown or mailed, so a new translation changes old ones too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .models import Base, Release, User, UTCDateTime, utcnow


class Notification(Base):
    """One event told to one user: in the app (bell) and/or by e-mail."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_email_due", "email_wanted", "emailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    release_id: Mapped[int | None] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE")
    )
    notice: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the user wants it: the bell, e-mail (alone or in the daily digest).
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    email_wanted: Mapped[bool] = mapped_column(Boolean, default=False)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()
    release: Mapped[Release | None] = relationship()


class NotificationPreference(Base):
    """A user's choices: which kinds by e-mail and in the app, the digest, the
    address and language mail goes out in. No row: every kind, both ways."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(2), default="")
    email_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    app_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    # The office-local date of the last digest: one per user per day.
    digest_sent_on: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
