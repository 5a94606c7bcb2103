"""Partner systems receive each release as a signed JSON POST (a webhook).

The receiver verifies `X-Publisher-Signature` (HMAC-SHA256 of the exact body bytes with
the shared secret) and de-duplicates by `Idempotency-Key`, which is stable per delivery.
"""

from __future__ import annotations

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
        secret = self.settings.secret.get_secret_value().encode("utf-8")
        signature = hmac.new(secret, payload.data, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Publisher-Signature": f"sha256={signature}",
            "X-Publisher-Timestamp": str(int(time.time())),
            "X-Publisher-Delivery": idempotency_key,
            "Idempotency-Key": idempotency_key,
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
