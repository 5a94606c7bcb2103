"""What happens to a delivery after an attempt: one pure function, no I/O.

`decide(delivery, outcome, settings, now)` maps what an attempt found (the adapter's
result or error, a crash, a guard that stopped the send, a lease that ran out) to the
delivery's next state: its status, its attempt count, when to try again and the
notice a person reads. The dispatcher only records the `Transition` it returns, so
retry, backoff and "unknown" are tested here with plain values and no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from channel_adapters.base import (
    DeliveryError,
    DeliveryResult,
    PermanentError,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.notice import Notice

from ..config import DispatcherConfig
from ..models import DeliveryStatus

# --- outcomes other than the adapter's own result or error ------------------------


@dataclass(frozen=True)
class Crash:
    """The adapter raised something that is not a DeliveryError: a bug on our side,
    not a refusal by the remote. `error` is the exception's class name."""

    adapter: str
    error: str


@dataclass(frozen=True)
class Held:
    """The revision's embargo is not over: wait for it, the attempt does not count."""

    until: datetime


@dataclass(frozen=True)
class NotApproved:
    """The release is no longer approved in this delivery's revision."""


@dataclass(frozen=True)
class ChannelDisabled:
    """The channel is missing or disabled in config.yaml."""

    channel: str


@dataclass(frozen=True)
class NoRendition:
    """No frozen rendition for the channel: it was enabled after approval."""

    channel: str


@dataclass(frozen=True)
class Missed:
    """The delivery came due more than the channel's `max_lateness` ago (the
    dispatcher was down): sending it now would be stale, so a human decides."""

    due_at: datetime
    late_seconds: float
    max_lateness: float


@dataclass(frozen=True)
class SenderStopped:
    """The reaper found a lease that ran out: the process holding it died."""

    owner: str
    idempotent: bool


Outcome = (
    DeliveryResult
    | DeliveryError
    | Crash
    | Held
    | NotApproved
    | ChannelDisabled
    | NoRendition
    | Missed
    | SenderStopped
)


class Attempted(Protocol):
    """What `decide` reads of a delivery: attempts so far, this one included."""

    attempts: int


@dataclass(frozen=True)
class Transition:
    """A delivery's next state, as `decide` chose it."""

    status: str
    attempts: int
    notice: Notice | None = None
    next_attempt_at: datetime | None = None

    @property
    def action(self) -> str:
        """The audit action that records this transition."""
        if self.status == DeliveryStatus.SCHEDULED:
            return "delivery.held_for_embargo"
        return f"delivery.{self.status}"


def backoff(
    attempts: int, settings: DispatcherConfig, retry_after: float | None = None
) -> float:
    """Seconds to wait after failed attempt number `attempts`: the remote's
    Retry-After when it gave one, else base × 2^(attempts−1); never more than
    `retry_max_seconds`."""
    if retry_after is not None:
        delay = retry_after  # the partner said when
    else:
        delay = settings.retry_base_seconds * 2 ** (attempts - 1)
    return min(settings.retry_max_seconds, max(0.0, delay))


def lateness(due_at: datetime, now: datetime, max_lateness: float) -> Missed | None:
    """`Missed` when `now` is more than `max_lateness` seconds after `due_at`
    (a delivery's planned time, or its next attempt's); None while it may go."""
    late = (now - due_at).total_seconds()
    if late <= max_lateness:
        return None
    return Missed(due_at, late, max_lateness)


def decide(
    delivery: Attempted, outcome: Outcome, settings: DispatcherConfig, now: datetime
) -> Transition:
    """The delivery's next state after `outcome`; pure, no I/O."""
    attempts = delivery.attempts
    match outcome:
        case DeliveryResult():
            return Transition(DeliveryStatus.SENT, attempts)
        case RetryableError() if attempts >= settings.max_attempts:
            # Given up: the last cause is kept; `attempts` says how often we tried.
            return Transition(DeliveryStatus.FAILED, attempts, outcome.notice)
        case RetryableError():
            wait = backoff(attempts, settings, outcome.retry_after)
            return Transition(
                DeliveryStatus.RETRYING,
                attempts,
                outcome.notice,
                next_attempt_at=now + timedelta(seconds=wait),
            )
        case UnknownOutcomeError():
            return Transition(DeliveryStatus.UNKNOWN, attempts, outcome.notice)
        case PermanentError() | DeliveryError():
            return Transition(DeliveryStatus.FAILED, attempts, outcome.notice)
        case Crash(adapter=adapter, error=error):
            notice = Notice(
                "delivery.internal_error", {"adapter": adapter, "error": error}
            )
            return Transition(DeliveryStatus.FAILED, attempts, notice)
        case Held(until=until):
            # Back to waiting; the claim counted an attempt that never happened.
            return Transition(
                DeliveryStatus.SCHEDULED, max(0, attempts - 1), next_attempt_at=until
            )
        case NotApproved():
            notice = Notice("delivery.not_approved")
            return Transition(DeliveryStatus.CANCELLED, attempts, notice)
        case ChannelDisabled(channel=channel):
            notice = Notice("delivery.channel_disabled", {"channel": channel})
            return Transition(DeliveryStatus.FAILED, attempts, notice)
        case NoRendition(channel=channel):
            notice = Notice("delivery.no_rendition", {"channel": channel})
            return Transition(DeliveryStatus.FAILED, attempts, notice)
        case Missed(due_at=due_at, late_seconds=late, max_lateness=allowed):
            # Nothing was attempted: the claim's count is taken back.
            notice = Notice(
                "delivery.missed",
                {
                    "due_at": due_at.isoformat(),
                    "late_duration": round(late),
                    "max_lateness_duration": round(allowed),
                },
            )
            return Transition(DeliveryStatus.MISSED, max(0, attempts - 1), notice)
        case SenderStopped(owner=owner, idempotent=True):
            notice = Notice("delivery.sender_stopped_resending", {"process": owner})
            return Transition(
                DeliveryStatus.RETRYING, attempts, notice, next_attempt_at=now
            )
        case SenderStopped(owner=owner):
            notice = Notice("delivery.sender_stopped_check", {"process": owner})
            return Transition(DeliveryStatus.UNKNOWN, attempts, notice)
    raise TypeError(f"decide() expects an Outcome, not {type(outcome).__name__}")
