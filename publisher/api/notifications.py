"""The caller's notifications and notification preferences."""

from __future__ import annotations

from flask import jsonify, request

from .. import db_session, notices, state
from ..services import notifications
from ..services.errors import InvalidInput
from . import bp, current_user, json_body

PAGE = 50


@bp.get("/v1/notifications")
def list_notifications():
    """The caller's notifications, newest first; `unread=true` for unread only,
    `before=<id>` for the next page (`next` gives it)."""
    before = request.args.get("before")
    if before is not None and not before.isdigit():
        raise InvalidInput(fields={"before": "field.not_integer"})
    session, user = db_session(), current_user()
    rows = notifications.listing(
        session, user, limit=PAGE, before=int(before) if before else None
    )
    if request.args.get("unread") == "true":
        rows = [r for r in rows if r.read_at is None]
    tz = state().config.organization.timezone
    body = {
        "unread": notifications.unread_count(session, user),
        "notifications": [
            notifications.as_dict(r, notices.render(r.notice, tz=tz)) for r in rows
        ],
        "next": None,
    }
    if len(rows) == PAGE:
        body["next"] = f"/api/v1/notifications?before={rows[-1].id}"
    return jsonify(body)


@bp.post("/v1/notifications/<int:notification_id>/read")
def read_notification(notification_id: int):
    """Mark one of the caller's notifications read."""
    row = notifications.mark_read(db_session(), current_user(), notification_id)
    db_session().commit()
    tz = state().config.organization.timezone
    return jsonify(notifications.as_dict(row, notices.render(row.notice, tz=tz)))


@bp.post("/v1/notifications/read")
def read_all_notifications():
    """Mark every notification of the caller read."""
    count = notifications.mark_all_read(db_session(), current_user())
    db_session().commit()
    return jsonify({"marked": count})


@bp.get("/v1/notifications/preferences")
def get_notification_preferences():
    """The caller's choices: kinds by e-mail and in the app, digest, address."""
    prefs = notifications.preferences(db_session(), current_user())
    return jsonify(prefs.as_dict())


@bp.put("/v1/notifications/preferences")
def put_notification_preferences():
    """Replace the caller's choices (fields left out take their defaults)."""
    data = json_body()
    if not isinstance(data, dict):
        raise InvalidInput(fields={"body": "field.not_object"})
    prefs = notifications.save_preferences(db_session(), current_user(), data)
    db_session().commit()
    return jsonify(prefs.as_dict())
