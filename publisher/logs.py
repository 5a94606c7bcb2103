"""Log lines as text or JSON, each web request's lines carrying its request id.

Every request gets an id: a sane incoming `X-Request-Id` (from a reverse proxy) is
kept, anything else is replaced by a new one; the response echoes it, and every
log line written while the request is served carries it (`request_id`), so one
request's lines can be found among many workers. `logging: {format: json}` in
config.yaml writes one JSON object per line for a log collector.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request

HEADER = "X-Request-Id"
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("publisher.request")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; only annotate it."""
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON (exceptions as a `traceback` string)."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message`, plus `request_id=…` inside a request."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """The usual text line, with the request id appended when there is one."""
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} request_id={request_id}" if request_id else text


def configure(log_format: str, handlers: list[logging.Handler] | None = None) -> None:
    """Give the root logger's handlers (one on stderr if none) the chosen format
    and the request-id filter; safe to call more than once."""
    root = logging.getLogger()
    if handlers is None:
        if not root.handlers:
            root.addHandler(logging.StreamHandler())
        handlers = root.handlers
    for handler in handlers:
        handler.setFormatter(
            JsonFormatter() if log_format == "json" else TextFormatter()
        )
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())


def init_app(app: Flask) -> None:
    """Give every request an id, echo it, and log one line per request."""
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _begin() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_token = current_request_id.set(g.request_id)
    g.request_started = time.monotonic()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[HEADER] = request_id
        duration = round((time.monotonic() - g.request_started) * 1000, 1)
        access_log.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            duration,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration,
            },
        )
    return response


def _forget(_exc: BaseException | None) -> None:
    token = g.pop("request_token", None)
    if token is not None:
        current_request_id.reset(token)
