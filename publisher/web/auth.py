"""Sign-in with a password, the signed-in user, and role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from .. import db_session, metrics
from ..i18n import LANGUAGES
from ..models import Role, User
from ..services import accounts

bp = Blueprint("auth", __name__)


def load_user() -> None:
    """Put the signed-in user (or None) on `g.user` for this request."""
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None and not request.path.startswith(("/api/", "/feeds/")):
        user = db_session().get(User, user_id)
        g.user = user if user is not None and user.active else None


def inject_user() -> dict[str, Any]:
    """Templates see `current_user` and the roles."""
    return {"current_user": g.get("user"), "Role": Role}


def login_required(role: Role | None = None) -> Callable:
    """Send anonymous users to sign in; refuse users without `role` with 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if role is not None and not g.user.can(role):
                abort(403, _("Your role does not allow this."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form."""
    error = None
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        user = accounts.authenticate(
            db_session(), username, request.form.get("password", "")
        )
        if user is None:
            metrics.SIGN_IN_FAILURES.inc()
            error = _("Wrong username or password.")
        else:
            session.clear()
            session["user_id"] = user.id
            session.permanent = True
            target = request.args.get("next", "")
            # Only local paths: never redirect off-site after sign-in.
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("releases.index")
            return redirect(target)
    return render_template("login.html", error=error, username=username), (
        401 if error else 200
    )


@bp.post("/logout")
def logout():
    """Sign out."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Switch the UI language for this browser."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("releases.index")
    return redirect(target)
