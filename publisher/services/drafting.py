"""Drafting: create releases and edit them into new revisions."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, notices
from ..config import Config
from ..models import (
    PENDING_DELIVERY,
    ChannelOverride,
    Delivery,
    DeliveryStatus,
    Release,
    ReleaseStatus,
    Revision,
    Role,
    User,
    utcnow,
)
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied

CONTENT_FIELDS = (
    "language",
    "title",
    "lead",
    "body",
    "dateline_city",
    "category",
    "tags",
    "contact_name",
    "contact_phone",
    "contact_email",
    "embargo_at",
)


class ReleaseContent(BaseModel):
    """What a drafter writes; the same rules for the web form and the API."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    lead: str = Field("", max_length=2000)
    body: str = Field("", max_length=200_000)
    dateline_city: str = Field("", max_length=100)
    category: str = Field("", max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=30)
    contact_name: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=50)
    contact_email: str = Field("", max_length=200)
    embargo_at: datetime | None = None
    language: Literal["id", "en"] = "id"

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        cleaned: list[str] = []
        for tag in tags:
            tag = tag.strip().lstrip("#").strip()
            if len(tag) > 50:
                raise ValueError(f"tag {tag[:20]!r}… is longer than 50 characters")
            if tag and tag not in cleaned:
                cleaned.append(tag)
        return cleaned

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("not an e-mail address")
        return value

    @field_validator("embargo_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(
                "give the time with its offset, e.g. 2026-12-01T10:00+08:00"
            )
        return value


class ReleasePatch(ReleaseContent):
    """A partial edit: every field optional."""

    title: str = Field("", min_length=1, max_length=300)


def parse_content(data: Any, *, partial: bool = False) -> ReleaseContent:
    """Validate raw input (a dict) into release content; InvalidInput per field."""
    model = ReleasePatch if partial else ReleaseContent
    if not isinstance(data, dict):
        raise InvalidInput(
            "expected a JSON object", fields={"body": "expected an object"}
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


def get_release(session: Session, release_id: int) -> Release:
    """The release with this id, or NotFound."""
    release = session.get(Release, release_id)
    if release is None:
        raise NotFound(f"release {release_id} does not exist")
    return release


def list_releases(session: Session, status: str | None = None) -> list[Release]:
    """Releases, most recently changed first, optionally of one status."""
    query = select(Release).order_by(Release.updated_at.desc(), Release.id.desc())
    if status:
        query = query.where(Release.status == status)
    return list(session.scalars(query))


def create_release(session: Session, actor: User, content: ReleaseContent) -> Release:
    """A new draft with revision 1."""
    _require_writer(actor)
    now = utcnow()
    release = Release(
        public_id=str(uuid.uuid4()),
        status=ReleaseStatus.DRAFT,
        author_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    release.revisions.append(_revision(content.model_dump(), 1, actor, now))
    session.add(release)
    session.flush()
    audit.record(session, actor, "release.created", release, revision=1)
    return release


def update_release(
    session: Session, actor: User, release_id: int, patch: ReleaseContent
) -> Release:
    """Apply an edit: in place on an unsubmitted draft, else as a new revision.

    An edit after approval sends the release back to review and cancels every
    delivery still waiting, so nothing unapproved goes out.
    """
    _require_writer(actor)
    release = get_release(session, release_id)
    changes = patch.model_dump(exclude_unset=True)
    current = release.current
    if all(getattr(current, name) == value for name, value in changes.items()):
        return release
    revision = writable_revision(session, actor, release, sorted(changes))
    for name, value in changes.items():
        setattr(revision, name, value)
    return release


def set_override(
    session: Session,
    config: Config,
    actor: User,
    release_id: int,
    channel: str,
    text: str | None,
) -> Release:
    """Replace one channel's generated text by hand (`None` restores the generated one).

    The text is checked with the channel's own counter and limit, and kept with the
    revision: after approval it is an edit like any other.
    """
    _require_writer(actor)
    release = get_release(session, release_id)
    if channel not in config.enabled_channels:
        raise InvalidInput(
            f"unknown channel {channel!r}",
            fields={"channel": "unknown or disabled channel"},
        )
    adapter = config.adapter(channel)
    if not adapter.overridable:
        raise InvalidInput(
            f"the {channel} text is made from the release itself; edit the release",
            fields={"channel": "this channel's text cannot be edited by hand"},
        )
    if text is not None:
        text = text.strip()
        problems = adapter.fit_override(text)
        if problems:
            said = "; ".join(notices.render(p) for p in problems)
            raise InvalidInput(said, fields={"text": said})
    current = {o.channel: o.text for o in release.current.overrides}
    if current.get(channel) == text:
        return release
    revision = writable_revision(session, actor, release, [f"override:{channel}"])
    existing = next((o for o in revision.overrides if o.channel == channel), None)
    if text is None and existing is not None:
        revision.overrides.remove(existing)
    elif existing is not None:
        existing.text = text
    elif text is not None:
        revision.overrides.append(ChannelOverride(channel=channel, text=text))
    return release


def writable_revision(
    session: Session, actor: User, release: Release, what: list[str]
) -> Revision:
    """The revision an edit may change: the unsubmitted draft, or a new revision.

    A new revision copies the content, the channel overrides and the media. After
    approval it sends the release back to review and cancels the waiting
    deliveries; a rejected release becomes a draft again; one in review stays in review.
    """
    if release.status == ReleaseStatus.WITHDRAWN:
        raise Conflict("a withdrawn release cannot be edited; create a new release")
    now = utcnow()
    current = release.current
    release.updated_at = now
    if release.status == ReleaseStatus.DRAFT and current.submitted_at is None:
        current.contributors.add(actor)
        audit.record(
            session,
            actor,
            "release.edited",
            release,
            revision=current.number,
            fields=what,
        )
        return current

    values = {name: getattr(current, name) for name in CONTENT_FIELDS}
    revision = _revision(values, current.number + 1, actor, now)
    revision.overrides = [
        ChannelOverride(channel=o.channel, text=o.text) for o in current.overrides
    ]
    revision.media = [item.copy() for item in current.media]
    revision.contributors.update(current.contributors)
    release.revisions.append(revision)
    previous_status = release.status
    cancelled = 0
    if release.status in (ReleaseStatus.APPROVED, ReleaseStatus.PUBLISHED):
        release.status = ReleaseStatus.IN_REVIEW
        revision.submitted_at = now
        cancelled = cancel_pending(
            session, release, actor, "a new revision was written"
        )
    elif release.status == ReleaseStatus.REJECTED:
        release.status = ReleaseStatus.DRAFT
    elif release.status == ReleaseStatus.IN_REVIEW:
        revision.submitted_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "release.revised",
        release,
        revision=revision.number,
        fields=what,
        previous_status=previous_status,
        status=release.status,
        cancelled_deliveries=cancelled or None,
    )
    return revision


def cancel_pending(
    session: Session, release: Release, actor: User | None, why: str
) -> int:
    """Cancel every delivery of `release` that has not started; returns how many."""
    pending = session.scalars(
        select(Delivery).where(
            Delivery.release_id == release.id, Delivery.status.in_(PENDING_DELIVERY)
        )
    ).all()
    now = utcnow()
    for delivery in pending:
        delivery.status = DeliveryStatus.CANCELLED
        delivery.last_error = why
        delivery.updated_at = now
        audit.record(
            session,
            actor,
            "delivery.cancelled",
            release,
            delivery,
            channel=delivery.channel,
            reason=why,
        )
    return len(pending)


def _revision(
    values: dict[str, Any], number: int, actor: User, now: datetime
) -> Revision:
    values = {k: v for k, v in values.items() if k in CONTENT_FIELDS}
    revision = Revision(number=number, created_by=actor, created_at=now, **values)
    revision.contributors = {actor}
    return revision


def _require_writer(actor: User) -> None:
    if not (actor.can(Role.DRAFTER) or actor.can(Role.EDITOR)):
        raise PermissionDenied("your role may not write releases")
