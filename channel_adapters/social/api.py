"""What the open networks' delivery shares: JSON calls in steps, and what a failure
in each step means.

A post on X, Mastodon or Bluesky takes several requests: a session or an upload
first, then the post (or the posts of a thread). `ApiAdapter.call` makes one request
through `HttpAdapter`'s timeouts, guard and status mapping and returns the JSON body.
Two rules keep the error types honest:

- `prepare(...)`: a step before anything is published (session, image upload, alt
  text). A read timeout there cannot have published the release, so it is a
  RetryableError `social.step_unanswered`, not an unknown outcome.
- `after_first(...)`: once the first post of a thread is out, any later failure is
  an UnknownOutcomeError `social.thread_incomplete` naming what is already public,
  so the dispatcher never sends the beginning of the thread twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests

from ..base import CheckResult, DeliveryError, RetryableError, UnknownOutcomeError
from ..http.base import MESSAGE_LIMIT, host, json_object
from ..notice import Notice
from .base import SocialAdapter

MAX_RATE_WAIT = 24 * 3600.0  # a reset time further away than this is not believed


class ApiAdapter(SocialAdapter):
    """A social adapter whose delivery is a few JSON calls to the network's API."""

    # Keys of an error body holding the remote's own explanation, in order.
    message_keys: tuple[str, ...] = ("message", "error", "detail")

    def api_url(self, path: str) -> str:
        """`path` under the channel's `api_base` (the network's default, or set)."""
        base = (self.settings.api_base or "").rstrip("/")
        return f"{base}/{path.lstrip('/')}"

    def call(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        """One request; the JSON body of a 2xx answer, else the mapped error."""
        self.guard(url)
        try:
            response = requests.request(
                method,
                url,
                headers={"User-Agent": self.user_agent, **(headers or {})},
                timeout=self.settings.timeout,
                allow_redirects=False,
                **kw,
            )
        except requests.RequestException as exc:
            raise self.failure(exc, url) from exc
        try:
            self.result(response, url)
        except RetryableError as exc:
            if exc.retry_after is None:
                exc.retry_after = self.rate_reset(response)
            raise
        return json_object(response)

    def check(self) -> CheckResult:
        """ "Test connection": missing credentials, else a cheap authenticated read."""
        blocker = self.delivery_blocker(self.settings)
        if blocker is not None:
            return CheckResult(ok=False, notice=blocker)
        try:
            return self.verify()
        except DeliveryError as exc:
            return CheckResult(ok=False, notice=exc.notice)

    def verify(self) -> CheckResult:
        """The network's authenticated read (a DeliveryError when it fails)."""
        raise NotImplementedError

    def signed_in(self, account: str) -> CheckResult:
        """A passed check: the network accepted the credentials of `account`."""
        return CheckResult(
            ok=True,
            notice=Notice(
                "check.signed_in", {"network": self.label, "account": account}
            ),
        )

    def rate_reset(self, response: requests.Response) -> float | None:
        """Seconds until the network's rate limit resets, when it says so."""
        return None

    def message(self, response: requests.Response) -> str:
        """The remote's explanation from this network's error body, without secrets."""
        found = error_text(json_object(response), self.message_keys)
        if not found:
            return super().message(response)
        text = self.mask(found)
        if len(text) > MESSAGE_LIMIT:
            text = text[: MESSAGE_LIMIT - 1] + "…"
        return text

    @contextmanager
    def prepare(self, step: str, url: str) -> Iterator[None]:
        """A step before anything is published: an unanswered request is retried."""
        try:
            yield
        except UnknownOutcomeError as exc:
            raise RetryableError(
                Notice(
                    "social.step_unanswered",
                    {"network": self.label, "step": step, "host": host(url)},
                )
            ) from exc

    @contextmanager
    def after_first(self, posted: int, posts: int, first_url: str) -> Iterator[None]:
        """A later post of a thread: any failure leaves the thread half published."""
        try:
            yield
        except DeliveryError as exc:
            if posted == 0:
                raise
            raise UnknownOutcomeError(
                Notice(
                    "social.thread_incomplete",
                    {
                        "network": self.label,
                        "posted": posted,
                        "posts": posts,
                        "url": first_url,
                        "reason": exc.notice.params.get("remote")
                        or exc.notice.params.get("reason")
                        or exc.notice.code,
                    },
                ),
                status=exc.status,
            ) from exc


def error_text(body: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The first non-empty explanation under `keys` (X's `errors[0]` included)."""
    for key in keys:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return str(first.get("message") or first.get("detail") or "").strip()
    return ""


def seconds_until_epoch(value: str) -> float | None:
    """Seconds until a Unix time given as text (X's `x-rate-limit-reset`)."""
    if not value.strip().isdigit():
        return None
    return bounded(float(value) - time.time())


def seconds_until_iso(value: str) -> float | None:
    """Seconds until an ISO 8601 time (Mastodon's `X-RateLimit-Reset`)."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return bounded((moment - datetime.now(UTC)).total_seconds())


def bounded(seconds: float) -> float | None:
    """A wait in seconds, at least 0; None when it is beyond belief."""
    if seconds > MAX_RATE_WAIT:
        return None
    return max(0.0, round(seconds))
