"""Administration through the API: users, tokens, channel switches, the glossary
(administrators) and the audit trail (editors, administrators and viewers).
The same services as the UI, so the same rules and the same audit events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request

from .. import audit, db_session, state
from ..models import ApiToken, AuditEvent, User
from ..services import admin
from ..services.errors import InvalidInput
from ..web.admin import file_config
from . import bp, current_user, json_body

_PATH = {"in": "path", "required": True, "schema": {"type": "string"}}
_ERR = {"$ref": "#/components/responses/Error"}


def user_json(user: User) -> dict[str, Any]:
    """A user as the API shows it (never the password hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": str(user.role),
        "active": user.active,
        "created_at": user.created_at.isoformat(),
    }


def token_json(token: ApiToken) -> dict[str, Any]:
    """A token as the API shows it: its prefix, never the secret or its hash."""
    return {
        "id": token.id,
        "label": token.name,
        "prefix": token.prefix,
        "username": token.user.username,
        "scope": str(token.scope),
        "created_at": token.created_at.isoformat(),
        "last_used_at": _iso(token.last_used_at),
        "expires_at": _iso(token.expires_at),
        "revoked_at": _iso(token.revoked_at),
    }


def event_json(event: AuditEvent) -> dict[str, Any]:
    """An audit event with its place in the chain."""
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "release_id": event.release_id,
        "delivery_id": event.delivery_id,
        "detail": event.detail,
        "chain_seq": event.chain_seq,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _object() -> dict[str, Any]:
    body = json_body()
    if not isinstance(body, dict):
        raise InvalidInput(fields={"body": "field.not_object"})
    return body


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(fields={key: "field.not_text"})
    return value


@bp.get("/v1/users")
def list_users():
    """Every user."""
    users = admin.list_users(db_session(), current_user())
    return jsonify({"users": [user_json(u) for u in users]})


@bp.post("/v1/users")
def create_user():
    """A new user with a temporary password."""
    admin.require(current_user())  # before reading the body
    body = _object()
    user = admin.create_user(
        db_session(),
        current_user(),
        _text(body, "username"),
        _text(body, "role"),
        _text(body, "password"),
        _text(body, "display_name"),
        state().config.security.min_password_length,
    )
    db_session().commit()
    return jsonify(user_json(user)), 201


@bp.patch("/v1/users/<username>")
def update_user(username: str):
    """Change a user's `active`, `role` or (temporary) `password`."""
    admin.require(current_user())  # before reading the body
    body = _object()
    database, actor = db_session(), current_user()
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise InvalidInput(fields={"active": "field.not_boolean"})
        admin.set_active(database, actor, username, body["active"])
    if "role" in body:
        admin.set_role(database, actor, username, _text(body, "role"))
    if "password" in body:
        admin.reset_password(
            database,
            actor,
            username,
            _text(body, "password"),
            state().config.security.min_password_length,
        )
    user = admin.list_users(database, actor)
    database.commit()
    return jsonify(user_json(next(u for u in user if u.username == username)))


@bp.get("/v1/tokens")
def list_tokens():
    """Every API token, newest first (prefixes only)."""
    tokens = admin.list_tokens(db_session(), current_user())
    return jsonify({"tokens": [token_json(t) for t in tokens]})


@bp.post("/v1/tokens")
def create_token():
    """A new token; the secret is in this answer only."""
    admin.require(current_user())  # before reading the body
    body = _object()
    secret = admin.create_token(
        db_session(),
        current_user(),
        _text(body, "username"),
        _text(body, "label"),
        _text(body, "scope"),
        _text(body, "expires"),
    )
    db_session().commit()
    return jsonify({"token": secret, "prefix": secret[:8]}), 201


@bp.post("/v1/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Revoke a token at once."""
    token = admin.revoke_token(db_session(), current_user(), token_id)
    db_session().commit()
    return jsonify(token_json(token))


@bp.put("/v1/channels/<name>/enabled")
def switch_channel(name: str):
    """`{"enabled": true|false}` over config.yaml's default."""
    admin.require(current_user())  # before reading the body
    body = _object()
    if not isinstance(body.get("enabled"), bool):
        raise InvalidInput(fields={"enabled": "field.not_boolean"})
    admin.switch_channel(
        db_session(), file_config(), current_user(), name, body["enabled"]
    )
    db_session().commit()
    return jsonify({"channel": name, "enabled": body["enabled"]})


@bp.get("/v1/glossary")
def get_glossary():
    """The glossary in use: config.yaml's entries with the UI's laid over."""
    admin.require(current_user())
    added = admin.glossary_entries(db_session())
    return jsonify(
        {
            "glossary": {**file_config().glossary, **added},
            "added": added,
        }
    )


@bp.put("/v1/glossary/<term>")
def put_term(term: str):
    """Add or change a term's spoken form: `{"spoken": "…"}`."""
    admin.require(current_user())  # before reading the body
    body = _object()
    admin.set_term(db_session(), current_user(), term, _text(body, "spoken"))
    db_session().commit()
    return jsonify({"term": term.strip(), "spoken": " ".join(body["spoken"].split())})


@bp.delete("/v1/glossary/<term>")
def delete_term(term: str):
    """Remove a term added through the UI or the API."""
    admin.remove_term(db_session(), current_user(), term)
    db_session().commit()
    return "", 204


@bp.get("/v1/audit")
def list_audit():
    """Audit events, newest first, filtered by `user`, `release`, `action`,
    `since` and `until` (ISO 8601), 50 per `page`; and whether the chain holds."""
    args = request.args
    where = admin.AuditFilter(
        username=args.get("user", "").strip(),
        release_id=_int(args, "release"),
        action=args.get("action", "").strip(),
        since=_moment(args, "since"),
        until=_moment(args, "until"),
    )
    page = _int(args, "page") or 1
    database = db_session()
    events, older = admin.audit_page(database, current_user(), where, page)
    verdict = audit.verify(database)
    return jsonify(
        {
            "events": [event_json(e) for e in events],
            "page": page,
            "next_page": page + 1 if older else None,
            "chain": {"ok": verdict.ok, "events": verdict.count},
        }
    )


def _int(args, key: str) -> int | None:
    value = args.get(key, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(fields={key: "field.not_integer"})
    return int(value)


def _moment(args, key: str) -> datetime | None:
    value = args.get(key, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(fields={key: "field.not_datetime"}) from None
    if moment.tzinfo is None:
        raise InvalidInput(fields={key: "field.not_datetime"})
    return moment


def _op(summary: str, ok: int = 200, errors=(401, 403, 422)) -> dict[str, Any]:
    return {
        "summary": summary,
        "responses": {str(ok): {"description": "OK"}}
        | {str(code): _ERR for code in errors},
    }


# Merged into the OpenAPI document (api/openapi.py).
PATHS: dict[str, Any] = {
    "/api/v1/users": {
        "get": _op("List users (administrators)"),
        "post": _op("Create a user: username, role, password, display_name", ok=201),
    },
    "/api/v1/users/{username}": {
        "parameters": [{"name": "username", **_PATH}],
        "patch": _op("Change a user's active, role or temporary password"),
    },
    "/api/v1/tokens": {
        "get": _op("List API tokens (prefixes, scopes, last use)"),
        "post": _op("Create a token: username, label, scope, expires", ok=201),
    },
    "/api/v1/tokens/{token_id}/revoke": {
        "parameters": [{"name": "token_id", **_PATH}],
        "post": _op("Revoke a token", errors=(401, 403, 404)),
    },
    "/api/v1/channels/{name}/enabled": {
        "parameters": [{"name": "name", **_PATH}],
        "put": _op("Switch a channel on or off over config.yaml: {enabled}"),
    },
    "/api/v1/glossary": {"get": _op("The spoken-form glossary in use")},
    "/api/v1/glossary/{term}": {
        "parameters": [{"name": "term", **_PATH}],
        "put": _op("Add or change a term's spoken form: {spoken}"),
        "delete": _op("Remove a term added in the UI or API", ok=204),
    },
    "/api/v1/audit": {
        "get": _op(
            "Audit events (user, release, action, since, until, page) and the "
            "chain's verdict"
        ),
    },
}
