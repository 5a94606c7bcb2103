"""The edge every response passes: security headers, proxies, bounded ids.

- A strict Content-Security-Policy: scripts only from this site (no inline
  script), no plugins, and no framing by any site (`frame-ancestors 'none'`), so
  the approve and schedule forms cannot be clicked through someone else's page.
  Inline *styles* stay allowed: the rendition previews (print, TV) are documents
  with their own `<style>`, shown in sandboxed `srcdoc` frames, which inherit this
  policy.
- Behind `security.trusted_proxies` reverse proxies, their X-Forwarded-* headers
  are believed (Werkzeug's ProxyFix), so the client's address, HTTPS and the host
  are right; HSTS is sent on HTTPS requests.
- `<int:…>` in a URL accepts at most 2**31 − 1, so an id too large for the
  database is a 404, not a server error.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ..config import SecurityConfig

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
LARGEST_ID = 2**31 - 1


class BoundedInteger(IntegerConverter):
    """`<int:…>` with an upper bound the database can hold."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask, security: SecurityConfig) -> None:
    """Install the converter (before any route is added), proxies and headers."""
    app.url_map.converters["int"] = BoundedInteger
    if security.trusted_proxies:
        hops = security.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
