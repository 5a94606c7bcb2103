"""The database side of sending: win a row, check it may go, store what happened.

`claim` wins a delivery with one conditional UPDATE that only one process can make
(the row is the lock), takes a lease and loads the frozen rendition; `record` stores
an attempt's outcome if this process still holds that lease; `reap` recovers rows
whose lease ran out. Each state change is the `Transition` that `decide` returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from channel_adapters.base import DeliveryResult, Rendition

from .. import audit
from ..config import Config
from ..models import (
    PENDING_DELIVERY,
    Delivery,
    DeliveryStatus,
    FrozenRendition,
    ReleaseStatus,
    RenditionFileRow,
)
from ..rendering import thaw
from .decision import (
    ChannelDisabled,
    Held,
    NoRendition,
    NotApproved,
    Outcome,
    SenderStopped,
    Transition,
    decide,
    lateness,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A delivery this process won: what to send, where, and under which key."""

    delivery_id: int
    channel: str
    adapter: str
    rendition: Rendition
    idempotency_key: str
    attempt: int


def claim(
    session: Session, config: Config, delivery_id: int, *, owner: str, now: datetime
) -> Claim | None:
    """Win the row (or learn another process did), check it may go, load it."""
    lease_until = now + timedelta(seconds=config.dispatcher.lease_seconds)
    won = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status.in_(PENDING_DELIVERY),
            func.coalesce(Delivery.next_attempt_at, Delivery.planned_at) <= now,
        )
        .values(
            status=DeliveryStatus.SENDING,
            lease_owner=owner,
            lease_expires_at=lease_until,
            attempts=Delivery.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        return None
    # The row with its release and revision in one query: the guards read all three.
    delivery = session.scalar(
        select(Delivery)
        .where(Delivery.id == delivery_id)
        .options(joinedload(Delivery.release), joinedload(Delivery.revision))
    )
    assert delivery is not None
    refusal = guard(config, delivery, now)
    row = None
    if refusal is None:
        # The files with their bytes in one more query, not one per file: the
        # adapter is handed all of them.
        row = session.scalar(
            select(FrozenRendition)
            .where(
                FrozenRendition.revision_id == delivery.revision_id,
                FrozenRendition.channel == delivery.channel,
            )
            .options(selectinload(FrozenRendition.files).undefer(RenditionFileRow.data))
        )
        if row is None:
            refusal = NoRendition(delivery.channel)
    if refusal is not None:
        apply(session, delivery, decide(delivery, refusal, config.dispatcher, now), now)
        return None
    audit.record(
        session,
        None,
        "delivery.sending",
        delivery=delivery,
        channel=delivery.channel,
        attempt=delivery.attempts,
        process=owner,
    )
    return Claim(
        delivery_id=delivery.id,
        channel=delivery.channel,
        adapter=delivery.adapter,
        rendition=thaw(row),
        idempotency_key=delivery.idempotency_key,
        attempt=delivery.attempts,
    )


def guard(config: Config, delivery: Delivery, now: datetime) -> Outcome | None:
    """Why this delivery must not go now, in the documented order; None if it may.

    Not approved, embargo not over, channel off, then too late: a delivery that
    came due longer ago than its channel's `max_lateness` is not sent stale.
    """
    release, revision = delivery.release, delivery.revision
    if (
        release.status not in (ReleaseStatus.APPROVED, ReleaseStatus.PUBLISHED)
        or release.approved_revision != revision.number
    ):
        return NotApproved()
    if revision.embargo_at and revision.embargo_at > now:
        return Held(revision.embargo_at)
    channel = config.channels.get(delivery.channel)
    if channel is None or not channel.enabled:
        return ChannelDisabled(delivery.channel)
    return lateness(delivery.due_at, now, channel.max_lateness)


def record(
    session: Session,
    config: Config,
    delivery_id: int,
    outcome: Outcome,
    *,
    owner: str,
    now: datetime,
) -> Transition | None:
    """Store an attempt's outcome if `owner` still holds the lease."""
    delivery = session.scalar(
        select(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.SENDING,
            Delivery.lease_owner == owner,
        )
        .options(joinedload(Delivery.release))  # its status may turn PUBLISHED
    )
    if delivery is None:
        log.error(
            "delivery %s lost its lease before its outcome was stored", delivery_id
        )
        return None
    transition = decide(delivery, outcome, config.dispatcher, now)
    if isinstance(outcome, DeliveryResult):
        delivery.remote_id = outcome.remote_id or None
        delivery.remote_url = outcome.remote_url or None
        delivery.sent_at = now
        apply(session, delivery, transition, now, detail=outcome.detail or None)
        # The delivery's row is written (and locked) before its release's, as
        # always: the same lock order as every other writer of the two.
        session.flush()
        if delivery.release.status == ReleaseStatus.APPROVED:
            delivery.release.status = ReleaseStatus.PUBLISHED
            delivery.release.updated_at = now
            audit.record(
                session,
                None,
                "release.published",
                delivery.release,
                first_channel=delivery.channel,
            )
    else:
        apply(session, delivery, transition, now)
    return transition


def reap(session: Session, config: Config, now: datetime) -> None:
    """Deliveries whose sender died mid-send: retry if harmless, else a human."""
    stale = session.scalars(
        select(Delivery).where(
            Delivery.status == DeliveryStatus.SENDING,
            Delivery.lease_expires_at < now,
        )
    ).all()
    for delivery in stale:
        channel = config.channels.get(delivery.channel)
        idempotent = bool(channel and channel.adapter_class.idempotent)
        outcome = SenderStopped(delivery.lease_owner or "?", idempotent)
        apply(session, delivery, decide(delivery, outcome, config.dispatcher, now), now)


def apply(
    session: Session,
    delivery: Delivery,
    transition: Transition,
    now: datetime,
    **detail: object,
) -> None:
    """Write a transition on the row, release the lease, add it to the audit trail."""
    delivery.status = transition.status
    delivery.attempts = transition.attempts
    delivery.error = transition.notice.as_dict() if transition.notice else None
    if transition.next_attempt_at is not None:
        delivery.next_attempt_at = transition.next_attempt_at
    delivery.lease_owner = None
    delivery.lease_expires_at = None
    delivery.updated_at = now
    due = transition.next_attempt_at.isoformat() if transition.next_attempt_at else None
    audit.record(
        session,
        None,
        transition.action,
        delivery=delivery,
        channel=delivery.channel,
        attempt=delivery.attempts,
        error=delivery.error,
        next_attempt_at=due,
        **detail,
    )
