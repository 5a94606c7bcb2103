"""decide(): every outcome of an attempt to the delivery's next state, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from channel_adapters.base import (
    DeliveryError,
    DeliveryResult,
    PermanentError,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.notice import Notice
from publisher.config import DispatcherConfig
from publisher.dispatcher import Transition, backoff, decide
from publisher.dispatcher.decision import (
    ChannelDisabled,
    Crash,
    Held,
    Missed,
    NoRendition,
    NotApproved,
    SenderStopped,
    lateness,
)
from publisher.models import DeliveryStatus as S

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
EMBARGO = NOW + timedelta(hours=2)
SETTINGS = DispatcherConfig(
    max_attempts=4, retry_base_seconds=30, retry_max_seconds=600
)
HOST = "mitra.example"
REFUSED = Notice(
    "delivery.remote_refused",
    {"host": HOST, "status": 422, "remote": "judul terlalu panjang"},
)
BUSY = Notice(
    "delivery.remote_unavailable",
    {"host": HOST, "status": 503, "remote": "maintenance"},
)
TIMEOUT = Notice("delivery.timeout_after_send", {"host": HOST, "seconds": 15})


@dataclass
class Row:
    """A delivery as decide() reads it: attempts so far, this one included."""

    attempts: int


def later(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


CASES = {
    "sent": (1, DeliveryResult("42"), Transition(S.SENT, 1)),
    "retryable, first attempt": (
        1,
        RetryableError(BUSY),
        Transition(S.RETRYING, 1, BUSY, later(30)),
    ),
    "retryable, below max attempts": (
        3,
        RetryableError(BUSY),
        Transition(S.RETRYING, 3, BUSY, later(120)),
    ),
    "retryable, at max attempts: gives up, keeps the cause": (
        4,
        RetryableError(BUSY),
        Transition(S.FAILED, 4, BUSY),
    ),
    "retry-after within the cap is honoured": (
        1,
        RetryableError(BUSY, retry_after=90),
        Transition(S.RETRYING, 1, BUSY, later(90)),
    ),
    "retry-after larger than the cap is capped": (
        1,
        RetryableError(BUSY, retry_after=999_999),
        Transition(S.RETRYING, 1, BUSY, later(600)),
    ),
    "retry-after zero means now": (
        2,
        RetryableError(BUSY, retry_after=0),
        Transition(S.RETRYING, 2, BUSY, NOW),
    ),
    "permanent: the remote's message as given": (
        1,
        PermanentError(REFUSED, status=422),
        Transition(S.FAILED, 1, REFUSED),
    ),
    "unknown outcome: a human checks": (
        1,
        UnknownOutcomeError(TIMEOUT),
        Transition(S.UNKNOWN, 1, TIMEOUT),
    ),
    "a bare DeliveryError is a failure": (
        1,
        DeliveryError(REFUSED),
        Transition(S.FAILED, 1, REFUSED),
    ),
    "adapter crash: our internal error, not a refusal": (
        1,
        Crash("webhook", "KeyError"),
        Transition(
            S.FAILED,
            1,
            Notice(
                "delivery.internal_error", {"adapter": "webhook", "error": "KeyError"}
            ),
        ),
    ),
    "embargo: held, the attempt is not counted": (
        1,
        Held(EMBARGO),
        Transition(S.SCHEDULED, 0, None, EMBARGO),
    ),
    "no longer approved in this revision": (
        1,
        NotApproved(),
        Transition(S.CANCELLED, 1, Notice("delivery.not_approved")),
    ),
    "channel disabled": (
        1,
        ChannelDisabled("situs_web"),
        Transition(
            S.FAILED, 1, Notice("delivery.channel_disabled", {"channel": "situs_web"})
        ),
    ),
    "no frozen rendition": (
        1,
        NoRendition("radio"),
        Transition(S.FAILED, 1, Notice("delivery.no_rendition", {"channel": "radio"})),
    ),
    "came due too late: missed, not sent, the attempt is not counted": (
        1,
        Missed(NOW - timedelta(hours=7), 7 * 3600, 6 * 3600),
        Transition(
            S.MISSED,
            0,
            Notice(
                "delivery.missed",
                {
                    "due_at": (NOW - timedelta(hours=7)).isoformat(),
                    "late_duration": 7 * 3600,
                    "max_lateness_duration": 6 * 3600,
                },
            ),
        ),
    ),
    "sender died, idempotent adapter: again, now": (
        2,
        SenderStopped("mati:1", idempotent=True),
        Transition(
            S.RETRYING,
            2,
            Notice("delivery.sender_stopped_resending", {"process": "mati:1"}),
            NOW,
        ),
    ),
    "sender died, other adapter: a human checks": (
        2,
        SenderStopped("mati:1", idempotent=False),
        Transition(
            S.UNKNOWN,
            2,
            Notice("delivery.sender_stopped_check", {"process": "mati:1"}),
        ),
    ),
}


@pytest.mark.parametrize(
    ("attempts", "outcome", "expected"), CASES.values(), ids=CASES.keys()
)
def test_decide(attempts, outcome, expected):
    assert decide(Row(attempts), outcome, SETTINGS, NOW) == expected


def test_the_backoff_series_doubles_from_the_base_up_to_the_cap():
    defaults = DispatcherConfig()
    assert [backoff(n, defaults) for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_held_and_retrying_are_audited_as_what_they_are():
    assert decide(Row(1), Held(EMBARGO), SETTINGS, NOW).action == (
        "delivery.held_for_embargo"
    )
    assert decide(Row(1), RetryableError(BUSY), SETTINGS, NOW).action == (
        "delivery.retrying"
    )


def test_anything_else_is_a_programming_error():
    with pytest.raises(TypeError, match="Outcome"):
        decide(Row(1), ValueError("?"), SETTINGS, NOW)  # type: ignore[arg-type]


SIX_HOURS = 6 * 3600.0


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (NOW, None),
        (NOW + timedelta(minutes=5), None),  # not even due: never "missed"
        (NOW - timedelta(hours=6), None),  # exactly at the limit: still sent
        (
            NOW - timedelta(hours=6, seconds=1),
            Missed(NOW - timedelta(hours=6, seconds=1), SIX_HOURS + 1, SIX_HOURS),
        ),
        (
            NOW - timedelta(hours=7),
            Missed(NOW - timedelta(hours=7), 7 * 3600.0, SIX_HOURS),
        ),
    ],
    ids=["on time", "early", "at the limit", "a second past", "seven hours late"],
)
def test_lateness_beyond_the_channels_limit_is_missed(due, expected):
    assert lateness(due, NOW, SIX_HOURS) == expected


def test_missed_is_audited_as_missed():
    missed = Missed(NOW - timedelta(hours=7), 7 * 3600, SIX_HOURS)
    assert decide(Row(1), missed, SETTINGS, NOW).action == "delivery.missed"
