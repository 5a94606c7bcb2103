"""Mastodon: 500 characters by default, more on instances that allow it.

Mastodon counts as its own server does (StatusLengthValidator): user-perceived
characters (grapheme clusters), every link with a protocol as 23 whatever its
length, and a remote mention `@user@domain` as `@user` only. The limit is the
instance's `configuration.statuses.max_characters`; set it as `max_characters`.
Long releases may go out as a numbered thread (`thread: true`).

Delivery: the lead image is uploaded with `POST /api/v2/media` (multipart, the alt
text as `description`); a 202 means it is still being processed, so
`GET /api/v1/media/:id` is polled (a few times) until it has a `url`. Then
`POST /api/v1/statuses` with `media_ids[]`, `language` and an `Idempotency-Key`
that is the same on every attempt of the same delivery (one per post of a thread),
so a retry after a lost answer returns the status already made instead of a second
one; the posts of a thread reply with `in_reply_to_id`. `check` reads
`GET /api/v1/accounts/verify_credentials`.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import replace

import requests
from pydantic import Field, SecretStr

from ..base import (
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    Rendition,
    RenditionFile,
    RetryableError,
)
from ..notice import Notice
from ..text.counters import mastodon_length
from ..text.language import language_of
from .api import ApiAdapter, seconds_until_iso
from .base import ThreadSettings, lead_image, unlinked, with_warnings

PAYLOAD = "status.json"  # what the status says besides its text: {"language": "id"}
MEDIA_POLLS = 10  # how often a media still being processed is asked about
MAX_DESCRIPTION = 1_500  # Mastodon's limit for a media description


class MastodonSettings(ThreadSettings):
    """A Mastodon account on one instance and its application token."""

    api_base: str | None = None  # the instance, e.g. https://mastodon.social
    access_token: SecretStr | None = None  # token with write:statuses write:media
    max_characters: int = Field(default=500, ge=1)  # the instance's post limit
    media_poll_seconds: float = Field(default=1.0, ge=0)  # between media checks


class MastodonAdapter(ApiAdapter):
    """A status (or a numbered thread) on a Mastodon instance."""

    name = "mastodon"
    label = "Mastodon"
    Settings = MastodonSettings
    limit = 500
    counter = staticmethod(mastodon_length)
    supports_threads = True
    can_deliver = True
    credentials = ("api_base", "access_token")
    image_purpose = "web"
    message_keys = ("error", "error_description", "message")

    settings: MastodonSettings

    def channel_limit(self) -> int:
        """The instance's own limit (`max_characters`)."""
        return self.settings.max_characters

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """The status's language in `status.json`; a warning if a link is unseen."""
        data = json.dumps({"language": language_of(release.language)}, sort_keys=True)
        file = RenditionFile(PAYLOAD, "application/json", data.encode())
        rendition = replace(rendition, files=(*rendition.files, file))
        return with_warnings(rendition, *unlinked(self.label, release, rendition.text))

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Upload the image, then post each status with a stable Idempotency-Key."""
        media_id = self._upload_image(rendition)
        posts = self.parts(rendition.text)
        language = self._language(rendition)
        first: dict = {}
        reply_to = ""
        for number, text in enumerate(posts):
            fields: list[tuple[str, str]] = [("status", text)]
            if language:
                fields.append(("language", language))
            if number == 0 and media_id:
                fields.append(("media_ids[]", media_id))
            if reply_to:
                fields.append(("in_reply_to_id", reply_to))
            headers = {
                **self._auth(),
                "Idempotency-Key": post_key(idempotency_key, number),
            }
            url = self.api_url("/api/v1/statuses")
            # A resent status is de-duplicated by its key, so a failure after the
            # first post stays retryable (Mastodon keeps keys for an hour).
            answer = self.call("POST", url, data=fields, headers=headers)
            reply_to = str(answer.get("id") or "")
            first = first or answer
        return DeliveryResult(
            remote_id=str(first.get("id") or ""),
            remote_url=str(first.get("url") or ""),
            detail=f"Mastodon: {len(posts)} status(es)",
        )

    def verify(self) -> CheckResult:
        """`GET /api/v1/accounts/verify_credentials`: is the token valid, whose?"""
        url = self.api_url("/api/v1/accounts/verify_credentials")
        answer = self.call("GET", url, headers=self._auth())
        return self.signed_in(f"@{answer.get('acct', '?')}")

    def rate_reset(self, response: requests.Response) -> float | None:
        """Mastodon says when its window resets in `X-RateLimit-Reset` (ISO time)."""
        return seconds_until_iso(response.headers.get("X-RateLimit-Reset", ""))

    def _auth(self) -> dict[str, str]:
        """The bearer header of the application token."""
        token = self.settings.access_token
        return {"Authorization": f"Bearer {token.get_secret_value() if token else ''}"}

    def _language(self, rendition: Rendition) -> str:
        """The release's language (ISO 639-1) frozen in `status.json` ('' if none)."""
        payload = rendition.file(PAYLOAD)
        return str(json.loads(payload.data).get("language") or "") if payload else ""

    def _upload_image(self, rendition: Rendition) -> str:
        """The id of the uploaded lead image, processed and described ('' if none)."""
        image = lead_image(rendition)
        if image is None:
            return ""
        url = self.api_url("/api/v2/media")
        with self.prepare("media_upload", url):
            answer = self.call(
                "POST",
                url,
                headers=self._auth(),
                data={"description": image.alt[:MAX_DESCRIPTION]},
                files={"file": (image.name, image.data, image.media_type)},
            )
        media_id = str(answer.get("id") or "")
        polls = 0
        while media_id and not answer.get("url"):
            if polls == MEDIA_POLLS:
                raise RetryableError(
                    Notice("social.media_processing", {"network": self.label})
                )
            time.sleep(self.settings.media_poll_seconds)
            polls += 1
            url = self.api_url(f"/api/v1/media/{media_id}")
            with self.prepare("media_status", url):
                answer = self._media_status(url)
        return media_id

    def _media_status(self, url: str) -> dict:
        """`GET /api/v1/media/:id`; a 206 (still processing) has no `url` yet."""
        return self.call("GET", url, headers=self._auth())


def post_key(idempotency_key: str, number: int) -> str:
    """The Idempotency-Key of post `number`: stable across retries, one per post."""
    digest = hashlib.sha256(f"{idempotency_key}/{number}".encode()).hexdigest()
    return digest[:40]
