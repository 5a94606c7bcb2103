"""What every adapter that delivers over HTTP shares, written once.

`HttpAdapter.send` makes the request with explicit (connect, read) timeouts and no
redirects, and turns every outcome into a `DeliveryResult` or a typed error with a
notice:

- 2xx: a result, with `id` and `url` of a JSON body as the remote id and URL;
- 3xx: PermanentError `delivery.redirected` {host, location};
- 408, 429, 5xx: RetryableError `delivery.remote_unavailable` {host, status, remote},
  with the remote's `Retry-After`;
- any other 4xx: PermanentError `delivery.remote_refused` {host, status, remote};
- no connection within the connect timeout: RetryableError
  `delivery.connect_timeout` {host, seconds};
- refused, unknown host, TLS or proxy failure: RetryableError
  `delivery.connection_failed` {host, reason} (nothing was sent);
- no answer within the read timeout: UnknownOutcomeError
  `delivery.timeout_after_send` {host, seconds} (it may have arrived);
- the connection broke after sending: UnknownOutcomeError
  `delivery.broken_after_send` {host, reason};
- the host resolves to a loopback, private, link-local, multicast or reserved
  address that the channel's `allow_networks` does not list: PermanentError
  `delivery.destination_refused` {host, address}, before anything is sent (so a
  webhook URL cannot be aimed at the server itself or the office's intranet by
  mistake or on purpose).

A remote's own message travels verbatim (shortened to 300 characters) in `remote`;
every value an adapter names in `secrets()` is masked in it, and the host is shown
without the user part of the URL.
"""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

import requests
from pydantic import ConfigDict, Field, IPvAnyNetwork
from urllib3.exceptions import NewConnectionError

from ..base import (
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    RetryableError,
    UnknownOutcomeError,
)
from ..notice import Notice

MESSAGE_LIMIT = 300
MASK = "**********"
Seconds = Annotated[float, Field(gt=0)]


class HttpSettings(AdapterSettings):
    """Settings of every HTTP adapter: the (connect, read) timeouts in seconds."""

    # A validation error must not echo a secret back into logs or the UI.
    model_config = ConfigDict(hide_input_in_errors=True)

    timeout: tuple[Seconds, Seconds] = (5.0, 15.0)  # (connect, read)
    # Networks a destination may be in although they are not public (loopback,
    # private, link-local …): e.g. ["10.20.0.0/16"] for a WordPress on the office's
    # intranet, ["127.0.0.0/8"] for a receiver on the same machine.
    allow_networks: list[IPvAnyNetwork] = []


class HttpAdapter(Adapter):
    """An adapter that delivers with one HTTP request per rendition."""

    Settings: ClassVar[type[AdapterSettings]] = HttpSettings
    user_agent: ClassVar[str] = "press-release-publisher/1"

    settings: HttpSettings

    # --- what a subclass says ---

    def secrets(self) -> list[str]:
        """Values that must never appear in an error, a notice or a log line."""
        return []

    def remote_ids(self, body: dict[str, Any]) -> tuple[str, str]:
        """The remote id and URL in a 2xx JSON answer (`id` and `url` by default)."""
        return str(body.get("id") or ""), str(body.get("url") or "")

    # --- the generic work ---

    def send(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> DeliveryResult:
        """Make the request and map its outcome; raise a DeliveryError on failure."""
        self.guard(url)
        try:
            # Redirects are not followed: requests would turn a POST into a GET.
            response = requests.request(
                method,
                url,
                headers={"User-Agent": self.user_agent, **(headers or {})},
                timeout=self.settings.timeout,
                allow_redirects=False,
                **kw,
            )
        except requests.RequestException as exc:
            raise self.failure(exc, url) from exc
        return self.result(response, url)

    def probe(self, url: str) -> CheckResult:
        """A HEAD request: is anything answering at `url`? (Nothing is posted.)"""
        try:
            self.guard(url)
        except PermanentError as exc:
            return CheckResult(ok=False, notice=exc.notice)
        try:
            response = requests.head(
                url,
                headers={"User-Agent": self.user_agent},
                timeout=self.settings.timeout,
            )
        except requests.RequestException as exc:
            return CheckResult(ok=False, notice=self.failure(exc, url).notice)
        # Many receivers accept only POST, so 404/405 still proves someone is there.
        status = response.status_code
        code = "check.reachable" if status < 500 else "check.unreachable"
        return CheckResult(
            ok=status < 500, notice=Notice(code, {"host": host(url), "status": status})
        )

    def result(self, response: requests.Response, url: str) -> DeliveryResult:
        """A 2xx answer as a result; anything else as the matching error."""
        status = response.status_code
        where = host(url)
        if 200 <= status < 300:
            remote_id, remote_url = self.remote_ids(json_object(response))
            return DeliveryResult(
                remote_id=remote_id,
                remote_url=remote_url,
                detail=f"{where} answered HTTP {status}",
            )
        if 300 <= status < 400:
            location = self.mask(response.headers.get("Location", "?"))
            raise PermanentError(
                Notice("delivery.redirected", {"host": where, "location": location}),
                status=status,
            )
        params = {"host": where, "status": status, "remote": self.message(response)}
        if status in (408, 429) or status >= 500:
            # 408 and 429 say the request was not processed; a 5xx receiver is
            # expected to have rolled back, and de-duplicates by Idempotency-Key.
            raise RetryableError(
                Notice("delivery.remote_unavailable", params),
                status=status,
                retry_after=retry_after(response),
            )
        raise PermanentError(Notice("delivery.remote_refused", params), status=status)

    def message(self, response: requests.Response) -> str:
        """The remote's own explanation, verbatim but short and without secrets."""
        body = json_object(response)
        found = next((body[k] for k in ("message", "error", "detail") if k in body), "")
        text = self.mask(str(found) if found else response.text.strip())
        if len(text) > MESSAGE_LIMIT:
            text = text[: MESSAGE_LIMIT - 1] + "…"
        return text or response.reason or ""

    def failure(self, exc: requests.RequestException, url: str) -> DeliveryError:
        """What a transport error means: was the request possibly sent?"""
        connect, read = self.settings.timeout
        where = host(url)
        if isinstance(exc, requests.ConnectTimeout):
            return RetryableError(
                Notice("delivery.connect_timeout", {"host": where, "seconds": connect})
            )
        if isinstance(exc, requests.ReadTimeout):
            return UnknownOutcomeError(
                Notice("delivery.timeout_after_send", {"host": where, "seconds": read})
            )
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        # TLS handshakes and proxies fail before a byte of the request is sent.
        if isinstance(reason, NewConnectionError) or isinstance(
            exc, requests.exceptions.SSLError | requests.exceptions.ProxyError
        ):
            return RetryableError(
                Notice(
                    "delivery.connection_failed",
                    {"host": where, "reason": self._reason(reason or exc)},
                )
            )
        # Anything else (connection aborted, broken response) happened after sending.
        return UnknownOutcomeError(
            Notice(
                "delivery.broken_after_send",
                {"host": where, "reason": type(exc).__name__},
            )
        )

    def guard(self, url: str) -> None:
        """Refuse a destination that resolves to a non-public address that the
        channel does not allow (PermanentError `delivery.destination_refused`).

        A name that does not resolve is left to the request, which then fails as
        `delivery.connection_failed` and is retried.
        """
        parts = urlsplit(url)
        name = parts.hostname or ""
        try:
            found = socket.getaddrinfo(
                name, parts.port or 443, proto=socket.IPPROTO_TCP
            )
        except (socket.gaierror, UnicodeError, ValueError):
            return
        allowed = self.settings.allow_networks
        for *_, address in found:
            ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
            if getattr(ip, "ipv4_mapped", None):
                ip = ip.ipv4_mapped
            if ip.is_global or any(ip in network for network in allowed):
                continue
            raise PermanentError(
                Notice(
                    "delivery.destination_refused",
                    {"host": host(url), "address": str(ip)},
                )
            )

    def mask(self, text: str) -> str:
        """`text` with every secret replaced by asterisks."""
        for secret in self.secrets():
            if secret:
                text = text.replace(secret, MASK)
        return text

    def _reason(self, exc: BaseException) -> str:
        """A short cause of a failed connection, without secrets or URLs."""
        if isinstance(exc, NewConnectionError):
            text = str(exc).rsplit(":", 1)[-1].strip()  # "[Errno 111] Connection …"
        else:
            text = type(exc).__name__
        return self.mask(text)[:MESSAGE_LIMIT]


def host(url: str) -> str:
    """Host and port only: a URL may carry credentials in its user part."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def json_object(response: requests.Response) -> dict:
    """The response body as a JSON object, or {} when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def retry_after(response: requests.Response) -> float | None:
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
