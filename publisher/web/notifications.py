"""The bell: a user's notifications, marking them read, and their preferences."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import db_session, state
from ..services import notifications
from ..services.errors import InvalidInput, ServiceError
from . import forms
from .auth import login_required

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    """The navigation's bell: the signed-in user's unread count, on demand."""

    def unread() -> int:
        user = g.get("user")
        return notifications.unread_count(db_session(), user) if user else 0

    return {"notifications_unread": unread}


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    db_session().rollback()
    return forms.refusal_page(exc)


@bp.get("/notifications")
@login_required()
def index():
    """The user's notifications, newest first, unread ones marked."""
    return render_template(
        "notifications/index.html",
        rows=notifications.listing(db_session(), g.user, limit=100),
        tz=state().config.organization.timezone,
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required()
def read(notification_id: int):
    """Mark one read; with `open`, go on to its release."""
    row = notifications.mark_read(db_session(), g.user, notification_id)
    db_session().commit()
    if request.form.get("open") and row.release_id:
        return redirect(url_for("releases.detail", release_id=row.release_id), 303)
    return redirect(url_for(".index"), 303)


@bp.post("/notifications/read-all")
@login_required()
def read_all():
    """Mark every notification read."""
    notifications.mark_all_read(db_session(), g.user)
    db_session().commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"), 303)


@bp.get("/notifications/preferences")
@login_required()
def preferences():
    """Which notifications the user gets, where, and the daily digest."""
    prefs = notifications.preferences(db_session(), g.user)
    return _preferences_page(prefs.as_dict(), {})


@bp.post("/notifications/preferences")
@login_required()
def save_preferences():
    """Store the choices from the form."""
    form = request.form
    data = {
        "email": form.get("email", ""),
        "language": form.get("language", ""),
        "email_kinds": form.getlist("email_kinds"),
        "app_kinds": form.getlist("app_kinds"),
        "daily_digest": form.get("daily_digest") == "1",
    }
    try:
        notifications.save_preferences(db_session(), g.user, data)
    except InvalidInput as exc:
        db_session().rollback()
        errors = {name: forms.message(n) for name, n in exc.fields.items()}
        return _preferences_page(data, errors), 422
    db_session().commit()
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for(".preferences"), 303)


def _preferences_page(values: dict[str, Any], errors: dict[str, str]) -> str:
    return render_template(
        "notifications/preferences.html",
        values=values,
        errors=errors,
        kinds=notifications.KINDS,
        kind_labels=kind_labels(),
        mail_enabled=state().config.notifications.enabled,
    )


def kind_labels() -> dict[str, str]:
    """Each kind as the preferences page names it."""
    return {
        "review_waiting": _("A release waits for review"),
        "approved": _("My release was approved"),
        "rejected": _("My release was sent back"),
        "commented": _("Someone commented on my release"),
        "mentioned": _("Someone mentioned me in a comment"),
        "delivery_failed": _("A delivery failed"),
        "delivery_unknown": _("A delivery's outcome is unknown"),
        "delivery_missed": _("A delivery missed its time"),
    }
