"""Review: submit, approve (freezing every rendition), reject, withdraw."""

from __future__ import annotations

from jinja2 import TemplateError
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit, rendering, system
from ..config import Config
from ..models import Release, ReleaseStatus, Role, User, utcnow
from . import media, numbering
from .drafting import cancel_pending, get_release
from .errors import Conflict, InvalidInput, PermissionDenied
from .values import clean


def submit(session: Session, actor: User, release_id: int) -> Release:
    """Send a draft (or a rejected release) to the editors' review queue."""
    if not actor.can_write:
        raise PermissionDenied("release.role_cannot_write")
    release = get_release(session, release_id)
    if not release.is_submittable:
        raise Conflict("release.not_submittable", status=release.status)
    revision = release.current
    missing = {
        field: "field.required_for_review"
        for field in ("title", "lead", "body")
        if not getattr(revision, field).strip()
    }
    if missing:
        raise InvalidInput("release.incomplete", fields=missing)
    media.require_alt_text(revision)
    now = utcnow()
    revision.submitted_at = now
    release.status = ReleaseStatus.IN_REVIEW
    release.rejection_reason = None
    release.updated_at = now
    audit.record(session, actor, "release.submitted", release, revision=revision.number)
    return release


def approve(
    session: Session,
    config: Config,
    actor: User,
    release_id: int,
    revision: int | None = None,
) -> Release:
    """Approve the revision under review and freeze what each channel will receive.

    `revision`, when given, must be the one under review: an editor never approves
    text they have not seen.
    """
    release = _reviewable(session, actor, release_id)
    current = release.current
    if revision is not None and revision != current.number:
        raise Conflict("release.stale_revision", old=revision, new=current.number)
    if current.contributed(actor):
        raise PermissionDenied("release.own_words")
    # Approval makes every enabled channel's files; say what this machine lacks
    # (Pango, fonts) before a render fails deep inside WeasyPrint.
    blocked = system.blocking(config.enabled_channels)
    if blocked is not None:
        raise Conflict(blocked)
    now = utcnow()
    release.status = ReleaseStatus.APPROVED
    release.approved_revision = current.number
    release.approved_by_id = actor.id
    release.approved_at = now
    release.updated_at = now
    if release.number is None:
        release.number = numbering.next_number(session, config, now)
    try:
        frozen = rendering.freeze(config, release, current)
    except TemplateError as exc:
        raise Conflict("release.render_failed", error=str(exc)) from None
    audit.record(
        session,
        actor,
        "release.approved",
        release,
        revision=current.number,
        renditions={r.channel: r.content_hash[:12] for r in frozen},
    )
    return release


def reject(session: Session, actor: User, release_id: int, reason: str) -> Release:
    """Send a release back to its drafter with a reason they can act on."""
    reason = clean(reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": "field.required"})
    release = _reviewable(session, actor, release_id)
    release.status = ReleaseStatus.REJECTED
    release.rejection_reason = reason
    release.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "release.rejected",
        release,
        revision=release.current.number,
        reason=reason,
    )
    return release


def withdraw(session: Session, actor: User, release_id: int, reason: str) -> Release:
    """Take an approved release back: feeds drop it, nothing more is sent."""
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("release.role_cannot_withdraw")
    reason = clean(reason or "").strip()
    if not reason:
        raise InvalidInput(fields={"reason": "field.required"})
    release = get_release(session, release_id)
    if not release.is_approved:
        raise Conflict("release.not_withdrawable", status=release.status)
    release.status = ReleaseStatus.WITHDRAWN
    release.updated_at = utcnow()
    cancelled = cancel_pending(
        session, release, actor, Notice("delivery.cancelled_by_withdrawal")
    )
    audit.record(
        session,
        actor,
        "release.withdrawn",
        release,
        reason=reason,
        cancelled_deliveries=cancelled,
    )
    return release


def _reviewable(session: Session, actor: User, release_id: int) -> Release:
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("release.role_cannot_review")
    release = get_release(session, release_id)
    if not release.in_review:
        raise Conflict("release.not_in_review", status=release.status)
    return release
