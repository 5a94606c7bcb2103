"""X (formerly Twitter): 280 weighted characters, counted as twitter-text counts them.

A URL counts 23 whatever its length (X shortens it to t.co), an emoji or a CJK
character 2, Latin and Indonesian text 1. Long releases may go out as a numbered
thread (`thread: true`).
"""

from __future__ import annotations

from pydantic import SecretStr

from ..base import ReleaseSnapshot, Rendition
from ..text.counters import x_weighted
from .base import SocialAdapter, ThreadSettings, unlinked, with_warnings


class XSettings(ThreadSettings):
    """An X account; the token is for delivery, which comes later."""

    api_base: str | None = "https://api.x.com/2"
    access_token: SecretStr | None = None  # OAuth 2.0 user token with tweet.write


class XAdapter(SocialAdapter):
    """A post (or a numbered thread) on X: headline, lead, link, hashtags."""

    name = "x"
    label = "X"
    Settings = XSettings
    limit = 280
    counter = staticmethod(x_weighted)
    unit = "weighted_characters"
    supports_threads = True

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn when X would not see the public address as a link."""
        return with_warnings(rendition, *unlinked(self.label, release, rendition.text))
