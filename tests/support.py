"""Test helpers: a real HTTP server standing in for a partner's endpoint.

The one local receiver every test uses (dispatcher, end to end, adapters): it
records each request and answers from a queue of replies (`replies`), then with its
default (`default`, set by `answer`); an answer can come late or not at all.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text as sa_text

JSON = "application/json"


@dataclass
class Received:
    """One request the server got, with the moment it arrived."""

    method: str
    path: str
    headers: Message
    body: bytes
    at: float = 0.0

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class Reply:
    """What the server answers: status, body (a dict or list is sent as JSON, bytes
    or str as they are), headers, a delay, or hanging up without an answer."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"id": "remote-1"})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang_up: bool = False

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        """The body's bytes and the headers to send with them."""
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), {
                "Content-Type": JSON,
                **self.headers,
            }
        if isinstance(self.body, str):
            return self.body.encode(), dict(self.headers)
        return bytes(self.body or b""), dict(self.headers)


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 that records every request and answers
    with the `Reply` a subclass chooses (`reply_for`)."""

    protocol = "HTTP/1.0"

    def __init__(self, path: str = "", lock: threading.RLock | None = None) -> None:
        self.received: list[Received] = []
        self.stopping = threading.Event()
        self._cond = threading.Condition(lock)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def requests(self) -> list[Received]:
        """Every request so far (the adapter tests' name for `received`)."""
        return self.received

    def make_request(self, handler: BaseHTTPRequestHandler, body: bytes) -> Received:
        """The record of one request as it arrived."""
        return Received(
            handler.command, handler.path, handler.headers, body, time.time()
        )

    def reply_for(self, request: Received) -> Reply:
        """What to answer `request` (a subclass decides)."""
        raise NotImplementedError

    def start(self) -> Any:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; a slow answer still pending is cut short."""
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *_exc: Any) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Any]:
        """Block until `count` requests arrived (or `timeout`), then return them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return list(self.received)


class Receiver(LocalServer):
    """A local receiver that answers from a queue of replies, then its default."""

    def __init__(self, path: str = "/hook") -> None:
        super().__init__(path)
        self.replies: list[Reply] = []  # consumed in order; then `default`
        self.default = Reply()

    def answer(
        self,
        status: int,
        *,
        json_body: object = None,
        text: str = "",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        hang_up: bool = False,
    ) -> None:
        """Answer every next request so: status and JSON or text body, late or not
        at all."""
        body = json_body if json_body is not None else text
        self.default = Reply(status, body, headers or {}, delay, hang_up)

    def reply_for(self, request: Received) -> Reply:
        """The next queued reply, else the default."""
        with self._cond:
            return self.replies.pop(0) if self.replies else self.default


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `server`."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = server.protocol

        def serve(self) -> None:
            """Record the request, then answer with the server's reply."""
            length = int(self.headers.get("Content-Length") or 0)
            request = server.make_request(self, self.rfile.read(length))
            with server._cond:
                server.received.append(request)
                server._cond.notify_all()
            reply = server.reply_for(request)
            if reply.delay and server.stopping.wait(reply.delay):
                return
            if reply.hang_up:
                self.close_connection = True
                return
            data, headers = reply.encoded()
            try:
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, as the timeout tests intend

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = serve  # noqa: N815
        do_OPTIONS = serve  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05) -> bool:
    """Poll `predicate` until it is true or `timeout` passes; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of PUBLISHER_TEST_POSTGRES_URL's database in a new, empty schema,
    dropped afterwards."""
    base = os.environ["PUBLISHER_TEST_POSTGRES_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa_create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa_text(f"CREATE SCHEMA {schema}"))
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa_text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
