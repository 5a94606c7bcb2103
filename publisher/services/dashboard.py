"""What a person sees first after signing in: their desk.

Editors: what awaits their review, and what failed, is unknown or missed its time.
Writers: their own drafts and rejected releases. Everyone: what goes out today and
tomorrow (in the office's zone) and what went out lately, with where it was posted.
Each list is short (`LIMIT`) and read through an index, so the desk loads as fast
with a large archive as with a small one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import (
    NEEDS_DECISION,
    PENDING_DELIVERY,
    RETRYABLE_DELIVERY,
    SUBMITTABLE_RELEASE,
    Delivery,
    DeliveryStatus,
    Release,
    ReleaseStatus,
    Role,
    User,
)
from . import release_list

LIMIT = 10
UPCOMING_LIMIT = 50
ATTENTION_LIMIT = 20


@dataclass
class Desk:
    """The sections of one person's dashboard; a section the role does not see is
    None, an empty one is an empty list."""

    review: list[Release] | None = None
    review_count: int = 0
    attention: list[Delivery] | None = None
    mine: list[Release] | None = None
    today: list[Delivery] = field(default_factory=list)
    tomorrow: list[Delivery] = field(default_factory=list)
    recent: list[Delivery] = field(default_factory=list)
    summaries: dict[int, release_list.DeliverySummary] = field(default_factory=dict)


def desk_for(session: Session, user: User, tz: tzinfo, now: datetime) -> Desk:
    """`user`'s dashboard at `now`; days are the office's days in `tz`."""
    desk = Desk()
    if user.can(Role.EDITOR):
        desk.review = awaiting_review(session)
        desk.review_count = count_awaiting_review(session)
        desk.attention = needing_attention(session)
    if user.can_write:
        desk.mine = own_unfinished(session, user)
    today = datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)
    tomorrow = today + timedelta(days=1)
    for delivery in going_out(session, tomorrow + timedelta(days=1)):
        (desk.today if delivery.due_at < tomorrow else desk.tomorrow).append(delivery)
    desk.recent = recently_sent(session)
    shown = [r.id for r in (desk.review or []) + (desk.mine or [])]
    desk.summaries = release_list.delivery_summaries(session, shown)
    return desk


def awaiting_review(session: Session) -> list[Release]:
    """Releases waiting for an editor, the longest waiting first."""
    query = (
        select(Release)
        .where(Release.status == ReleaseStatus.IN_REVIEW)
        .options(selectinload(Release.revisions), joinedload(Release.author))
        .order_by(Release.updated_at, Release.id)
        .limit(LIMIT)
    )
    return list(session.scalars(query))


def count_awaiting_review(session: Session) -> int:
    """How many releases wait for an editor's review (for the menu)."""
    query = select(func.count()).where(Release.status == ReleaseStatus.IN_REVIEW)
    return session.scalar(query) or 0


def own_unfinished(session: Session, user: User) -> list[Release]:
    """`user`'s drafts and rejected releases, the latest changed first."""
    query = (
        select(Release)
        .where(Release.author_id == user.id, Release.status.in_(SUBMITTABLE_RELEASE))
        .options(selectinload(Release.revisions))
        .order_by(Release.updated_at.desc(), Release.id.desc())
        .limit(LIMIT)
    )
    return list(session.scalars(query))


def needing_attention(session: Session) -> list[Delivery]:
    """Deliveries that failed, whose outcome is unknown or that missed their
    time, the latest first: a person retries, decides or cancels each."""
    found: list[Delivery] = []
    for status in (*RETRYABLE_DELIVERY, *NEEDS_DECISION):  # one index walk each
        query = (
            select(Delivery)
            .where(Delivery.status == status)
            .options(joinedload(Delivery.revision))
            .order_by(Delivery.updated_at.desc(), Delivery.id.desc())
            .limit(ATTENTION_LIMIT)
        )
        found += session.scalars(query)
    found.sort(key=lambda d: (d.updated_at, d.id), reverse=True)
    return found[:ATTENTION_LIMIT]


def going_out(session: Session, until: datetime) -> list[Delivery]:
    """Deliveries still to send (or being sent) before `until`, soonest first;
    overdue ones included, since they still have to go."""
    waiting = (*PENDING_DELIVERY, DeliveryStatus.SENDING)
    query = (
        select(Delivery)
        .where(Delivery.status.in_(waiting), Delivery.planned_at < until)
        .options(joinedload(Delivery.revision))
        .order_by(Delivery.planned_at, Delivery.id)
        .limit(UPCOMING_LIMIT)
    )
    return list(session.scalars(query))


def recently_sent(session: Session) -> list[Delivery]:
    """The latest deliveries that went out, with where they were posted."""
    query = (
        select(Delivery)
        .where(Delivery.status == DeliveryStatus.SENT)
        .options(joinedload(Delivery.revision))
        .order_by(Delivery.sent_at.desc(), Delivery.id.desc())
        .limit(LIMIT)
    )
    return list(session.scalars(query))
