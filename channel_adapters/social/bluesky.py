"""Bluesky: 300 graphemes and 3,000 bytes; links, tags and mentions marked as facets.

Bluesky makes nothing a link by itself: the client sends, with the text, "facets"
marking each link, hashtag and mention by UTF-8 byte offsets, found as Bluesky's
own client finds them (`richtext.py`). `post.json` holds the records to create,
without `createdAt` (set when sent) and without mention facets (a handle's DID is
resolved when sent)::

    {"posts": [{"$type": "app.bsky.feed.post", "text": "…", "langs": ["id"],
                "facets": [{"index": {"byteStart": 98, "byteEnd": 165},
                            "features": [{"$type": "app.bsky.richtext.facet#link",
                                          "uri": "https://…"}]}, …],
                "embed": {"$type": "app.bsky.embed.external", "external": {…}}}]}

The first record carries a link card for the public page; when the rendition has
a lead image it is sent with the image instead (`app.bsky.embed.images`, with its
alt text and aspect ratio). A thread (`thread: true`) is several records, each sent
as a reply to the one before ({root, parent} references).

Delivery: `com.atproto.server.createSession` with the handle and an app password,
`com.atproto.repo.uploadBlob` for the image, `com.atproto.identity.resolveHandle`
for each mentioned handle, then `com.atproto.repo.createRecord` per post. `check`
creates a session.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import requests
from pydantic import SecretStr

from ..base import (
    CheckResult,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    Rendition,
    RenditionFile,
)
from ..notice import Notice
from ..text.counters import graphemes
from .api import ApiAdapter, seconds_until_epoch
from .base import LeadImage, ThreadSettings, lead_image
from .richtext import LINK, MENTION, TAG, byte_index, detect

POST = "post.json"


class BlueskySettings(ThreadSettings):
    """A Bluesky account: its PDS, handle and an app password."""

    api_base: str | None = "https://bsky.social"  # the account's PDS
    handle: str | None = None  # e.g. diskominfos.baliprov.go.id
    app_password: SecretStr | None = (
        None  # Settings → Privacy and security → App passwords
    )


class BlueskyAdapter(ApiAdapter):
    """A post (or a numbered thread) with link, tag and mention facets."""

    name = "bluesky"
    label = "Bluesky"
    Settings = BlueskySettings
    limit = 300
    max_bytes = 3_000
    counter = staticmethod(graphemes)
    unit = "graphemes"
    supports_threads = True
    can_deliver = True
    credentials = ("handle", "app_password")
    image_purpose = "bluesky"
    message_keys = ("message", "error")

    settings: BlueskySettings

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

    # --- delivery ---

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Sign in, upload the image, resolve mentions, create each record in turn."""
        payload = rendition.file(POST)
        if payload is None:
            raise PermanentError(Notice("delivery.no_payload", {"file": POST}))
        records = json.loads(payload.data)["posts"]
        session = self._session()
        auth = {"Authorization": f"Bearer {session.get('accessJwt', '')}"}
        did = str(session.get("did") or "")
        handle = str(session.get("handle") or self.settings.handle or "")
        image = lead_image(rendition)
        if image is not None:
            records[0]["embed"] = self._image_embed(image, auth)
        for record in records:
            record["facets"] = self._with_mentions(record, auth)
        root: dict = {}
        parent: dict = {}
        for number, record in enumerate(records):
            record = {k: v for k, v in record.items() if v or k == "text"}
            record["createdAt"] = now_iso()
            if parent:
                record["reply"] = {"root": root, "parent": parent}
            url = self.api_url("/xrpc/com.atproto.repo.createRecord")
            body = {"repo": did, "collection": "app.bsky.feed.post", "record": record}
            with self.after_first(
                number, len(records), post_url(handle, root.get("uri", ""))
            ):
                answer = self.call("POST", url, json=body, headers=auth)
            parent = {"uri": answer.get("uri", ""), "cid": answer.get("cid", "")}
            root = root or parent
        return DeliveryResult(
            remote_id=root.get("uri", ""),
            remote_url=post_url(handle, root.get("uri", "")),
            detail=f"Bluesky: {len(records)} post(s)",
        )

    def verify(self) -> CheckResult:
        """`com.atproto.server.createSession`: do the handle and app password work?"""
        session = self._session()
        return self.signed_in(f"@{session.get('handle') or self.settings.handle}")

    def rate_reset(self, response: requests.Response) -> float | None:
        """Bluesky says when its window resets in `ratelimit-reset` (Unix seconds)."""
        return seconds_until_epoch(response.headers.get("ratelimit-reset", ""))

    def _session(self) -> dict:
        """A new session: access token, DID and handle."""
        url = self.api_url("/xrpc/com.atproto.server.createSession")
        password = self.settings.app_password
        body = {
            "identifier": self.settings.handle or "",
            "password": password.get_secret_value() if password else "",
        }
        with self.prepare("create_session", url):
            return self.call("POST", url, json=body)

    def _image_embed(self, image: LeadImage, auth: dict[str, str]) -> dict:
        """The image embed: the uploaded blob, its alt text and aspect ratio."""
        url = self.api_url("/xrpc/com.atproto.repo.uploadBlob")
        with self.prepare("upload_blob", url):
            answer = self.call(
                "POST",
                url,
                data=image.data,
                headers={**auth, "Content-Type": image.media_type},
            )
        entry: dict = {"alt": image.alt, "image": answer.get("blob")}
        if image.width and image.height:
            entry["aspectRatio"] = {"width": image.width, "height": image.height}
        return {"$type": "app.bsky.embed.images", "images": [entry]}

    def _with_mentions(self, record: dict, auth: dict[str, str]) -> list[dict]:
        """The record's facets with a mention facet for each handle that resolves."""
        text = record["text"]
        found = list(record.get("facets") or [])
        for item in detect(text):
            if item.kind != MENTION:
                continue
            did = self._resolve(item.value, auth)
            if did:
                found.append(
                    facet(text, item.start, item.end, {"$type": MENTION, "did": did})
                )
        return sorted(found, key=lambda f: f["index"]["byteStart"])

    def _resolve(self, handle: str, auth: dict[str, str]) -> str:
        """The DID of `handle`, or '' when Bluesky does not know it."""
        url = self.api_url("/xrpc/com.atproto.identity.resolveHandle")
        try:
            with self.prepare("resolve_handle", url):
                answer = self.call("GET", url, params={"handle": handle}, headers=auth)
        except PermanentError:
            return ""  # an unknown handle stays plain text
        return str(answer.get("did") or "")


def facets(text: str) -> list[dict]:
    """Link and tag facets of `text`, by UTF-8 byte offsets, in text order
    (mentions are added when sent, once their handles are resolved)."""
    return [
        facet(text, item.start, item.end, feature(item.kind, item.value))
        for item in sorted(detect(text), key=lambda f: f.start)
        if item.kind in (LINK, TAG)
    ]


def feature(kind: str, value: str) -> dict:
    """A facet feature: a link's `uri` or a tag's `tag`."""
    return (
        {"$type": kind, "uri": value} if kind == LINK else {"$type": kind, "tag": value}
    )


def facet(text: str, start: int, end: int, what: dict) -> dict:
    """One facet over code points start..end of `text`, by UTF-8 byte offsets."""
    return {
        "index": {
            "byteStart": byte_index(text, start),
            "byteEnd": byte_index(text, end),
        },
        "features": [what],
    }


def post_url(handle: str, uri: str) -> str:
    """https://bsky.app/profile/<handle>/post/<rkey> for an at:// record URI."""
    rkey = uri.rsplit("/", 1)[-1] if uri.startswith("at://") else ""
    return f"https://bsky.app/profile/{handle}/post/{rkey}" if rkey and handle else ""


def now_iso() -> str:
    """The current time as Bluesky's `createdAt` wants it (UTC, milliseconds, Z)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
