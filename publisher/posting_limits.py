"""How fast a channel may be sent to: parallel requests and posts per period.

A channel's `concurrency` bounds how many of its deliveries are under way at once
in one dispatcher; its `rate` (`300/3h`) is a token bucket: that many posts at once
at most, refilled evenly over the period. Networks that document a posting limit
get it as the default (`NETWORK_RATES`); config.yaml can set either per channel.
Nothing here knows about the dispatcher or the database, so `config` can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 64
UNLIMITED = "unlimited"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")


@dataclass(frozen=True)
class Rate:
    """At most `count` posts per `seconds`, as a token bucket."""

    count: int
    seconds: float
    text: str

    @property
    def per_second(self) -> float:
        """Tokens the bucket regains each second."""
        return self.count / self.seconds


def parse_rate(value: object) -> Rate | None:
    """`"300/3h"` → Rate(300, 10800); `"unlimited"` → None; ValueError otherwise."""
    if isinstance(value, str) and value.strip() == UNLIMITED:
        return None
    match = _RATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            'expected posts per period such as "300/3h", "20/m" or "1/s" '
            f'(units s, m, h, d), or "{UNLIMITED}"'
        )
    count, times, unit = int(match[1]), int(match[2] or 1), match[3]
    if count < 1 or times < 1:
        raise ValueError("the count and the period must be at least 1")
    return Rate(count, float(times * _UNITS[unit]), f"{count}/{match[2]}{unit}")


def parse_concurrency(value: object) -> int:
    """A whole number from 1 to MAX_CONCURRENCY; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number from 1 to {MAX_CONCURRENCY}")
    if not 1 <= value <= MAX_CONCURRENCY:
        raise ValueError(f"expected a whole number from 1 to {MAX_CONCURRENCY}")
    return value


# Posting limits the networks document, per account or bot, for what one channel
# sends (one post per delivery). A channel's own `rate` replaces them.
NETWORK_RATES: dict[str, str] = {
    # docs.joinmastodon.org/api/rate-limits: "300 statuses per 3 hours".
    "mastodon": "300/3h",
    # docs.bsky.app/docs/advanced-guides/rate-limits: 5,000 points an hour, a
    # created record costs 3.
    "bluesky": "1666/h",
    # core.telegram.org/bots/faq: no more than 20 messages a minute in one group.
    "telegram": "20/m",
    # developers.facebook.com/docs/threads/overview#rate-limiting: 250 API-published
    # posts in 24 hours per profile.
    "threads": "250/24h",
    # developers.facebook.com/docs/instagram-platform/content-publishing: 100
    # API-published posts in a moving 24 hours.
    "instagram": "100/24h",
    # learn.microsoft.com/linkedin/shared/api-guide/concepts/rate-limits: Share on
    # LinkedIn allows 150 requests a day per member.
    "linkedin": "150/24h",
}


def default_rate(adapter: str) -> Rate | None:
    """The documented posting limit of `adapter`'s network, if it has one."""
    text = NETWORK_RATES.get(adapter)
    return parse_rate(text) if text else None


class TokenBucket:
    """`rate.count` tokens at most, regained evenly; one token per post. Time is
    passed in (monotonic seconds), so the bucket is tested without a clock."""

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self.tokens = float(rate.count)
        self.updated = now

    def _refill(self, now: float) -> None:
        gained = (now - self.updated) * self.rate.per_second
        self.tokens = min(float(self.rate.count), self.tokens + max(0.0, gained))
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0 when one is free now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate.per_second

    def take(self, now: float) -> None:
        """Spend one token (call only when `wait` said 0)."""
        self._refill(now)
        self.tokens -= 1
