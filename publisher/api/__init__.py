"""JSON API under /api/v1: bearer tokens, JSON errors that name the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from channel_adapters.notice import Notice

from .. import db_session, notices, state
from ..models import ApiToken, User, utcnow
from ..services import accounts
from ..services.errors import InvalidInput, ServiceError
from . import scopes

bp = Blueprint("api", __name__, url_prefix="/api")


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
    """The request's JSON, or InvalidInput if it is missing or malformed."""
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidInput("input.not_json", fields={"body": "input.not_json"})
    return data


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


from . import media, openapi, releases  # noqa: E402,F401  (routes register on bp)
