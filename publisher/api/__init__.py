"""JSON API under /api/v1: bearer tokens, JSON errors that name the field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from channel_adapters.notice import Notice

from .. import db_session, notices, state
from ..models import ApiToken, User, utcnow
from ..notices import abort_with
from ..services import accounts
from ..services.errors import InvalidInput, ServiceError
from . import scopes

bp = Blueprint("api", __name__, url_prefix="/api")
# No request of this API nests deeper than a few levels or needs megabytes.
MAX_JSON_DEPTH = 20
MAX_JSON_BYTES = 4 * 1024 * 1024


def error_response(
    status: int,
    error: str,
    notice: Notice | str,
    fields: Mapping[str, Notice] | None = None,
):
    """The JSON error: its family, the notice (code, params, message in the
    requester's language) and one notice per field that is wrong.

    `{"error": "invalid", "code": "input.invalid", "params": {}, "detail": "…",
    "fields": {"title": {"code": "field.required", "params": {}, "message": "…"}}}`
    """
    notice = Notice(notice) if isinstance(notice, str) else notice
    tz = state().config.organization.timezone
    shown = notices.as_json(notice, tz=tz)
    body: dict[str, Any] = {
        "error": error,
        "code": shown["code"],
        "params": shown["params"],
        "detail": shown["message"],
    }
    if fields:
        body["fields"] = {
            name: notices.as_json(value, tz=tz) for name, value in fields.items()
        }
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="publisher"'
    return response


@bp.before_request
def _authenticate():
    """Every API call but the OpenAPI document needs `Authorization: Bearer <token>`
    of a live token whose scope covers the call (`scopes.NEEDED`)."""
    if request.endpoint in scopes.PUBLIC or request.endpoint is None:
        return None
    api_token = bearer_token()
    if isinstance(api_token, Notice):
        return error_response(401, "unauthorized", api_token)
    db_session().commit()
    needed = scopes.needed(request.endpoint)
    if not api_token.scope.covers(needed):
        return error_response(
            403,
            "forbidden",
            Notice("auth.token_scope", {"scope": api_token.scope, "needed": needed}),
        )
    g.api_user = api_token.user
    return None


def bearer_token() -> ApiToken | Notice:
    """The live token in `Authorization: Bearer …`, or why there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Notice("auth.token_missing")
    api_token = accounts.token_for(db_session(), token.strip())
    if api_token is None:
        return Notice("auth.token_unknown")
    if api_token.expired(utcnow()):
        return Notice(
            "auth.token_expired", {"expired_at": api_token.expires_at.isoformat()}
        )
    return api_token


def current_user() -> User:
    """The user the bearer token belongs to."""
    return g.api_user


def json_body() -> Any:
    """The request's JSON, or InvalidInput if it is missing, malformed, too large
    or nested deeper than any request of this API needs."""
    if not request.is_json:
        raise InvalidInput("input.not_json", fields={"body": "input.not_json"})
    if (request.content_length or 0) > MAX_JSON_BYTES:
        abort_with(413, "input.too_large", limit_bytes=MAX_JSON_BYTES)
    raw = request.get_data(cache=True)
    if len(raw) > MAX_JSON_BYTES:
        abort_with(413, "input.too_large", limit_bytes=MAX_JSON_BYTES)
    if _depth(raw) > MAX_JSON_DEPTH:
        raise InvalidInput("input.too_deep", max=MAX_JSON_DEPTH)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise InvalidInput(
            "input.not_json", fields={"body": "input.not_json"}
        ) from None


def _depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in `raw` (brackets in strings ignored)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot be deeper than the brackets it has: the usual case
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    db_session().rollback()
    return error_response(exc.status, exc.error, exc.notice, exc.fields)


def http_error(exc: HTTPException):
    """A Werkzeug error (404, 405, 413 …) as the API's JSON error."""
    status = exc.code or 500
    notice = getattr(exc, "notice", None) or Notice(
        HTTP_NOTICES.get(status, "http.error"), {"status": status}
    )
    return error_response(
        status, (exc.name or "error").lower().replace(" ", "_"), notice
    )


bp.register_error_handler(HTTPException, http_error)

HTTP_NOTICES = {
    400: "http.bad_request",
    404: "http.not_found",
    405: "http.method_not_allowed",
}


from . import admin, channels, contacts, dashboard, media, openapi, releases  # noqa: E402,F401
from . import notifications as _notifications  # noqa: E402,F401
from . import review as review_endpoints  # noqa: E402,F401
