"""One lane per channel in front of one shared pool of sending threads.

A delivery that comes due joins its channel's lane. A lane hands a delivery to the
pool only while fewer than the channel's `concurrency` are under way, its token
bucket (`rate`) has a token and no pause (a partner's 429 + Retry-After) is running;
otherwise the delivery waits in the lane, holding no thread. So a network that is
slow, hangs or says "too many" holds back its own channel and nothing else, and the
pool (`dispatcher.max_workers`) caps the threads of the whole process.

A lane only orders work inside this process: the claim in `claims` still decides
which process sends a row, so a delivery waiting here may be sent by another.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..posting_limits import DEFAULT_CONCURRENCY, Rate, TokenBucket

log = logging.getLogger(__name__)


@dataclass
class Lane:
    """A channel's waiting deliveries and what it may start now."""

    channel: str
    concurrency: int
    bucket: TokenBucket | None
    waiting: deque[int] = field(default_factory=deque)
    running: int = 0
    max_running: int = 0
    paused_until: float = 0.0
    timer: threading.Timer | None = None


class Lanes:
    """Per-channel lanes feeding one thread pool; `run(delivery_id)` sends one."""

    def __init__(
        self,
        run: Callable[[int], object],
        *,
        max_workers: int,
        limits: dict[str, tuple[int, Rate | None]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run = run
        self._clock = clock
        self._limits = limits
        self._lanes: dict[str, Lane] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="deliver")

    def lane(self, channel: str) -> Lane:
        """The lane of `channel`, made on first use."""
        with self._lock:
            return self._lane(channel)

    def _lane(self, channel: str) -> Lane:
        found = self._lanes.get(channel)
        if found is None:
            concurrency, rate = self._limits.get(channel, (DEFAULT_CONCURRENCY, None))
            bucket = TokenBucket(rate, self._clock()) if rate else None
            found = self._lanes[channel] = Lane(channel, concurrency, bucket)
        return found

    def submit(self, channel: str, delivery_id: int) -> None:
        """`delivery_id` is due: send it as soon as its channel may."""
        with self._lock:
            if self._closed:
                return
            lane = self._lane(channel)
            lane.waiting.append(delivery_id)
            self._pump(lane)

    def pause(self, channel: str, seconds: float) -> None:
        """Start nothing more on `channel` for `seconds` (the partner said so)."""
        with self._lock:
            lane = self._lane(channel)
            lane.paused_until = max(lane.paused_until, self._clock() + seconds)
            log.warning("channel %s paused for %.0f s", channel, seconds)

    def poke(self) -> None:
        """Look at every lane again (after the clock moved, in tests)."""
        with self._lock:
            for lane in self._lanes.values():
                self._pump(lane)

    def shutdown(self, wait: bool = True) -> None:
        """Start nothing more; with `wait`, let deliveries under way finish. The
        waiting ones were never claimed: the next dispatcher finds them due."""
        with self._lock:
            self._closed = True
            for lane in self._lanes.values():
                lane.waiting.clear()
                if lane.timer is not None:
                    lane.timer.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=True)

    # --- inside the lock ----------------------------------------------------------

    def _pump(self, lane: Lane) -> None:
        """Start what `lane` may start now; set a timer for what must wait."""
        while lane.waiting and lane.running < lane.concurrency and not self._closed:
            now = self._clock()
            wait = lane.paused_until - now
            if lane.bucket is not None and wait <= 0:
                wait = lane.bucket.wait(now)
            if wait > 0:
                self._wake_later(lane, wait)
                return
            if lane.bucket is not None:
                lane.bucket.take(now)
            delivery_id = lane.waiting.popleft()
            lane.running += 1
            lane.max_running = max(lane.max_running, lane.running)
            self._pool.submit(self._send, lane, delivery_id)

    def _wake_later(self, lane: Lane, seconds: float) -> None:
        if lane.timer is not None and lane.timer.is_alive():
            return
        lane.timer = threading.Timer(seconds, self._woken, args=[lane])
        lane.timer.daemon = True
        lane.timer.start()

    # --- on pool and timer threads ------------------------------------------------

    def _woken(self, lane: Lane) -> None:
        with self._lock:
            lane.timer = None
            self._pump(lane)

    def _send(self, lane: Lane, delivery_id: int) -> None:
        try:
            self._run(delivery_id)
        except Exception:  # noqa: BLE001 - one delivery's failure frees its slot too
            log.exception("sending delivery %s failed", delivery_id)
        finally:
            with self._lock:
                lane.running -= 1
                self._pump(lane)
