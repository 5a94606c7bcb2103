"""Mastodon: 500 characters by default, more on instances that allow it.

Mastodon counts user-perceived characters (grapheme clusters); every link with a
protocol counts 23 whatever its length. The limit is the instance's
`configuration.statuses.max_characters`; set it as `max_characters`. Long releases
may go out as a numbered thread (`thread: true`).
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from ..base import ReleaseSnapshot, Rendition
from ..text.counters import graphemes
from .base import SocialAdapter, ThreadSettings, unlinked, with_warnings


class MastodonSettings(ThreadSettings):
    """A Mastodon account on one instance; the token is for delivery, later."""

    api_base: str | None = None  # the instance, e.g. https://mastodon.social
    access_token: SecretStr | None = None  # application token with write:statuses
    max_characters: int = Field(default=500, ge=1)  # the instance's post limit


class MastodonAdapter(SocialAdapter):
    """A status (or a numbered thread) on a Mastodon instance."""

    name = "mastodon"
    label = "Mastodon"
    Settings = MastodonSettings
    limit = 500
    counter = staticmethod(graphemes)
    link_weight = 23
    supports_threads = True

    settings: MastodonSettings

    def channel_limit(self) -> int:
        """The instance's own limit (`max_characters`)."""
        return self.settings.max_characters

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn when Mastodon would not see the public address as a link."""
        return with_warnings(rendition, *unlinked(self.label, release, rendition.text))
