"""Threads (Meta): 500 characters, one hashtag (the post's topic), at most 5 links.

Threads counts characters, except that an emoji counts as many as its UTF-8 bytes
(👍 is 4). Only one hashtag becomes the post's topic, so the release's own first tag
is used, else the organization's.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..base import ReleaseSnapshot, Rendition
from ..notice import Notice
from ..text.counters import HASHTAG_RE, URL_RE, emoji_as_bytes
from .base import SocialAdapter, SocialSettings, with_warnings

MAX_LINKS = 5


class ThreadsSettings(SocialSettings):
    """A Threads profile; its id and token are for delivery, which comes later."""

    api_base: str | None = "https://graph.threads.net"
    user_id: str | None = None
    access_token: SecretStr | None = None  # with threads_content_publish


class ThreadsAdapter(SocialAdapter):
    """A text post on Threads with one topic hashtag."""

    name = "threads"
    label = "Threads"
    Settings = ThreadsSettings
    limit = 500
    counter = staticmethod(emoji_as_bytes)
    max_hashtags = 1
    release_tags_first = True

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn when more than one hashtag is written: only the first is a topic."""
        tags = HASHTAG_RE.findall(rendition.text)
        if len(tags) <= 1:
            return rendition
        return with_warnings(
            rendition, Notice("threads.topic_first_hashtag", {"tag": f"#{tags[0]}"})
        )

    def refusals(self, text: str) -> list[Notice]:
        """Threads refuses a post with more than five links."""
        links = {m.group() for m in URL_RE.finditer(text)}
        if len(links) > MAX_LINKS:
            params = {"count": len(links), "most": MAX_LINKS}
            return [Notice("threads.too_many_links", params)]
        return []
