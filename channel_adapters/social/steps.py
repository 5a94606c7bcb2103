"""Posts made in several HTTP steps: prepare (upload, container), publish, look up.

`HttpAdapter.send` maps one request's outcome. A network that posts in steps needs
the answers of the earlier steps and an honest mapping of each step's failure:

- a *preparing* step (an image upload, a media container) publishes nothing, so
  even a timeout after sending is worth retrying: RetryableError
  `social.prepare_unanswered` {host, reason};
- the *publishing* step keeps `HttpAdapter`'s mapping: a timeout after sending is
  UnknownOutcomeError, because the post may be live;
- a *look-up* after publishing (the permalink) must never fail the delivery: the
  post is out, so a failed look-up gives an empty answer and the caller falls back.
"""

from __future__ import annotations

from typing import Any

import requests

from ..base import DeliveryError, RetryableError, UnknownOutcomeError
from ..http.base import host, json_object
from ..notice import Notice
from .base import SocialAdapter


class StepAdapter(SocialAdapter):
    """A social network whose post takes more than one request."""

    def exchange(
        self,
        method: str,
        url: str,
        *,
        prepares: bool = False,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> requests.Response:
        """Make one step's request; its 2xx response, or the mapped DeliveryError.

        `prepares`: the step publishes nothing, so an answer lost after sending is
        retried instead of being reported as a possible post.
        """
        self.guard(url)
        try:
            response = requests.request(
                method,
                url,
                headers={
                    "User-Agent": self.user_agent,
                    **self.auth_headers(),
                    **(headers or {}),
                },
                timeout=self.settings.timeout,
                allow_redirects=False,
                **kw,
            )
        except requests.RequestException as exc:
            raise self._step_failure(exc, url, prepares) from exc
        if not 200 <= response.status_code < 300:
            self.result(response, url)  # raises the matching error
        return response

    def call(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        """`exchange`, and the answer's JSON object."""
        return json_object(self.exchange(method, url, **kw))

    def look_up(self, url: str, **kw: Any) -> dict[str, Any]:
        """A read after publishing: its JSON, or {} on any failure (the post is out)."""
        try:
            return self.call("GET", url, **kw)
        except DeliveryError:
            return {}

    def auth_headers(self) -> dict[str, str]:
        """Headers that authenticate every request (a bearer token by default)."""
        return {}

    def _step_failure(
        self, exc: requests.RequestException, url: str, prepares: bool
    ) -> DeliveryError:
        """`HttpAdapter.failure`, except that a preparing step is always retried."""
        error = self.failure(exc, url)
        if prepares and isinstance(error, UnknownOutcomeError):
            reason = (
                "timeout"
                if isinstance(exc, requests.ReadTimeout)
                else (type(exc).__name__)
            )
            return RetryableError(
                Notice(
                    "social.prepare_unanswered", {"host": host(url), "reason": reason}
                )
            )
        return error
