"""Partner systems receive each release as a signed JSON POST (a webhook).

The receiver verifies `X-Publisher-Signature` (HMAC-SHA256 of the exact body bytes with
the shared secret) and de-duplicates by `Idempotency-Key`, which is stable per delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Annotated
from urllib.parse import urlsplit

import requests
from pydantic import ConfigDict, Field, HttpUrl, SecretStr, field_validator
from urllib3.exceptions import NewConnectionError

from ..base import (
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
    RetryableError,
    UnknownOutcomeError,
)
from ..text.markdown import to_html, to_text

PAYLOAD = "payload.json"
USER_AGENT = "press-release-publisher-webhook/1"
MESSAGE_LIMIT = 300
Seconds = Annotated[float, Field(gt=0)]


class WebhookSettings(AdapterSettings):
    """Where to POST and the shared secret that signs each body."""

    # A validation error must not echo the secret back into logs or the UI.
    model_config = ConfigDict(hide_input_in_errors=True)

    url: HttpUrl
    secret: SecretStr

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr) -> SecretStr:
        if len(secret.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters (a random string)")
        return secret

    timeout: tuple[Seconds, Seconds] = (5.0, 15.0)  # (connect, read)


class WebhookAdapter(Adapter):
    """A signed `release.published` JSON document POSTed to a partner's URL."""

    name = "webhook"
    label = "Webhook (JSON)"
    Settings = WebhookSettings
    # Receivers are asked to de-duplicate by Idempotency-Key, but we cannot know they
    # do, so a crashed delivery goes to a human rather than being resent.
    idempotent = False

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
        if release.language == "en":
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
            raise PermanentError(f"the rendition has no {PAYLOAD}; render it again")
        secret = self.settings.secret.get_secret_value().encode("utf-8")
        signature = hmac.new(secret, payload.data, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Publisher-Signature": f"sha256={signature}",
            "X-Publisher-Timestamp": str(int(time.time())),
            "X-Publisher-Delivery": idempotency_key,
            "Idempotency-Key": idempotency_key,
        }
        try:
            # Redirects are not followed: requests would turn the POST into a GET.
            response = requests.post(
                str(self.settings.url),
                data=payload.data,
                headers=headers,
                timeout=self.settings.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise self._failure(exc) from exc
        return self._result(response)

    def check(self) -> CheckResult:
        """A HEAD request: is anything answering at the URL? (Nothing is posted.)"""
        try:
            response = requests.head(
                str(self.settings.url), timeout=self.settings.timeout
            )
        except requests.RequestException as exc:
            return CheckResult(ok=False, detail=self._failure(exc).detail)
        # Many receivers accept only POST, so 404/405 still proves someone is there.
        ok = response.status_code < 500
        return CheckResult(
            ok=ok,
            detail=f"{self._host} answered HTTP {response.status_code}"
            + ("; the signature can only be verified by the receiver" if ok else ""),
        )

    @property
    def _host(self) -> str:
        """Host and port only: the URL may carry credentials in its user part."""
        parts = urlsplit(str(self.settings.url))
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)

    def _result(self, response: requests.Response) -> DeliveryResult:
        """A 2xx answer as a result; anything else as the matching error."""
        status = response.status_code
        if 200 <= status < 300:
            body = _json(response)
            return DeliveryResult(
                remote_id=str(body.get("id") or ""),
                remote_url=str(body.get("url") or ""),
                detail=f"{self._host} answered HTTP {status}",
            )
        message = f"{self._host} answered HTTP {status}: {self._message(response)}"
        if status in (408, 429) or status >= 500:
            # 408 and 429 say the request was not processed; a 5xx receiver is
            # expected to have rolled back, and de-duplicates by Idempotency-Key.
            raise RetryableError(
                message, status=status, retry_after=_retry_after(response)
            )
        if 300 <= status < 400:
            location = response.headers.get("Location", "?")
            message = f"{self._host} redirects to {location}; update the channel's url"
        raise PermanentError(message, status=status)

    def _message(self, response: requests.Response) -> str:
        """The remote's own explanation, short and without our secret."""
        body = _json(response)
        found = next((body[k] for k in ("message", "error", "detail") if k in body), "")
        text = str(found) if found else response.text.strip()
        text = text.replace(self.settings.secret.get_secret_value(), "**********")
        if len(text) > MESSAGE_LIMIT:
            text = text[: MESSAGE_LIMIT - 1] + "…"
        return text or response.reason or "no message"

    def _failure(self, exc: requests.RequestException) -> DeliveryError:
        """What a transport error means: was the request possibly sent?"""
        connect, read = self.settings.timeout
        if isinstance(exc, requests.ConnectTimeout):
            return RetryableError(f"no connection to {self._host} within {connect:g} s")
        if isinstance(exc, requests.ReadTimeout):
            return UnknownOutcomeError(
                f"{self._host} did not answer within {read:g} s of being sent the "
                "request; check with the receiver before sending again"
            )
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        # TLS handshakes and proxies fail before a byte of the request is sent.
        if isinstance(reason, NewConnectionError) or isinstance(
            exc, requests.exceptions.SSLError | requests.exceptions.ProxyError
        ):
            return RetryableError(f"could not connect to {self._host}; nothing sent")
        # Anything else (connection aborted, broken response) happened after sending.
        return UnknownOutcomeError(
            f"the connection to {self._host} failed after the release was sent "
            f"({type(exc).__name__}); check with the receiver before sending again"
        )


def _json(response: requests.Response) -> dict:
    """The response body as a JSON object, or {} when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds, given as seconds or as an HTTP date."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000" means UTC with no claim about local time
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
