"""organization.public_url that cannot silently be wrong.

Links in feeds, social posts, e-mails and public pages are built from
`organization.public_url`, not from the request. So:
- `PUBLISHER_PUBLIC_URL`, when set, replaces the config's value (any command);
- `publisher run`/`web` on another port: a public_url on this machine (127.0.0.1,
  localhost, ::1) takes the port the server listens on (`make run PORT=5101`);
- a page opened at another address than public_url shows signed-in users a
  banner, and `publisher check-config` warns about a public_url only this
  machine can open.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

PUBLIC_URL_ENV = "PUBLISHER_PUBLIC_URL"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, the port made explicit."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    return scheme, (parts.hostname or "").lower(), port


def is_loopback(url: str) -> bool:
    """Whether only this machine can open `url`."""
    return origin(url)[1] in LOOPBACK


def from_environment(configured: str) -> str:
    """$PUBLISHER_PUBLIC_URL if set (and not empty), else `configured`."""
    return os.environ.get(PUBLIC_URL_ENV, "").strip() or configured


def for_port(configured: str, port: int) -> str:
    """`configured` with `port` when it points at this machine, else unchanged."""
    if not is_loopback(configured) or os.environ.get(PUBLIC_URL_ENV, "").strip():
        return configured
    parts = urlsplit(configured)
    host = parts.hostname or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return parts._replace(netloc=f"{host}:{port}").geturl().rstrip("/")


def mismatch(public_url: str, request_url: str) -> bool:
    """Whether a request to `request_url` came by another address than public_url
    (localhost and 127.0.0.1 count as the same machine)."""
    wanted, seen = origin(public_url), origin(request_url)
    if wanted[1] in LOOPBACK and seen[1] in LOOPBACK:
        return (wanted[0], wanted[2]) != (seen[0], seen[2])
    return wanted != seen
