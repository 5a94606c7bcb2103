"""The channels an administrator sees: what each is, whether it can send, and a
"test connection" that calls the adapter's `check()` without ever hanging a page.

A check runs in a thread of its own and is waited for at most as long as the
adapter's own HTTP timeouts allow (connect + read, plus a little), so an adapter
that hangs or raises becomes a notice (`check.timed_out`, `check.crashed`), never
a stuck request or a 500. One channel is checked at most once every
`CHECK_INTERVAL` seconds per process, so the button cannot be used to hammer a
partner's API.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from channel_adapters.base import CheckResult
from channel_adapters.http.base import HttpSettings
from channel_adapters.notice import Notice

from ..config import ChannelConfig, Config
from ..models import Role, User
from .errors import NotFound, PermissionDenied, ServiceError

log = logging.getLogger(__name__)

CHECK_INTERVAL = 10.0  # seconds between two checks of one channel
# How long a check of an adapter without HTTP timeouts (SMTP, files) may take.
DEFAULT_CHECK_SECONDS = 20.0
MARGIN_SECONDS = 2.0  # past the adapter's own timeouts: DNS, TLS, our own work


class TooSoon(ServiceError):
    """The channel was checked a moment ago."""

    status = 429
    error = "too_many_requests"


@dataclass(frozen=True)
class ChannelState:
    """One configured channel as the channels page shows it."""

    name: str
    label: str
    adapter: str
    adapter_label: str
    enabled: bool
    # Why it cannot send (render-only adapter, missing credentials); None: it can.
    blocker: Notice | None
    max_lateness: float


def require_admin(actor: User) -> None:
    """Only administrators see and test channels (PermissionDenied otherwise)."""
    if not actor.can(Role.ADMIN):
        raise PermissionDenied("channel.admin_only")


def overview(config: Config) -> list[ChannelState]:
    """Every configured channel, in config.yaml's order, enabled or not."""
    return [_state(channel) for channel in config.channels.values()]


def _state(channel: ChannelConfig) -> ChannelState:
    adapter = channel.adapter_class
    return ChannelState(
        name=channel.name,
        label=channel.label,
        adapter=adapter.name,
        adapter_label=adapter.label,
        enabled=channel.enabled,
        blocker=channel.blocker,
        max_lateness=channel.max_lateness,
    )


class CheckGate:
    """Lets one check of a channel through every `interval` seconds (per process)."""

    def __init__(
        self,
        interval: float = CHECK_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def admit(self, channel: str) -> None:
        """Let a check of `channel` start now, or raise TooSoon with the wait."""
        with self._lock:
            now = self.clock()
            last = self._last.get(channel)
            if last is not None and now - last < self.interval:
                wait = ceil(self.interval - (now - last))
                raise TooSoon("check.too_soon", channel=channel, seconds=wait)
            self._last[channel] = now


def time_limit(channel: ChannelConfig) -> float:
    """How long a check of `channel` may take: its HTTP timeouts plus a margin."""
    settings = channel.settings
    if isinstance(settings, HttpSettings):
        connect, read = settings.timeout
        return connect + read + MARGIN_SECONDS
    return DEFAULT_CHECK_SECONDS


def check(
    config: Config, actor: User, name: str, gate: CheckGate
) -> tuple[ChannelState, CheckResult]:
    """Test the connection of channel `name`; the channel and what the check found.

    Whatever the adapter does (answers, raises, hangs), the answer is a
    `CheckResult` within `time_limit`.
    """
    require_admin(actor)
    channel = config.channels.get(name)
    if channel is None:
        raise NotFound("channel.not_found", channel=name)
    gate.admit(name)
    return _state(channel), run_check(config, channel)


def run_check(config: Config, channel: ChannelConfig) -> CheckResult:
    """Call the adapter's `check()` in a thread and wait at most `time_limit`."""
    limit = time_limit(channel)
    outcome: list[CheckResult] = []

    def attempt() -> None:
        try:
            found = config.adapter(channel.name).check()
            if not isinstance(found, CheckResult):
                raise TypeError(f"check() returned {type(found).__name__}")
        except Exception as exc:  # noqa: BLE001 - any adapter bug becomes a notice
            log.exception("checking channel %s failed", channel.name)
            found = CheckResult(
                ok=False,
                notice=Notice(
                    "check.crashed",
                    {"adapter": channel.adapter, "error": type(exc).__name__},
                ),
            )
        outcome.append(found)

    worker = threading.Thread(target=attempt, name=f"check-{channel.name}", daemon=True)
    worker.start()
    worker.join(limit)
    if not outcome:
        log.warning("checking channel %s took longer than %ss", channel.name, limit)
        return CheckResult(
            ok=False, notice=Notice("check.timed_out", {"seconds": round(limit)})
        )
    return outcome[0]
