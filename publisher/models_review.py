"""Tables of the review conversation: comments on a release and who they mention.

Kept apart from `models.py` (imported at its end), so the review feature is one
module a reader can find; the schema is owned by migration 0011.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .models import Base, Release, User, UTCDateTime, utcnow

# The longest comment anyone may post (characters, after cleaning).
COMMENT_MAX_LENGTH = 4000


class Comment(Base):
    """A remark on a release by a drafter or an editor; never edited afterwards.

    `revision` is the number of the revision the remark is about, when it is about
    one; `mentioned_users` are the existing accounts named with `@username`.
    """

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revision: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    release: Mapped[Release] = relationship()
    author: Mapped[User] = relationship()
    mentioned_users: Mapped[list[User]] = relationship(
        secondary="comment_mentions", order_by="User.username"
    )


class CommentMention(Base):
    """One user named in a comment (`@username`): whom a notification is for."""

    __tablename__ = "comment_mentions"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id"), primary_key=True, index=True
    )
