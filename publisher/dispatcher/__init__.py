"""The dispatcher: APScheduler is the clock, the deliveries table is the truth.

- `loop`: the `Dispatcher` (scheduler, sweep, wake signal, heartbeat) that plans a
  one-off job per delivery due soon and runs it;
- `claims`: the database side: the conditional UPDATE that wins a row, its lease,
  the guards before sending, storing an outcome, and the reaper;
- `decision`: `decide(delivery, outcome, settings, now)`, the pure function that
  chooses the next status, retry time (backoff) and notice after every attempt.
"""

from __future__ import annotations

from .claims import Claim
from .decision import Transition, backoff, decide
from .loop import Dispatcher, heartbeats

__all__ = ["Claim", "Dispatcher", "Transition", "backoff", "decide", "heartbeats"]
