"""Scheduling: plan each channel's delivery of an approved release, retry, cancel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit, rendering, system
from ..config import Config
from ..db import WAKE_KEY
from ..models import (
    PENDING_DELIVERY,
    Delivery,
    DeliveryStatus,
    Role,
    User,
    utcnow,
)
from .drafting import get_release
from .errors import Conflict, InvalidInput, NotFound, PermissionDenied
from .values import Moment

# Idempotency keys are uuid5 of the delivery's identity, so the same delivery always
# presents the same key to a remote API, across retries and processes.
_KEY_NAMESPACE = uuid.UUID("6f1c1c44-57d4-4d0b-9a59-0d3e5b1e8f21")
# A form submitted "now" reaches the server a moment later; that is not the past.
PAST_TOLERANCE = timedelta(seconds=5)


class PlannedDelivery(BaseModel):
    """One channel and when it should receive the release."""

    model_config = ConfigDict(extra="forbid")

    channel: str = Field(min_length=1)
    planned_at: Moment


class SchedulePlan(BaseModel):
    """The body of a schedule request."""

    model_config = ConfigDict(extra="forbid")

    deliveries: list[PlannedDelivery] = Field(min_length=1)


def parse_plan(data: object, config: Config | None = None) -> SchedulePlan:
    """Validate a schedule; InvalidInput names e.g. `deliveries.0.planned_at`.

    With `config`, `{"preset": name}` stands for that preset's deliveries.
    """
    if config is not None and isinstance(data, dict) and "preset" in data:
        rest = {k: v for k, v in data.items() if k != "preset"}
        if rest:
            raise InvalidInput(fields={next(iter(rest)): Notice("field.unknown")})
        return preset_plan(config, data["preset"], utcnow())
    try:
        return SchedulePlan.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


def sendable_channels(config: Config) -> list[str]:
    """Enabled channels that can send by themselves, in config order."""
    return [n for n, ch in config.enabled_channels.items() if ch.blocker is None]


def preset_times(
    config: Config, name: object, now: datetime
) -> list[tuple[str, datetime | None]]:
    """(channel, aware local time or None for now) that preset `name` plans."""
    preset = config.preset(name) if isinstance(name, str) else None
    if preset is None:
        raise InvalidInput(
            fields={"preset": Notice("schedule.unknown_preset", {"preset": str(name)})}
        )
    tz = ZoneInfo(config.organization.timezone)
    return preset.plan(sendable_channels(config), now, tz)


def preset_plan(config: Config, name: object, now: datetime) -> SchedulePlan:
    """The schedule preset `name` stands for at `now` (UTC)."""
    planned = [
        PlannedDelivery(channel=channel, planned_at=(when or now).astimezone(UTC))
        for channel, when in preset_times(config, name, now)
    ]
    if not planned:
        raise InvalidInput(fields={"preset": Notice("schedule.preset_empty")})
    return SchedulePlan(deliveries=planned)


def gap_warnings(
    session: Session,
    config: Config,
    release_id: int,
    planned: list[tuple[str, datetime]],
) -> list[Notice]:
    """Other releases planned (or sent) on the same channel within
    `config.schedule_gap` of these times: a warning each, naming the other release."""
    gap = timedelta(seconds=config.schedule_gap)
    warnings = []
    for channel, when in planned:
        when = when.astimezone(UTC)
        near = session.scalars(
            select(Delivery)
            .where(
                Delivery.channel == channel,
                Delivery.release_id != release_id,
                Delivery.status.in_(
                    [*PENDING_DELIVERY, DeliveryStatus.SENT, DeliveryStatus.SENDING]
                ),
                Delivery.planned_at > when - gap,
                Delivery.planned_at < when + gap,
            )
            .order_by(Delivery.planned_at)
        ).first()
        if near is None:
            continue
        other = near.release
        label = (
            config.channels[channel].label if channel in config.channels else channel
        )
        warnings.append(
            Notice(
                "schedule.close_to_other",
                {
                    "channel": label,
                    "title": other.current.title,
                    "number": other.number or f"#{other.id}",
                    "other_at": as_utc(near.planned_at).isoformat(),
                    "minutes": round(gap.total_seconds() / 60),
                },
            )
        )
    return warnings


def as_utc(moment: datetime) -> datetime:
    """An aware UTC moment (SQLite hands back naive UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def schedule(
    session: Session, config: Config, actor: User, release_id: int, plan: SchedulePlan
) -> list[Delivery]:
    """Create or move the deliveries of the approved revision; all or nothing."""
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("schedule.role_cannot_schedule")
    release = get_release(session, release_id)
    if not release.is_approved:
        raise Conflict("schedule.not_approved", status=release.status)
    revision = next(
        r for r in release.revisions if r.number == release.approved_revision
    )
    now = utcnow()
    errors: dict[str, Notice] = {}
    seen: set[str] = set()
    for i, item in enumerate(plan.deliveries):
        where = f"deliveries.{i}"
        channel = config.channels.get(item.channel)
        named = {"channel": item.channel}
        if channel is None or not channel.enabled:
            errors[f"{where}.channel"] = Notice("channel.unknown", named)
        elif channel.blocker is not None:
            errors[f"{where}.channel"] = channel.blocker
        elif item.channel in seen:
            errors[f"{where}.channel"] = Notice("channel.listed_twice", named)
        seen.add(item.channel)
        if item.planned_at < now - PAST_TOLERANCE:
            errors[f"{where}.planned_at"] = Notice("schedule.in_past")
        elif revision.embargo_at and item.planned_at < revision.embargo_at:
            errors[f"{where}.planned_at"] = Notice(
                "schedule.before_embargo",
                {"embargo_at": revision.embargo_at.isoformat()},
            )
    if errors:
        raise InvalidInput(fields=errors)

    existing = {
        d.channel: d
        for d in session.scalars(
            select(Delivery).where(Delivery.revision_id == revision.id)
        )
    }
    result = []
    for item in plan.deliveries:
        planned_at = max(item.planned_at, now)
        delivery = existing.get(item.channel)
        if delivery is None:
            delivery = Delivery(
                release_id=release.id,
                revision_id=revision.id,
                channel=item.channel,
                adapter=config.channels[item.channel].adapter,
                planned_at=planned_at,
                status=DeliveryStatus.SCHEDULED,
                idempotency_key=str(
                    uuid.uuid5(
                        _KEY_NAMESPACE,
                        f"{release.public_id}/{revision.number}/{item.channel}",
                    )
                ),
                created_by_id=actor.id,
                created_at=now,
                updated_at=now,
            )
            session.add(delivery)
            session.flush()
            action = "delivery.scheduled"
        elif delivery.status in (*PENDING_DELIVERY, DeliveryStatus.CANCELLED):
            delivery.status = DeliveryStatus.SCHEDULED
            delivery.planned_at = planned_at
            delivery.next_attempt_at = None
            delivery.updated_at = now
            action = "delivery.rescheduled"
        else:
            raise Conflict(
                "schedule.already_started",
                channel=item.channel,
                delivery_status=delivery.status,
            )
        channel = config.channels[item.channel]
        if channel.adapter_class.uses_planned_at:  # its files are made again now
            blocked = system.unavailable({item.channel: channel})
            if blocked:
                raise Conflict(blocked[item.channel])
        refrozen = rendering.refreeze_for_schedule(
            config, release, revision, item.channel, planned_at
        )
        audit.record(
            session,
            actor,
            action,
            release,
            delivery,
            channel=item.channel,
            planned_at=planned_at.isoformat(),
            rendition=refrozen.content_hash[:12] if refrozen else None,
        )
        wake(session, delivery)
        result.append(delivery)
    release.updated_at = now
    return result


def retry(
    session: Session, actor: User, delivery_id: int, release_id: int | None = None
) -> Delivery:
    """Send a failed delivery again now, or one whose outcome a human has checked.

    `release_id`, when the request names one, must be the delivery's own release.
    """
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("delivery.role_cannot_change")
    delivery = get_delivery(session, delivery_id, release_id)
    if delivery.needs_decision:  # services.deliveries: with a reason
        raise Conflict("delivery.decide_first", delivery_status=delivery.status)
    if not delivery.is_retryable:
        raise Conflict("delivery.not_retryable", delivery_status=delivery.status)
    if not delivery.release.is_approved:
        raise Conflict("delivery.release_not_public", status=delivery.release.status)
    now = utcnow()
    previous = delivery.status
    delivery.status = DeliveryStatus.SCHEDULED
    delivery.next_attempt_at = now
    delivery.attempts = 0
    delivery.updated_at = now
    audit.record(
        session,
        actor,
        "delivery.retry",
        delivery.release,
        delivery,
        channel=delivery.channel,
        previous_status=previous,
    )
    wake(session, delivery)
    return delivery


def cancel(
    session: Session,
    actor: User,
    delivery_id: int,
    release_id: int | None = None,
    reason: str | None = None,
) -> Delivery:
    """Cancel one delivery that has not started yet (of `release_id`, if named);
    `reason`, if the editor gave one, goes to the audit trail."""
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("delivery.role_cannot_change")
    delivery = get_delivery(session, delivery_id, release_id)
    if not delivery.is_pending:
        raise Conflict("delivery.not_cancellable", delivery_status=delivery.status)
    delivery.status = DeliveryStatus.CANCELLED
    delivery.error = Notice("delivery.cancelled_by_editor").as_dict()
    delivery.updated_at = utcnow()
    audit.record(
        session,
        actor,
        "delivery.cancelled",
        delivery.release,
        delivery,
        channel=delivery.channel,
        error=delivery.error,
        reason=reason or None,
    )
    return delivery


def get_delivery(
    session: Session, delivery_id: int, release_id: int | None = None
) -> Delivery:
    """The delivery with this id (of release `release_id`, if given), or NotFound."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or (
        release_id is not None and delivery.release_id != release_id
    ):
        raise NotFound("delivery.not_found", id=delivery_id)
    return delivery


def list_deliveries(session: Session, release_id: int | None = None) -> list[Delivery]:
    """Deliveries, soonest first, optionally of one release."""
    query = select(Delivery).order_by(Delivery.planned_at, Delivery.id)
    if release_id is not None:
        query = query.where(Delivery.release_id == release_id)
    return list(session.scalars(query))


def wake(session: Session, delivery: Delivery) -> None:
    """Ask this process's dispatcher, if any, to plan `delivery` once committed."""
    session.info.setdefault(WAKE_KEY, set()).add(delivery.id)


def outcome(config: Config, scheduled: list[Delivery]) -> Notice:
    """What scheduling did, to tell the editor: sent now, or for which time(s)."""
    now = utcnow()

    def label(d: Delivery) -> str:
        channel = config.channels.get(d.channel)
        return channel.label if channel else d.channel

    times = sorted(as_utc(d.planned_at) for d in scheduled)
    channels = ", ".join(label(d) for d in scheduled)
    if times and times[-1] <= now + PAST_TOLERANCE:
        return Notice(
            "schedule.sent_now", {"count": len(scheduled), "channels": channels}
        )
    if times[0] == times[-1]:
        return Notice(
            "schedule.scheduled_for",
            {"planned_at": times[0].isoformat(), "channels": channels},
        )
    return Notice(
        "schedule.scheduled_from",
        {
            "first_at": times[0].isoformat(),
            "last_at": times[-1].isoformat(),
            "channels": channels,
        },
    )
