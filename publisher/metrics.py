"""Numbers for Prometheus, in its text exposition format (version 0.0.4).

Written by hand rather than with prometheus_client: the delivery numbers are read
from the database at scrape time (so every web worker gives the same, exact
answer, which the client library's registries cannot do across processes without
its multiprocess mode and a shared folder), and the two counters kept in memory
need no more than a lock. The format is a dozen lines.

- `publisher_deliveries{state, channel}`: deliveries now in each state (database);
- `publisher_dispatch_lateness_seconds`: histogram of sent_at − planned_at of every
  sent delivery (database);
- `publisher_feed_requests_total{feed}` and `publisher_sign_in_failures_total`:
  counted in this process since it started (see docs/deployment.md on workers).
"""

from __future__ import annotations

import threading
from collections import Counter as _Tally
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Delivery, DeliveryStatus

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENESS_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0)


class Counter:
    """A monotonic in-process counter with optional label values."""

    def __init__(
        self,
        name: str,
        help_text: str,
        label: str | None = None,
        known: tuple[str, ...] = ("",),
    ) -> None:
        self.name, self.help, self.label = name, help_text, label
        self._values: _Tally[str] = _Tally(dict.fromkeys(known, 0))
        self._lock = threading.Lock()

    def inc(self, label_value: str = "") -> None:
        """Add one (to the series of `label_value`)."""
        with self._lock:
            self._values[label_value] += 1

    def value(self, label_value: str = "") -> int:
        """The current count."""
        with self._lock:
            return self._values[label_value]

    def lines(self) -> list[str]:
        """The counter in exposition format."""
        with self._lock:
            values = dict(self._values)
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        for label_value, count in sorted(values.items()):
            labels = _labels({self.label: label_value}) if self.label else ""
            out.append(f"{self.name}{labels} {count}")
        return out


FEED_REQUESTS = Counter(
    "publisher_feed_requests_total",
    "Feed requests answered by this process (200 and 304).",
    label="feed",
    known=("rss", "atom", "json"),
)
SIGN_IN_FAILURES = Counter(
    "publisher_sign_in_failures_total",
    "Failed sign-ins (wrong user name or password) in this process.",
)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in pairs.items())
    return "{" + inner + "}"


def _number(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


def delivery_lines(session: Session) -> list[str]:
    """Deliveries by state and channel; every state shown, zero included."""
    rows = session.execute(
        select(Delivery.status, Delivery.channel, func.count()).group_by(
            Delivery.status, Delivery.channel
        )
    ).all()
    counts = {(str(s), c): n for s, c, n in rows}
    channels = sorted({c for _, c in counts})
    name = "publisher_deliveries"
    out = [
        f"# HELP {name} Deliveries now in each state, by channel.",
        f"# TYPE {name} gauge",
    ]
    for state in DeliveryStatus:
        for channel in channels:
            n = counts.get((state.value, channel), 0)
            out.append(
                f"{name}{_labels({'state': state.value, 'channel': channel})} {n}"
            )
    return out


def lateness_lines(session: Session) -> list[str]:
    """Histogram of how late sent deliveries went out (negative counts as 0)."""
    rows = session.execute(
        select(Delivery.planned_at, Delivery.sent_at).where(
            Delivery.status == DeliveryStatus.SENT, Delivery.sent_at.is_not(None)
        )
    ).all()
    return histogram_lines(
        "publisher_dispatch_lateness_seconds",
        "Seconds from planned_at to sent_at of sent deliveries.",
        (max((sent - planned).total_seconds(), 0.0) for planned, sent in rows),
        LATENESS_BUCKETS,
    )


def histogram_lines(
    name: str, help_text: str, values: Iterable[float], buckets: tuple[float, ...]
) -> list[str]:
    """A Prometheus histogram of `values`: cumulative buckets, sum and count."""
    observed = sorted(values)
    out = [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
    for bound in buckets:
        below = sum(1 for v in observed if v <= bound)
        out.append(f'{name}_bucket{{le="{_number(bound)}"}} {below}')
    out.append(f'{name}_bucket{{le="+Inf"}} {len(observed)}')
    out.append(f"{name}_sum {_number(round(sum(observed), 6))}")
    out.append(f"{name}_count {len(observed)}")
    return out


def exposition(session: Session) -> str:
    """Every metric, as the body of a /metrics answer."""
    lines = [
        *delivery_lines(session),
        *lateness_lines(session),
        *FEED_REQUESTS.lines(),
        *SIGN_IN_FAILURES.lines(),
    ]
    return "\n".join(lines) + "\n"
