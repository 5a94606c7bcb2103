"""A local HTTP server that speaks one partner API: routes, state and faults.

A network's fake (tests/fakes/<network>.py) subclasses `FakeApi` and registers a
handler per route with `@route("POST", r"/2/tweets")`; a handler gets the request
(with `match` for the path's groups) and returns a `Reply`. Every request is
recorded in `received`. Tests inject faults per route before the handler runs:

    api.fail("POST", r"/2/tweets", Reply(500, {...}))          # once, then normal
    api.fail("POST", r"/2/tweets", Reply(429, {...}, {"Retry-After": "2"}), times=2)

Faults can also be late (`delay`) or hang up (`hang_up`), as `Reply` allows. The
server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support import LocalServer, Received, Reply

Handler = Callable[..., Reply]


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Mark a FakeApi method as the handler of `method` on paths matching `pattern`."""

    def mark(handler: Handler) -> Handler:
        handler._route = (method.upper(), re.compile(pattern + r"\Z"))  # type: ignore[attr-defined]
        return handler

    return mark


@dataclass
class Request(Received):
    """A received request with its path match, query and form fields parsed."""

    match: re.Match | None = None
    query: dict[str, list[str]] = field(default_factory=dict)

    @property
    def form(self) -> dict[str, list[str]]:
        """An application/x-www-form-urlencoded body's fields."""
        return parse_qs(self.body.decode("utf-8", "replace"))

    @property
    def bearer(self) -> str:
        """The token of an `Authorization: Bearer …` header ('' if none)."""
        value = self.headers.get("Authorization", "")
        return value[7:] if value.startswith("Bearer ") else ""


class FakeApi(LocalServer):
    """A threaded HTTP server on 127.0.0.1 answering its subclass's routes."""

    protocol = "HTTP/1.1"

    def __init__(self) -> None:
        self.faults: list[tuple[str, re.Pattern, Reply]] = []
        self.lock = threading.RLock()
        super().__init__(lock=self.lock)
        self._routes = [
            (*member._route, getattr(self, name))
            for name, member in vars_of(type(self))
            if hasattr(member, "_route")
        ]

    def make_request(self, handler: BaseHTTPRequestHandler, body: bytes) -> Request:
        """The request with its query parsed."""
        return Request(
            handler.command,
            handler.path,
            handler.headers,
            body,
            time.time(),
            query=parse_qs(urlsplit(handler.path).query),
        )

    def fail(self, method: str, pattern: str, reply: Reply, times: int = 1) -> None:
        """Answer the next `times` matching requests with `reply` instead."""
        compiled = re.compile(pattern + r"\Z")
        with self.lock:
            self.faults.extend([(method.upper(), compiled, reply)] * times)

    def requests_to(self, method: str, pattern: str) -> list[Request]:
        """The requests so far whose method and path match."""
        compiled = re.compile(pattern + r"\Z")
        with self.lock:
            return [
                r
                for r in self.received
                if r.method == method.upper() and compiled.match(urlsplit(r.path).path)
            ]

    def not_found(self, request: Request) -> Reply:
        """What the API answers for a path it does not know (override per API)."""
        return Reply(404, {"error": "not found"})

    def reply_for(self, request: Request) -> Reply:
        """A fault for this route if one is queued, else the route's handler."""
        path = urlsplit(request.path).path
        with self.lock:
            for i, (method, pattern, reply) in enumerate(self.faults):
                if method == request.method and pattern.match(path):
                    del self.faults[i]
                    return reply
        for method, pattern, handler in self._routes:
            match = pattern.match(path)
            if method == request.method and match:
                request.match = match
                with self.lock:
                    return handler(request)
        return self.not_found(request)


def vars_of(cls: type) -> list[tuple[str, Any]]:
    """Every attribute of `cls` and its bases, without binding or calling any."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        found.update(vars(klass))
    return list(found.items())
