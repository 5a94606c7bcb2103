"""JSON API under /api/v1: bearer tokens, JSON errors that name the field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import db_session
from ..models import User
from ..services import accounts
from ..services.errors import InvalidInput, ServiceError

bp = Blueprint("api", __name__, url_prefix="/api")


def error_response(
    status: int, code: str, detail: str, fields: dict[str, str] | None = None
):
    """`{"error": code, "detail": message, "fields": {...}}` with `status`."""
    body: dict[str, Any] = {"error": code, "detail": detail}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="publisher"'
    return response


@bp.before_request
def _authenticate():
    """Every API call but the OpenAPI document needs `Authorization: Bearer <token>`."""
    if request.endpoint in ("api.openapi", None):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error_response(401, "unauthorized", "send Authorization: Bearer <token>")
    user = accounts.user_for_token(db_session(), token.strip())
    if user is None:
        return error_response(401, "unauthorized", "the token is unknown or revoked")
    db_session().commit()
    g.api_user = user
    return None


def current_user() -> User:
    """The user the bearer token belongs to."""
    return g.api_user


def json_body() -> Any:
    """The request's JSON, or InvalidInput if it is missing or malformed."""
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidInput(
            "send a JSON body with Content-Type: application/json",
            fields={"body": "not valid JSON"},
        )
    return data


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    db_session().rollback()
    return error_response(exc.status, exc.code, exc.message, exc.fields)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error_response(
        exc.code or 500,
        (exc.name or "error").lower().replace(" ", "_"),
        exc.description or "",
    )


from . import media, openapi, releases  # noqa: E402,F401  (routes register on bp)
