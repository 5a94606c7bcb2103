"""Notifications: who is told what, read in the app, preferences.

The audit trail is the source of events: every state change a user should hear of
(a release submitted, approved or rejected; a delivery failed, unknown or missed)
is already an audit event, recorded in the transaction that made the change. Just
before that transaction commits, `install`'s hook turns the new events into
notification rows in the same transaction, so a change and the notices about it
are stored together or not at all, and no service needs to know about them.
Comments arrive through the `comment_added` signal (publisher/signals.py).

E-mail is sent later by the dispatcher (publisher/services/notification_mail.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from channel_adapters.notice import Notice

from ..models import (
    AuditEvent,
    Delivery,
    Notification,
    NotificationPreference,
    Release,
    Role,
    User,
    utcnow,
)
from ..signals import comment_added
from .errors import InvalidInput, NotFound

# Every kind, in the order the preferences page lists them.
KINDS = (
    "review_waiting",
    "approved",
    "rejected",
    "commented",
    "mentioned",
    "delivery_failed",
    "delivery_unknown",
    "delivery_missed",
)
# The audit action that tells each kind, and who hears of it.
EDITORS, WRITERS = "editors", "writers"
FROM_AUDIT: dict[str, tuple[str, str]] = {
    "release.submitted": ("review_waiting", EDITORS),
    "release.approved": ("approved", WRITERS),
    "release.rejected": ("rejected", WRITERS),
    "delivery.failed": ("delivery_failed", EDITORS),
    "delivery.unknown": ("delivery_unknown", EDITORS),
    "delivery.missed": ("delivery_missed", EDITORS),
}
log = logging.getLogger(__name__)
_SEEN = "notify_audit_events"
EXCERPT = 200
ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


# --- turning events into notifications ------------------------------------------


def install(sessions: sessionmaker) -> None:
    """Notify about the audit events of every transaction of `sessions`."""
    event.listen(sessions, "after_flush", _collect)
    event.listen(sessions, "before_commit", _notify_collected)
    event.listen(sessions, "after_rollback", _forget)


def _collect(session: Session, _context: Any) -> None:
    """Remember this flush's new audit events that someone should hear of."""
    for obj in session.new:
        if isinstance(obj, AuditEvent) and obj.action in FROM_AUDIT:
            session.info.setdefault(_SEEN, []).append(obj)


def _forget(session: Session) -> None:
    session.info.pop(_SEEN, None)


def _notify_collected(session: Session) -> None:
    """Add the notifications of this transaction's events before it commits."""
    session.flush()  # events still pending reach `_collect` first
    seen = session.info.pop(_SEEN, None)
    for audit_event in seen or ():
        notify_audit_event(session, audit_event)


def notify_audit_event(session: Session, audit_event: AuditEvent) -> list[Notification]:
    """The notifications one audit event makes (none for events nobody hears of)."""
    kind, audience = FROM_AUDIT[audit_event.action]
    release = session.get(Release, audit_event.release_id)
    if release is None:
        return []
    actor = session.get(User, audit_event.actor_id) if audit_event.actor_id else None
    params: dict[str, Any] = {
        "title": release.current.title,
        "actor": actor.display_name if actor else "",
    }
    detail = audit_event.detail or {}
    if kind == "review_waiting":
        params["revision"] = detail.get("revision", release.current.number)
    elif kind == "approved":
        params["number"] = release.number or "—"
    elif kind == "rejected":
        params["reason"] = detail.get("reason") or release.rejection_reason or ""
    else:
        delivery = session.get(Delivery, audit_event.delivery_id)
        params["channel"] = delivery.channel if delivery else detail.get("channel", "")
        error = Notice.from_stored(detail["error"]) if detail.get("error") else None
        params["reason"] = _reason(error)
    users = editors(session) if audience == EDITORS else writers(release)
    notice = Notice(f"notify.{kind}", params)
    return notify(session, users, kind, notice, release, actor)


def _reason(error: Notice | None) -> str:
    """A delivery's error in few words for the notice (the page has the rest)."""
    if error is None:
        return ""
    if error.params and error.params.get("remote"):
        return str(error.params["remote"])[:EXCERPT]
    return error.code


def notify_comment(
    session: Session,
    release_id: int,
    actor_id: int,
    text: str,
    mentioned_ids: Iterable[int] = (),
) -> list[Notification]:
    """A comment: mentioned users hear "mentioned", the release's writers
    "commented" (each once; never the commenter)."""
    release = session.get(Release, release_id)
    actor = session.get(User, actor_id)
    if release is None or actor is None:
        return []
    excerpt = " ".join((text or "").split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[: EXCERPT - 1] + "…"
    params = {"title": release.current.title, "actor": actor.display_name}
    mentioned = [
        u for u in (session.get(User, i) for i in dict.fromkeys(mentioned_ids)) if u
    ]
    made = notify(
        session,
        mentioned,
        "mentioned",
        Notice("notify.mentioned", {**params, "excerpt": excerpt}),
        release,
        actor,
    )
    told = {u.id for u in mentioned}
    others = [u for u in writers(release) if u.id not in told]
    made += notify(
        session,
        others,
        "commented",
        Notice("notify.commented", {**params, "excerpt": excerpt}),
        release,
        actor,
    )
    return made


@comment_added.connect
def _on_comment_added(session: Session, **comment: Any) -> None:
    """The comments service added a comment in `session`: tell who should know.

    Expects `release_id`, `actor_id`, `text` and `mentioned_ids`; a signal without
    the first two is logged and ignored rather than breaking the comment's commit.
    """
    release_id, actor_id = comment.get("release_id"), comment.get("actor_id")
    if not isinstance(release_id, int) or not isinstance(actor_id, int):
        log.error("comment_added without release_id and actor_id: %s", comment)
        return
    mentioned = comment.get("mentioned_ids") or ()
    notify_comment(session, release_id, actor_id, comment.get("text", ""), mentioned)


def editors(session: Session) -> list[User]:
    """Active users who review and decide: editors and administrators."""
    users = session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.id)
    ).all()
    return [u for u in users if u.can(Role.EDITOR)]


def writers(release: Release) -> list[User]:
    """The release's author and everyone who wrote part of its current revision."""
    people = {release.author.id: release.author}
    revision = release.current
    people.setdefault(revision.created_by.id, revision.created_by)
    for user in sorted(revision.contributors, key=lambda u: u.id):
        people.setdefault(user.id, user)
    return [u for u in people.values() if u.active]


def notify(
    session: Session,
    users: Iterable[User],
    kind: str,
    notice: Notice,
    release: Release | None,
    actor: User | None,
) -> list[Notification]:
    """One notification per user who wants `kind` somewhere (never the actor)."""
    made = []
    now = utcnow()
    for user in users:
        if actor is not None and user.id == actor.id:
            continue
        prefs = preferences(session, user)
        if not (prefs.in_app(kind) or prefs.by_email(kind)):
            continue
        row = Notification(
            user_id=user.id,
            kind=kind,
            release_id=release.id if release else None,
            notice=notice.as_dict(),
            created_at=now,
            in_app=prefs.in_app(kind),
            email_wanted=prefs.by_email(kind),
            email_attempts=0,
        )
        session.add(row)
        made.append(row)
    return made


# --- preferences ----------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """A user's notification choices (defaults where they chose nothing)."""

    email: str
    language: str
    email_kinds: tuple[str, ...]
    app_kinds: tuple[str, ...]
    daily_digest: bool

    def in_app(self, kind: str) -> bool:
        """Whether `kind` shows under the bell."""
        return kind in self.app_kinds

    def by_email(self, kind: str) -> bool:
        """Whether `kind` is mailed (needs an address)."""
        return bool(self.email) and kind in self.email_kinds

    def as_dict(self) -> dict[str, Any]:
        """The API form."""
        return {
            "email": self.email,
            "language": self.language,
            "email_kinds": list(self.email_kinds),
            "app_kinds": list(self.app_kinds),
            "daily_digest": self.daily_digest,
        }


def preferences(session: Session, user: User) -> Preferences:
    """`user`'s choices; without a stored row, every kind both ways."""
    row = session.get(NotificationPreference, user.id)
    if row is None:
        return Preferences("", "", KINDS, KINDS, False)
    return Preferences(
        row.email,
        row.language,
        tuple(k for k in KINDS if k in row.email_kinds),
        tuple(k for k in KINDS if k in row.app_kinds),
        row.daily_digest,
    )


def save_preferences(session: Session, user: User, data: dict[str, Any]) -> Preferences:
    """Store `user`'s choices; InvalidInput names the field that is wrong."""
    errors: dict[str, Notice | str] = {}
    email = str(data.get("email") or "").strip()
    if email and (len(email) > 254 or not ADDRESS.match(email)):
        errors["email"] = "field.not_email"
    language = str(data.get("language") or "")
    if language not in ("", "id", "en"):
        errors["language"] = Notice("field.choice", {"expected": "id, en"})
    chosen: dict[str, list[str]] = {}
    for field in ("email_kinds", "app_kinds"):
        value = data.get(field, [])
        if not isinstance(value, list) or any(k not in KINDS for k in value):
            errors[field] = Notice("field.choice", {"expected": ", ".join(KINDS)})
        else:
            chosen[field] = [k for k in KINDS if k in value]
    digest = data.get("daily_digest", False)
    if not isinstance(digest, bool):
        errors["daily_digest"] = "field.not_boolean"
    if errors:
        raise InvalidInput(fields=errors)
    row = session.get(NotificationPreference, user.id)
    if row is None:
        row = NotificationPreference(user_id=user.id)
        session.add(row)
    row.email, row.language = email, language
    row.email_kinds, row.app_kinds = chosen["email_kinds"], chosen["app_kinds"]
    row.daily_digest = digest
    row.updated_at = utcnow()
    return preferences(session, user)


# --- reading in the app ---------------------------------------------------------


def unread_count(session: Session, user: User) -> int:
    """How many notifications under `user`'s bell are unread."""
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id,
            Notification.in_app.is_(True),
            Notification.read_at.is_(None),
        )
    )


def listing(
    session: Session, user: User, *, limit: int = 50, before: int | None = None
) -> list[Notification]:
    """`user`'s notifications in the app, newest first; `before` an id to page on."""
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.in_app.is_(True)
    )
    if before is not None:
        query = query.where(Notification.id < before)
    return list(session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (another user's is not found)."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound("notify.not_found", id=notification_id)
    if row.read_at is None:
        row.read_at = utcnow()
    return row


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of `user` read; how many were."""
    return session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def as_dict(row: Notification, message: str) -> dict[str, Any]:
    """The API form of a notification, with its sentence in the reader's language."""
    return {
        "id": row.id,
        "kind": row.kind,
        "release_id": row.release_id,
        "code": row.notice.get("code"),
        "params": row.notice.get("params", {}),
        "message": message,
        "created_at": _iso(row.created_at),
        "read_at": _iso(row.read_at),
        "emailed_at": _iso(row.emailed_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
