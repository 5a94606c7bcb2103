"""Partner systems receive each release as a signed JSON POST (a webhook).

Signed as the Standard Webhooks specification says (standardwebhooks.com), so any of
its libraries verifies it: `webhook-id` (stable per delivery, also sent as
`Idempotency-Key`), `webhook-timestamp` (Unix seconds, new on every attempt) and
`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. The key
is the channel's secret: the bytes after `whsec_` base64-decoded when it starts so
(the specification's own form), else its UTF-8 bytes. A receiver refuses a
timestamp more than five minutes from its clock, so a captured call cannot be
replayed later.

`X-Publisher-Signature` (HMAC-SHA256 of the body alone, hex) is still sent for one
release cycle, for receivers written against it; it carries no timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC
from urllib.parse import urlsplit

from pydantic import HttpUrl, SecretStr, field_validator

from ..base import (
    CheckResult,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..notice import Notice
from ..text.language import language_of
from ..text.markdown import to_html, to_text
from .base import HttpAdapter, HttpSettings

PAYLOAD = "payload.json"
USER_AGENT = "press-release-publisher-webhook/1"


class WebhookSettings(HttpSettings):
    """Where to POST and the shared secret that signs each body."""

    url: HttpUrl
    secret: SecretStr

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr) -> SecretStr:
        if len(secret.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (a random string)")
        return secret


class WebhookAdapter(HttpAdapter):
    """A signed `release.published` JSON document POSTed to a partner's URL."""

    name = "webhook"
    label = "Webhook (JSON)"
    Settings = WebhookSettings
    # Receivers are asked to de-duplicate by Idempotency-Key, but we cannot know they
    # do, so a crashed delivery goes to a human rather than being resent.
    idempotent = False
    user_agent = USER_AGENT

    settings: WebhookSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The JSON document, serialized once so the signed bytes are the sent bytes."""
        embargo = release.embargo_at.astimezone(UTC) if release.embargo_at else None
        document = {
            "event": "release.published",
            "organization": {
                "name": context.organization.name,
                "short_name": context.organization.short_name,
                "website": context.organization.website,
            },
            "release": {
                "id": release.release_id,
                "public_id": release.public_id,
                "revision": release.revision,
                "number": release.number,
                "language": release.language,
                "title": release.title,
                "lead": release.lead,
                "body_markdown": release.body_markdown,
                "body_html": to_html(release.body_markdown),
                "body_text": to_text(release.body_markdown),
                "dateline_city": release.dateline_city,
                "category": release.category,
                "tags": list(release.tags),
                "contact": {
                    "name": release.contact.name,
                    "phone": release.contact.phone,
                    "email": release.contact.email,
                },
                "embargo_at": embargo.isoformat() if embargo else None,
                "public_url": release.public_url,
                # The first picture is the lead image; URLs answer once it is public.
                "images": [
                    {
                        "url": image.url,
                        "alt": image.alt,
                        "caption": image.caption,
                        "credit": image.credit,
                        "width": image.width,
                        "height": image.height,
                        "media_type": image.media_type,
                    }
                    for image in release.images
                ],
            },
        }
        data = json.dumps(
            document, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        if language_of(release.language) == "en":
            text = f"JSON notice for “{release.title}” (revision {release.revision}, "
        else:
            text = f"Notifikasi JSON “{release.title}” (revisi {release.revision}, "
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=f"{text}{len(data)} byte)",
            files=(RenditionFile(PAYLOAD, "application/json", data),),
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """POST the frozen payload, signed; map every outcome to a result or error."""
        payload = rendition.file(PAYLOAD)
        if payload is None:
            raise PermanentError(Notice("delivery.no_payload", {"file": PAYLOAD}))
        key = signing_key(self.settings.secret.get_secret_value())
        timestamp = str(int(time.time()))
        legacy = hmac.new(key, payload.data, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "webhook-id": idempotency_key,
            "webhook-timestamp": timestamp,
            "webhook-signature": sign(key, idempotency_key, timestamp, payload.data),
            "Idempotency-Key": idempotency_key,
            # Deprecated: the body alone, no timestamp; kept for one release cycle.
            "X-Publisher-Signature": f"sha256={legacy}",
            "X-Publisher-Timestamp": timestamp,
            "X-Publisher-Delivery": idempotency_key,
        }
        return self.send(
            "POST", str(self.settings.url), data=payload.data, headers=headers
        )

    def check(self) -> CheckResult:
        """A HEAD request: is anything answering at the URL? (Nothing is posted.)"""
        return self.probe(str(self.settings.url))

    def secrets(self) -> list[str]:
        """The shared secret, and a password in the URL's user part."""
        return [
            self.settings.secret.get_secret_value(),
            urlsplit(str(self.settings.url)).password or "",
        ]


def signing_key(secret: str) -> bytes:
    """The HMAC key: a `whsec_…` secret's base64 payload, else the secret's bytes."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except ValueError:
            pass
    return secret.encode("utf-8")


def sign(key: bytes, message_id: str, timestamp: str, body: bytes) -> str:
    """The Standard Webhooks `webhook-signature` value for one attempt."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")
