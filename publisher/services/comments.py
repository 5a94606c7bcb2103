"""The review conversation: comments on a release, with `@username` mentions.

`add_comment` is the one way in (web form and API alike). Once the transaction
that stored a comment commits, `comment_added` is sent, so a listener (the
notifications) hears only about comments that really exist:

    comment_added.connect(handler)
    def handler(sender, *, comment_id, release_id, author_id, mentioned_user_ids): ...

`sender` is the committed Session; it cannot run SQL inside the signal, so a
listener opens a session of its own and loads the comment by `comment_id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from channel_adapters.notice import Notice

from .. import audit, signals
from ..models import AuditEvent, Comment, User, utcnow
from ..models_review import COMMENT_MAX_LENGTH
from .drafting import get_release
from .errors import InvalidInput, PermissionDenied
from .values import clean

# Sent after a commit that stored new comments, once per comment (see above).
comment_added = Namespace().signal("comment-added")
_ADDED_KEY = "comments_added"

# `@name` at the start or after a space or an opening bracket; a username is
# letters, digits, "_", "-" and "." (accounts.create_user), never ending in ".".
MENTION = re.compile(r"(?<![\w@.\-])@([\w.\-]{1,64})")
# Review events shown in the thread beside the comments, in time order.
THREAD_ACTIONS = ("release.submitted", "release.rejected", "release.approved")


def add_comment(
    session: Session,
    actor: User,
    release_id: int,
    text: str,
    revision: int | None = None,
) -> Comment:
    """Post a comment on a release; returns it with its `mentioned_users`.

    Drafters, editors and administrators may comment. The text is cleaned of
    characters no document can carry, must not be empty and has at most
    `COMMENT_MAX_LENGTH` characters. `revision`, when given, must exist.
    Only `@username` of an existing, active account counts as a mention.
    """
    if not actor.can_write:
        raise PermissionDenied("comment.role_cannot_comment")
    release = get_release(session, release_id)
    text = clean(text or "").strip()
    if not text:
        raise InvalidInput(fields={"text": "field.required"})
    if len(text) > COMMENT_MAX_LENGTH:
        too_long = Notice("field.too_long", {"max": COMMENT_MAX_LENGTH})
        raise InvalidInput(fields={"text": too_long})
    if revision is not None and revision not in {r.number for r in release.revisions}:
        unknown = Notice("comment.revision_unknown", {"number": revision})
        raise InvalidInput(fields={"revision": unknown})
    comment = Comment(
        release=release,
        author=actor,
        revision=revision,
        text=text,
        created_at=utcnow(),
        mentioned_users=mentioned_users(session, text),
    )
    session.add(comment)
    session.flush()
    audit.record(
        session,
        actor,
        "release.commented",
        release,
        revision=revision,
        comment_id=comment.id,
        mentions=[user.username for user in comment.mentioned_users] or None,
    )
    # Notifications join this transaction (publisher/signals.py): a comment and the
    # notices about it are stored together or not at all.
    signals.comment_added.send(
        session,
        release_id=release.id,
        comment_id=comment.id,
        actor_id=actor.id,
        text=text,
        mentioned_ids=[user.id for user in comment.mentioned_users],
    )
    _announce_after_commit(session, comment)
    return comment


def mentioned_users(session: Session, text: str) -> list[User]:
    """The active users `text` names with `@username`, each once, by username."""
    names = {match.rstrip(".") for match in MENTION.findall(text)} - {""}
    if not names:
        return []
    return list(
        session.scalars(
            select(User)
            .where(User.username.in_(names), User.active.is_(True))
            .order_by(User.username)
        )
    )


def list_comments(session: Session, release_id: int) -> list[Comment]:
    """A release's comments, oldest first."""
    get_release(session, release_id)
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.release_id == release_id)
            .order_by(Comment.created_at, Comment.id)
            .options(
                selectinload(Comment.author), selectinload(Comment.mentioned_users)
            )
        )
    )


@dataclass(frozen=True)
class ThreadEntry:
    """One item of a release's conversation: a comment, or a review step
    (submitted, rejected with its reason, approved) from the audit trail."""

    kind: str  # "comment", or the audit action ("release.rejected", …)
    at: datetime
    author: str  # display name (or the audit label of a removed account)
    username: str
    text: str  # the comment, or the reason for a rejection ("" otherwise)
    revision: int | None
    comment: Comment | None = None


def thread(session: Session, release_id: int) -> list[ThreadEntry]:
    """The conversation of a release, oldest first: its comments merged with
    its submissions, rejections (with the reason) and approvals."""
    entries = [
        ThreadEntry(
            kind="comment",
            at=c.created_at,
            author=c.author.display_name,
            username=c.author.username,
            text=c.text,
            revision=c.revision,
            comment=c,
        )
        for c in list_comments(session, release_id)
    ]
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.release_id == release_id,
            AuditEvent.action.in_(THREAD_ACTIONS),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    for ev in events:
        detail = ev.detail or {}
        entries.append(
            ThreadEntry(
                kind=ev.action,
                at=ev.at,
                author=ev.actor.display_name if ev.actor else ev.actor_label,
                username=ev.actor_label,
                text=str(detail.get("reason") or ""),
                revision=detail.get("revision"),
            )
        )
    return sorted(entries, key=lambda e: e.at)


def _announce_after_commit(session: Session, comment: Comment) -> None:
    """Queue `comment_added` for this comment until its transaction commits."""
    pending = session.info.setdefault(_ADDED_KEY, [])
    pending.append(
        {
            "comment_id": comment.id,
            "release_id": comment.release_id,
            "author_id": comment.author_id,
            "mentioned_user_ids": frozenset(u.id for u in comment.mentioned_users),
        }
    )
    if not event.contains(session, "after_commit", _send_added):
        event.listen(session, "after_commit", _send_added)
        event.listen(session, "after_rollback", _forget_added)


def _send_added(session: Session) -> None:
    for details in session.info.pop(_ADDED_KEY, []):
        comment_added.send(session, **details)


def _forget_added(session: Session) -> None:
    session.info.pop(_ADDED_KEY, None)
