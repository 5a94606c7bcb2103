"""Decisions machines cannot make: what happens to an unknown or missed delivery.

A delivery whose outcome is unknown (the request may have arrived) or that missed
its time (the dispatcher was down longer than the channel's `max_lateness`) waits
for an editor, who resends it, marks it as sent (with the post's address) or
cancels it, and says why. Each decision is recorded in the audit trail with who
made it and the reason.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from channel_adapters.notice import Notice

from .. import audit
from ..models import (
    NEEDS_DECISION,
    Delivery,
    DeliveryStatus,
    ReleaseStatus,
    Role,
    User,
    utcnow,
    web_link,
)
from . import scheduling
from .errors import Conflict, InvalidInput, PermissionDenied
from .scheduling import get_delivery, wake
from .values import CleanStr

REASON_MAX = 1000


class Decision(BaseModel):
    """Why the editor decides so; every decision needs a reason."""

    model_config = ConfigDict(extra="forbid")

    reason: CleanStr = Field(max_length=REASON_MAX)

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("field.required", "a reason is required")
        return value.strip()


class Resend(Decision):
    """Send again. For an unknown outcome the editor confirms that a duplicate
    post is acceptable (or that the channel was checked and has none)."""

    confirm_duplicate: bool = False


class SentByHand(Decision):
    """It did arrive (or was posted by hand): where it can be seen, if anywhere."""

    remote_url: CleanStr = Field("", max_length=1000)
    remote_id: CleanStr = Field("", max_length=255)

    @field_validator("remote_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip()
        if value and web_link(value) is None:
            raise PydanticCustomError("field.not_web_address", "not an http(s) address")
        return value

    @field_validator("remote_id")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


def parse(model: type[Decision], data: Any) -> Any:
    """Validate a decision's input; InvalidInput names the field (`reason`)."""
    try:
        return model.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


def waiting(session: Session) -> list[Delivery]:
    """Deliveries that wait for an editor's decision, the longest waiting first."""
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.status.in_(NEEDS_DECISION))
            .order_by(Delivery.updated_at, Delivery.id)
        )
    )


def count_waiting(session: Session) -> int:
    """How many deliveries wait for an editor's decision."""
    query = select(func.count()).where(Delivery.status.in_(NEEDS_DECISION))
    return session.scalar(query) or 0


def resend(
    session: Session,
    actor: User,
    delivery_id: int,
    data: Any,
    release_id: int | None = None,
) -> Delivery:
    """Send an unknown or missed delivery again now (a new attempt); `data` is
    the `Resend` input."""
    delivery = _undecided(session, actor, delivery_id, release_id)
    decision = parse(Resend, data)
    if not delivery.release.is_approved:
        raise Conflict("delivery.release_not_public", status=delivery.release.status)
    if delivery.status == DeliveryStatus.UNKNOWN and not decision.confirm_duplicate:
        raise InvalidInput(
            "delivery.duplicate_unconfirmed",
            fields={"confirm_duplicate": "delivery.duplicate_unconfirmed"},
        )
    now = utcnow()
    previous = delivery.status
    delivery.status = DeliveryStatus.SCHEDULED
    delivery.next_attempt_at = now  # due now, so not "missed" again
    delivery.attempts = 0
    delivery.updated_at = now
    _record(session, actor, "delivery.resent", delivery, decision, previous)
    wake(session, delivery)
    return delivery


def mark_sent(
    session: Session,
    actor: User,
    delivery_id: int,
    data: Any,
    release_id: int | None = None,
) -> Delivery:
    """Record that an unknown or missed delivery did reach its channel; `data` is
    the `SentByHand` input."""
    delivery = _undecided(session, actor, delivery_id, release_id)
    decision = parse(SentByHand, data)
    now = utcnow()
    previous = delivery.status
    delivery.status = DeliveryStatus.SENT
    delivery.error = None
    delivery.sent_at = delivery.sent_at or now
    delivery.remote_url = decision.remote_url or delivery.remote_url
    delivery.remote_id = decision.remote_id or delivery.remote_id
    delivery.updated_at = now
    _record(
        session,
        actor,
        "delivery.marked_sent",
        delivery,
        decision,
        previous,
        remote_url=decision.remote_url or None,
        remote_id=decision.remote_id or None,
    )
    release = delivery.release
    if release.status == ReleaseStatus.APPROVED:
        release.status = ReleaseStatus.PUBLISHED
        release.updated_at = now
        audit.record(
            session, actor, "release.published", release, first_channel=delivery.channel
        )
    return delivery


def cancel(
    session: Session,
    actor: User,
    delivery_id: int,
    reason: str | None,
    release_id: int | None = None,
) -> Delivery:
    """Cancel a delivery: one still waiting (a reason is optional), or one that is
    unknown or missed (a reason is required); nothing more is sent."""
    delivery = get_delivery(session, delivery_id, release_id)
    if not delivery.needs_decision:
        return scheduling.cancel(session, actor, delivery_id, release_id, reason)
    delivery = _undecided(session, actor, delivery_id, release_id)
    decision = parse(Decision, {"reason": reason or ""})
    previous = delivery.status
    delivery.status = DeliveryStatus.CANCELLED
    delivery.error = Notice(
        "delivery.cancelled_with_reason",
        {"user": actor.display_name, "reason": decision.reason},
    ).as_dict()
    delivery.updated_at = utcnow()
    _record(session, actor, "delivery.cancelled", delivery, decision, previous)
    return delivery


def _undecided(
    session: Session, actor: User, delivery_id: int, release_id: int | None
) -> Delivery:
    """The delivery, if `actor` may decide about it and it waits for a decision."""
    if not actor.can(Role.EDITOR):
        raise PermissionDenied("delivery.role_cannot_decide")
    delivery = get_delivery(session, delivery_id, release_id)
    if not delivery.needs_decision:
        raise Conflict("delivery.no_decision_needed", delivery_status=delivery.status)
    return delivery


def _record(
    session: Session,
    actor: User,
    action: str,
    delivery: Delivery,
    decision: Decision,
    previous: str,
    **detail: Any,
) -> None:
    audit.record(
        session,
        actor,
        action,
        delivery.release,
        delivery,
        channel=delivery.channel,
        reason=decision.reason,
        previous_status=str(previous),
        **detail,
    )
