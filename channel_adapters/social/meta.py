"""What Meta's Graph APIs share (Facebook, Instagram, Threads, WhatsApp Cloud API).

Every request carries the token as `Authorization: Bearer …` (never in the URL, so
it cannot reach a log line) to `<api_base>/<api_version>/<node>/<edge>`. An error
answer is `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`;
its `message` (and WhatsApp's `error_data.details`) is the remote's word shown to
the editor. Rate limits arrive as HTTP 400 or 403 with codes 4, 17, 32, 613 or a
business-use-case code (80001 …, WhatsApp 130429, 131056), or flagged
`is_transient`: those are retried, after `Retry-After` or the minutes that
`X-Business-Use-Case-Usage` names.

Instagram and Threads fetch the picture from its public address themselves, so a
post with an image needs the product's own public URL to be reachable from the
internet (`public_image_url`).
"""

from __future__ import annotations

import ipaddress
import json
import time
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from pydantic import Field

from ..base import CheckResult, DeliveryError, PermanentError, RetryableError
from ..http.base import MESSAGE_LIMIT, host, json_object, retry_after
from ..notice import Notice
from .base import LeadImage, SocialSettings
from .steps import StepAdapter

# Graph API error codes that mean "too many calls, try later" (HTTP 400/403).
RATE_LIMIT_CODES = frozenset(
    {4, 17, 32, 613, 80001, 80002, 80004, 80006, 80007, 130429, 131056}
)
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


class GraphSettings(SocialSettings):
    """A Graph API channel: where, and which API version."""

    api_base: str | None = "https://graph.facebook.com"
    api_version: str = Field(default="v23.0", pattern=r"^v\d+\.\d+$")


class ContainerSettings(GraphSettings):
    """A network that posts through a media container (Instagram, Threads)."""

    # A container (Instagram, Threads) is asked every `poll_interval` seconds
    # whether it is ready, for at most `processing_wait` seconds.
    processing_wait: float = Field(default=60.0, gt=0)
    poll_interval: float = Field(default=3.0, gt=0)


class GraphAdapter(StepAdapter):
    """A network on one of Meta's Graph APIs."""

    Settings = GraphSettings
    token_setting: ClassVar[str] = "access_token"  # the settings key of the token

    settings: GraphSettings

    # --- requests ---

    def token(self) -> str:
        """The access token (empty when not set: the API then refuses)."""
        value = getattr(self.settings, self.token_setting, None)
        return value.get_secret_value() if value is not None else ""

    def auth_headers(self) -> dict[str, str]:
        """The token as a bearer header, never as a query parameter."""
        return {"Authorization": f"Bearer {self.token()}"}

    def graph(self, *path: str) -> str:
        """The URL of a node or edge: `<api_base>/<api_version>/<path…>`."""
        base = (self.settings.api_base or "").rstrip("/")
        return "/".join([base, self.settings.api_version, *path])

    # --- what an error answer means ---

    def message(self, response: requests.Response) -> str:
        """The Graph error's `message` (with WhatsApp's details), else the base's."""
        error = json_object(response).get("error")
        if not isinstance(error, dict) or not error.get("message"):
            return super().message(response)
        text = str(error["message"])
        details = (error.get("error_data") or {}).get("details")
        if isinstance(details, str) and details and details not in text:
            text = f"{text} ({details})"
        text = self.mask(text)
        if len(text) > MESSAGE_LIMIT:
            text = text[: MESSAGE_LIMIT - 1] + "…"
        return text

    def result(self, response: requests.Response, url: str):
        """A rate-limit error code is retried whatever its HTTP status."""
        status = response.status_code
        error = json_object(response).get("error")
        if status >= 400 and isinstance(error, dict) and _rate_limited(error):
            params = {
                "host": host(url),
                "status": status,
                "remote": self.message(response),
            }
            raise RetryableError(
                Notice("delivery.remote_unavailable", params),
                status=status,
                retry_after=retry_after(response) or usage_wait(response),
            )
        return super().result(response, url)

    # --- shared steps ---

    def check_account(self, node: str, fields: str, *names: str) -> CheckResult:
        """A cheap authenticated read of `node`: who the token posts as."""
        try:
            body = self.call("GET", self.graph(node), params={"fields": fields})
        except DeliveryError as exc:
            return CheckResult(ok=False, notice=exc.notice)
        account = next((str(body[k]) for k in names if body.get(k)), node)
        return CheckResult(
            ok=True,
            notice=Notice(
                "check.signed_in", {"network": self.label, "account": account}
            ),
        )

    def permalink(self, node: str, field: str) -> str:
        """The public address of something just published ('' if it cannot be read:
        the post is out, so a failed look-up must not fail the delivery)."""
        if not node:
            return ""
        found = self.look_up(self.graph(node), params={"fields": field})
        return str(found.get(field) or "")

    def wait_until_ready(self, container: str, field: str, why: str) -> None:
        """Poll a media container until Meta has processed it.

        FINISHED: return. ERROR or EXPIRED: PermanentError `social.container_failed`
        with the remote's words (`why` names the field that holds them). Still
        IN_PROGRESS after `processing_wait`: RetryableError
        `social.container_unfinished` (nothing was published).
        """
        settings = self.settings
        if not isinstance(settings, ContainerSettings):
            raise TypeError(f"{self.name} has no container settings")
        deadline = time.monotonic() + settings.processing_wait
        while True:
            body = self.call(
                "GET",
                self.graph(container),
                params={"fields": f"{field},{why}"},
                prepares=True,
            )
            status = str(body.get(field) or "")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                remote = self.mask(str(body.get(why) or status))[:MESSAGE_LIMIT]
                raise PermanentError(
                    Notice(
                        "social.container_failed",
                        {"network": self.label, "remote": remote},
                    )
                )
            if time.monotonic() + settings.poll_interval > deadline:
                raise RetryableError(
                    Notice(
                        "social.container_unfinished",
                        {
                            "network": self.label,
                            "seconds": settings.processing_wait,
                        },
                    ),
                    retry_after=settings.processing_wait,
                )
            time.sleep(settings.poll_interval)

    def public_image_url(self, image: LeadImage) -> str:
        """The picture's public address, which Meta fetches itself.

        PermanentError `social.image_not_public` when it is missing or points at
        this machine or a private network (organization.public_url left at
        http://127.0.0.1:5000, say): Meta could never fetch it.
        """
        url = image.url.strip()
        parts = urlsplit(url)
        name = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme not in ("http", "https") or not name or _private_host(name):
            raise PermanentError(
                Notice("social.image_not_public", {"network": self.label, "url": url})
            )
        return url


def _rate_limited(error: dict[str, Any]) -> bool:
    """True if a Graph error says "too many calls" or "temporary, try again"."""
    try:
        code = int(error.get("code") or 0)
    except (TypeError, ValueError):
        code = 0
    return code in RATE_LIMIT_CODES or error.get("is_transient") is True


def _private_host(name: str) -> bool:
    """True for a host name or address the internet cannot reach."""
    if name == "localhost" or name.endswith(PRIVATE_SUFFIXES) or "." not in name:
        return True
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def usage_wait(response: requests.Response) -> float | None:
    """Seconds until access returns, from `X-Business-Use-Case-Usage` (minutes)."""
    raw = response.headers.get("X-Business-Use-Case-Usage", "")
    try:
        usage = json.loads(raw) if raw else {}
    except ValueError:
        return None
    minutes = [
        entry.get("estimated_time_to_regain_access")
        for entries in (usage.values() if isinstance(usage, dict) else [])
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    ]
    found = [float(m) for m in minutes if isinstance(m, int | float) and m > 0]
    return max(found) * 60 if found else None
