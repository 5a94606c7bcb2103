"""The audit trail: every state change, who made it and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent, Delivery, Release, User, utcnow

SYSTEM = "dispatcher"


def record(
    session: Session,
    actor: User | None,
    action: str,
    release: Release | None = None,
    delivery: Delivery | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event; `actor=None` means the system (the dispatcher)."""
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor.username if actor else SYSTEM,
        action=action,
        release_id=release.id
        if release
        else (delivery.release_id if delivery else None),
        delivery_id=delivery.id if delivery else None,
        detail={k: v for k, v in detail.items() if v is not None},
    )
    session.add(event)
    return event


def events_for(session: Session, release_id: int) -> list[AuditEvent]:
    """A release's audit trail, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.release_id == release_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
