"""Bluesky: 300 graphemes and 3,000 bytes; links and hashtags marked as facets.

Bluesky makes nothing a link by itself: the client sends, with the text, "facets"
marking each link and hashtag by UTF-8 byte offsets. `post.json` holds the records
to create, without `createdAt` (set when sent)::

    {"posts": [{"$type": "app.bsky.feed.post", "text": "…", "langs": ["id"],
                "facets": [{"index": {"byteStart": 98, "byteEnd": 165},
                            "features": [{"$type": "app.bsky.richtext.facet#link",
                                          "uri": "https://…"}]}, …],
                "embed": {"$type": "app.bsky.embed.external", "external": {…}}}]}

The first record carries a link card for the public page. A thread (`thread: true`)
is several records, each sent as a reply to the one before.
"""

from __future__ import annotations

import json
from dataclasses import replace

from pydantic import SecretStr

from ..base import ReleaseSnapshot, Rendition, RenditionFile
from ..notice import Notice
from ..text.counters import HASHTAG_RE, URL_RE, graphemes
from .base import SocialAdapter, ThreadSettings

POST = "post.json"
LINK = "app.bsky.richtext.facet#link"
TAG = "app.bsky.richtext.facet#tag"
MAX_TAG_GRAPHEMES = 64


class BlueskySettings(ThreadSettings):
    """A Bluesky account; handle and app password are for delivery, later."""

    api_base: str | None = "https://bsky.social"  # the account's PDS
    handle: str | None = None  # e.g. diskominfos.baliprov.go.id
    app_password: SecretStr | None = None


class BlueskyAdapter(SocialAdapter):
    """A post (or a numbered thread) with link and hashtag facets."""

    name = "bluesky"
    label = "Bluesky"
    Settings = BlueskySettings
    limit = 300
    max_bytes = 3_000
    counter = staticmethod(graphemes)
    unit = "graphemes"
    supports_threads = True

    def excess(self, post: str) -> Notice | None:
        """Too many graphemes, or too many bytes (long emoji sequences, scripts)."""
        too_long = super().excess(post)
        size = len(post.encode())
        if too_long is None and size > self.max_bytes:
            return self.too_long(size, self.max_bytes, "bytes")
        return too_long

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Attach the records to create, facets and link card included."""
        records = [
            {
                "$type": "app.bsky.feed.post",
                "text": post,
                "langs": [release.language],
                "facets": facets(post),
            }
            for post in posts
        ]
        link = release.public_url.strip()
        if link:
            records[0]["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {
                    "uri": link,
                    "title": release.title,
                    "description": release.lead,
                },
            }
        data = json.dumps(
            {"posts": records}, ensure_ascii=False, indent=2, sort_keys=True
        )
        file = RenditionFile(POST, "application/json", data.encode())
        return replace(rendition, files=(file,))


def facets(text: str) -> list[dict]:
    """Link and hashtag facets of `text`, by UTF-8 byte offsets, in text order."""
    found = [
        (m.start(), m.end(), {"$type": LINK, "uri": m.group()})
        for m in URL_RE.finditer(text)
    ]
    found += [
        (m.start(), m.end(), {"$type": TAG, "tag": m.group(1)})
        for m in HASHTAG_RE.finditer(text)
        if graphemes(m.group(1)) <= MAX_TAG_GRAPHEMES and not m.group(1).isdigit()
    ]
    return [
        {
            "index": {
                "byteStart": len(text[:start].encode()),
                "byteEnd": len(text[:end].encode()),
            },
            "features": [feature],
        }
        for start, end, feature in sorted(found, key=lambda f: f[0])
    ]
