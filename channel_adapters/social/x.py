"""X (formerly Twitter): 280 weighted characters, counted as twitter-text counts them.

A URL counts 23 whatever its length (X shortens it to t.co), an emoji or a CJK
character 2, Latin and Indonesian text 1. Long releases may go out as a numbered
thread (`thread: true`).

Delivery uses the X API v2 with an OAuth 2.0 user-context token (scopes
`tweet.write`, `users.read`, `media.write`, `offline.access`): the lead image is
uploaded with `POST /2/media/upload` (multipart, `media_category=tweet_image`), its
alt text set with `POST /2/media/metadata`, then `POST /2/tweets` posts the text
with `media.media_ids`; the posts of a thread follow as replies
(`reply.in_reply_to_tweet_id`). `check` reads `GET /2/users/me`.
"""

from __future__ import annotations

import requests
from pydantic import SecretStr

from ..base import (
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    Rendition,
)
from ..text.counters import x_weighted
from .api import ApiAdapter, seconds_until_epoch
from .base import ThreadSettings, lead_image, unlinked, with_warnings

MAX_ALT = 1_000  # X's limit for an image description
POST_URL = "https://x.com/i/web/status/{id}"


class XSettings(ThreadSettings):
    """An X account: the API and an OAuth 2.0 user token allowed to post."""

    api_base: str | None = "https://api.x.com"
    access_token: SecretStr | None = None  # OAuth 2.0 user token with tweet.write


class XAdapter(ApiAdapter):
    """A post (or a numbered thread) on X: headline, lead, link, hashtags."""

    name = "x"
    label = "X"
    Settings = XSettings
    limit = 280
    counter = staticmethod(x_weighted)
    unit = "weighted_characters"
    supports_threads = True
    can_deliver = True
    credentials = ("access_token",)
    image_purpose = "x"
    message_keys = ("detail", "title", "message", "error")

    settings: XSettings

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn when X would not see the public address as a link."""
        return with_warnings(rendition, *unlinked(self.label, release, rendition.text))

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Upload the lead image with its alt text, then post (and reply) in order."""
        media_id = self._upload_image(rendition)
        posts = self.parts(rendition.text)
        first_id, reply_to = "", ""
        for number, text in enumerate(posts):
            body: dict = {"text": text}
            if number == 0 and media_id:
                body["media"] = {"media_ids": [media_id]}
            if reply_to:
                body["reply"] = {"in_reply_to_tweet_id": reply_to}
            url = self.api_url("/2/tweets")
            first_url = POST_URL.format(id=first_id) if first_id else ""
            with self.after_first(number, len(posts), first_url):
                answer = self.call("POST", url, json=body, headers=self._auth())
            reply_to = str((answer.get("data") or {}).get("id") or "")
            first_id = first_id or reply_to
        return DeliveryResult(
            remote_id=first_id,
            remote_url=POST_URL.format(id=first_id) if first_id else "",
            detail=f"X: {len(posts)} post(s)",
        )

    def verify(self) -> CheckResult:
        """`GET /2/users/me`: is the token valid, and whose is it?"""
        url = self.api_url("/2/users/me")
        answer = self.call("GET", url, headers=self._auth())
        user = (answer.get("data") or {}).get("username", "")
        return self.signed_in(f"@{user}")

    def rate_reset(self, response: requests.Response) -> float | None:
        """X says when its window resets in `x-rate-limit-reset` (Unix seconds)."""
        return seconds_until_epoch(response.headers.get("x-rate-limit-reset", ""))

    def _auth(self) -> dict[str, str]:
        """The bearer header of the user token."""
        token = self.settings.access_token
        return {"Authorization": f"Bearer {token.get_secret_value() if token else ''}"}

    def _upload_image(self, rendition: Rendition) -> str:
        """The media id of the uploaded lead image with its alt text ('' if none)."""
        image = lead_image(rendition)
        if image is None:
            return ""
        url = self.api_url("/2/media/upload")
        with self.prepare("media_upload", url):
            answer = self.call(
                "POST",
                url,
                headers=self._auth(),
                data={"media_category": "tweet_image", "media_type": image.media_type},
                files={"media": (image.name, image.data, image.media_type)},
            )
        media_id = str((answer.get("data") or {}).get("id") or "")
        if image.alt.strip() and media_id:
            url = self.api_url("/2/media/metadata")
            body = {
                "id": media_id,
                "metadata": {"alt_text": {"text": image.alt[:MAX_ALT]}},
            }
            with self.prepare("media_metadata", url):
                self.call("POST", url, json=body, headers=self._auth())
        return media_id
