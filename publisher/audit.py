"""The audit trail: every state change, who made it and when; tamper-evident.

Each event is sealed into a chain when its transaction commits: it gets the next
place (`chain_seq`), the hash of the event before it (`prev_hash`) and its own
`hash`, a SHA-256 over a canonical JSON of its fields plus those two. Changing,
removing or reordering any event breaks the chain from there on, and `verify`
names the first broken link.

The one `audit_chain_head` row is the lock: sealing takes it with SELECT … FOR
UPDATE as the last thing a transaction does (after its own flush), so concurrent
writers on PostgreSQL queue for a moment instead of forking the chain, and since
no transaction takes another lock after it, the queue cannot deadlock. On SQLite
every write transaction is already serialised (BEGIN IMMEDIATE, see db.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from .models import AuditChainHead, AuditEvent, Delivery, Release, User, utcnow

SYSTEM = "dispatcher"
GENESIS = "0" * 64  # the "previous hash" of the first event
HEAD_ID = 1
_UNSEALED = "audit_unsealed"


def record(
    session: Session,
    actor: User | None,
    action: str,
    release: Release | None = None,
    delivery: Delivery | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one event; `actor=None` means the system (the dispatcher)."""
    event_ = AuditEvent(
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
    session.add(event_)
    session.info.setdefault(_UNSEALED, []).append(event_)
    return event_


def events_for(session: Session, release_id: int) -> list[AuditEvent]:
    """A release's audit trail, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.release_id == release_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


# --- the chain ---------------------------------------------------------------


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8, times in UTC ISO."""
    return json.dumps(
        dict(fields),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_plain,
    ).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    raise TypeError(f"not JSON: {type(value).__name__}")


def sealed_fields(
    *,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    release_id: int | None,
    delivery_id: int | None,
    detail: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """What an event's hash covers (besides its place and the previous hash)."""
    return {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "release_id": release_id,
        "delivery_id": delivery_id,
        "detail": dict(detail or {}),
    }


def chain_hash(fields: Mapping[str, Any], seq: int, prev_hash: str) -> str:
    """SHA-256 (hex) of an event's fields, its place in the chain and the link."""
    return hashlib.sha256(
        canonical({**fields, "seq": seq, "prev_hash": prev_hash})
    ).hexdigest()


def _fields_of(ev: AuditEvent) -> dict[str, Any]:
    return sealed_fields(
        at=ev.at,
        actor_id=ev.actor_id,
        actor_label=ev.actor_label,
        action=ev.action,
        release_id=ev.release_id,
        delivery_id=ev.delivery_id,
        detail=ev.detail,
    )


def install(sessions: sessionmaker) -> None:
    """Seal new events into the chain whenever a session of `sessions` commits."""
    event.listen(sessions, "before_commit", _seal)
    event.listen(sessions, "after_rollback", _forget)


def _forget(session: Session) -> None:
    session.info.pop(_UNSEALED, None)


def _seal(session: Session) -> None:
    """Give this transaction's new events their place, link and hash."""
    pending = session.info.pop(_UNSEALED, None)
    if not pending:
        return
    session.flush()  # every other write first: the head lock is the last lock taken
    head = session.scalars(
        select(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    # Only events still in this transaction (not expunged or rolled back to a
    # savepoint), each once.
    live = [e for e in pending if inspect(e).persistent and e.chain_seq is None]
    for ev in sorted(live, key=lambda e: e.id):
        seq = head.seq + 1
        ev.chain_seq, ev.prev_hash = seq, head.hash
        ev.hash = chain_hash(_fields_of(ev), seq, head.hash)
        head.seq, head.hash = seq, ev.hash


@dataclass(frozen=True)
class Break:
    """The first link of the chain that does not hold."""

    id: int | None
    at: datetime | None
    seq: int | None
    reason: str


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how many events hold, and the first break if any."""

    count: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        """Whether the whole chain holds."""
        return self.broken is None


def _fault(ev: AuditEvent, expected: int, prev: str) -> str | None:
    """Why `ev` does not hold as the chain's `expected`-th event after `prev`."""
    if ev.chain_seq is None:
        return "the event was never sealed into the chain"
    if ev.chain_seq != expected:
        return (
            f"events {expected}..{ev.chain_seq - 1} of the chain are missing "
            "before this one"
        )
    if ev.prev_hash != prev:
        return (
            f"prev_hash is {ev.prev_hash}, but the event before it hashes to "
            f"{prev}: the link was rewritten"
        )
    actual = chain_hash(_fields_of(ev), ev.chain_seq, ev.prev_hash)
    if actual != ev.hash:
        return (
            "its fields (at, actor, action, release, delivery, detail) no longer "
            f"match its hash: stored {ev.hash}, computed {actual}"
        )
    return None


def _in_order(session: Session) -> Iterator[AuditEvent]:
    query = select(AuditEvent).order_by(
        AuditEvent.chain_seq.is_(None), AuditEvent.chain_seq, AuditEvent.id
    )
    yield from session.scalars(query.execution_options(yield_per=500))


def verify(session: Session) -> Verdict:
    """Walk the chain from its first event; stop at the first link that fails."""
    prev, count = GENESIS, 0
    last: AuditEvent | None = None
    for ev in _in_order(session):
        reason = _fault(ev, count + 1, prev)
        if reason is not None:
            return Verdict(count, Break(ev.id, ev.at, ev.chain_seq, reason))
        prev, count, last = ev.hash or "", count + 1, ev
    head = session.get(AuditChainHead, HEAD_ID)
    if head is not None and (head.seq, head.hash) != (count, prev):
        return Verdict(
            count,
            Break(
                last.id if last else None,
                last.at if last else None,
                last.chain_seq if last else None,
                f"the chain head says {head.seq} events ending in {head.hash}, "
                f"but only {count} are there: the newest were removed",
            ),
        )
    return Verdict(count, None)
