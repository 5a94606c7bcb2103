"""Sign-in (password, then a TOTP code when the user has one), the signed-in user,
the user's own account page, and role checks for views."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from .. import db_session, metrics, state
from ..i18n import LANGUAGES
from ..models import Role, User
from ..notices import abort_with
from ..permissions import Action, allows
from ..services import accounts, signin
from ..services.errors import InvalidInput
from ..services.signin import TooManyAttempts
from ..services.values import clean_line
from . import forms

bp = Blueprint("auth", __name__)

PENDING_SECONDS = 300  # between the password and the code
# What a user whose password an administrator chose may open: choosing their own.
OWN_PASSWORD = frozenset({"auth.account", "auth.change_password"})


def load_user() -> None:
    """Put the signed-in user (or None) on `g.user` for this request.

    A session signed before the user's last sign-out or password change (an older
    `session_version`) no longer counts, in any browser.
    """
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None and not request.path.startswith(("/api/", "/feeds/")):
        user = db_session().get(User, user_id)
        if (
            user is not None
            and user.active
            and session.get("v") == user.session_version
        ):
            g.user = user


def inject_user() -> dict[str, Any]:
    """Templates see `current_user` and the roles."""
    return {"current_user": g.get("user"), "Role": Role}


def login_required(role: Role | Action | None = None) -> Callable:
    """Send anonymous users to sign in; refuse users without `role` (or without
    the permission table's `action`) with 403 and a notice."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path))
            if g.user.must_change_password and request.endpoint not in OWN_PASSWORD:
                flash(forms.message("auth.choose_own_password"), "warning")
                return redirect(url_for("auth.account"), 303)
            if isinstance(role, Action) and not allows(g.user, role):
                abort_with(403, "admin.not_allowed")
            if isinstance(role, Role) and not g.user.can(role):
                abort(403, _("Your role does not allow this."))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def safe_target(target: str | None) -> str:
    """`target` if it is a path on this site, else the dashboard.

    Refuses anything a browser could read as another site: `//host`, `/\\host`,
    a scheme, and control characters that browsers drop (`/%09/evil` → `//evil`).
    """
    target = target or ""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or "\\" in target
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)
        or parts.scheme
        or parts.netloc
    ):
        return url_for("dashboard.index")
    return target


def client_address() -> str | None:
    """The client's address (behind `security.trusted_proxies` proxies, theirs)."""
    return request.remote_addr


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form: username and password."""
    username = clean_line(request.form.get("username", ""))
    if request.method == "GET":
        return _login_page(username)
    security = state().config.security
    database = db_session()
    try:
        signin.check_allowed(database, security, username, client_address())
    except TooManyAttempts as exc:
        return _refused(exc, "login.html", username=username)
    user = accounts.authenticate(database, username, request.form.get("password", ""))
    if user is None:
        metrics.SIGN_IN_FAILURES.inc()
        signin.record_failure(database, security, username, client_address())
        database.commit()
        return _login_page(username, _("Wrong username or password."), 401)
    signin.record_success(database, username, client_address())
    database.commit()
    target = request.args.get("next", "")
    if signin.needs_second_factor(user) or signin.must_enrol(user, security):
        _start_pending(user, target)
        step = "auth.second_factor" if user.totp_secret else "auth.enrol"
        return redirect(url_for(step), 303)
    return _finish(user, target)


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        return redirect(url_for(".login"), 303)
    if request.method == "GET":
        return render_template("auth/code.html")
    security = state().config.security
    database = db_session()
    try:
        signin.check_allowed(database, security, user.username, client_address())
    except TooManyAttempts as exc:
        return _refused(exc, "auth/code.html")
    if not signin.verify_code(database, user, request.form.get("code", "")):
        metrics.SIGN_IN_FAILURES.inc()
        signin.record_failure(database, security, user.username, client_address())
        database.commit()
        error = forms.message("auth.code_wrong")
        return render_template("auth/code.html", error=error), 401
    database.commit()
    return _finish(user, session.get("pending", {}).get("next", ""))


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    """Set up the second factor: scan the QR code, type one code to confirm."""
    user = g.get("user") or _pending_user()
    if user is None:
        return redirect(url_for(".login"), 303)
    if user.totp_secret:
        return redirect(url_for(".account"), 303)
    secret = session.get("enrol_secret") or signin.new_secret()
    session["enrol_secret"] = secret
    error = None
    if request.method == "POST":
        done = signin.enrol(db_session(), user, secret, request.form.get("code", ""))
        if done is not None:
            db_session().commit()
            session.pop("enrol_secret", None)
            return render_template(
                "auth/recovery_codes.html", codes=done.recovery_codes
            )
        error = forms.message("auth.code_wrong")
    issuer = state().config.organization.short_name
    uri = signin.provisioning_uri(secret, user, issuer)
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=5, title=issuer))
    page = render_template(
        "auth/enrol.html",
        qr=qr,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=signin.must_enrol(user, state().config.security),
        error=error,
    )
    return page, (422 if error else 200)


@bp.post("/login/enrol/done")
def enrol_done():
    """After the recovery codes were shown: finish signing in, or back to the
    account page."""
    if g.get("user") is not None:
        flash(forms.message("auth.two_factor_on"), "success")
        return redirect(url_for(".account"), 303)
    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for(".login"), 303)
    return _finish(user, session.get("pending", {}).get("next", ""))


@bp.get("/account")
@login_required()
def account():
    """The user's own account: password and second factor."""
    return _account_page({})


@bp.post("/account/password")
@login_required()
def change_password():
    """A new password; every session of the user ends, so sign in again."""
    security = state().config.security
    database = db_session()
    user = g.user
    errors: dict[str, str] = {}
    new = request.form.get("new_password", "")
    if not accounts.authenticate(
        database, user.username, request.form.get("current_password", "")
    ):
        errors["current_password"] = forms.message("auth.password_wrong")
    elif new != request.form.get("confirm_password", ""):
        errors["confirm_password"] = forms.message("auth.password_mismatch")
    else:
        try:
            accounts.set_password(
                database,
                user,
                new,
                security.min_password_length,
                (state().config.organization.short_name,),
            )
        except InvalidInput as exc:
            errors = {
                "new_password": forms.message(exc.fields.get("password", exc.notice))
            }
    if errors:
        database.rollback()
        return _account_page(errors), 422
    database.commit()
    _clear_session()
    flash(forms.message("auth.password_changed"), "success")
    return redirect(url_for(".login"), 303)


def _account_page(errors: dict[str, str]) -> str:
    """The account page, with field errors of a refused password change."""
    user, security = g.user, state().config.security
    return render_template(
        "auth/account.html",
        two_factor=bool(user.totp_secret),
        required=user.role in security.two_factor_required_for,
        codes_left=len(user.recovery_codes or ()),
        min_length=security.min_password_length,
        errors=errors,
    )


@bp.post("/account/two-factor/off")
@login_required()
def two_factor_off():
    """Turn the second factor off, with a current code (not when it is required)."""
    user = g.user
    if user.role in state().config.security.two_factor_required_for:
        flash(forms.message("auth.two_factor_required"), "error")
    elif not signin.verify_code(db_session(), user, request.form.get("code", "")):
        flash(forms.message("auth.code_wrong"), "error")
    else:
        signin.disable(db_session(), user)
        db_session().commit()
        flash(forms.message("auth.two_factor_off"), "success")
    return redirect(url_for(".account"), 303)


@bp.post("/logout")
def logout():
    """Sign out, here and in every other browser of this user."""
    if g.get("user") is not None:
        g.user.session_version += 1
        db_session().commit()
    _clear_session()
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Switch the UI language for this browser."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_target(request.form.get("next", "")))


def _login_page(username: str, error: str | None = None, status: int = 200):
    return render_template("login.html", error=error, username=username), status


def _refused(exc: TooManyAttempts, template: str, **context: Any):
    """A throttled try: 429, the wait in the message and in Retry-After."""
    db_session().rollback()
    page = render_template(template, error=forms.message(exc.notice), **context)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else {}
    return page, 429, headers


def _start_pending(user: User, target: str) -> None:
    _clear_session()
    session["pending"] = {
        "id": user.id,
        "v": user.session_version,
        "next": target,
        "at": time.time(),
    }


def _pending_user() -> User | None:
    pending = session.get("pending") or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db_session().get(User, pending.get("id"))
    if user is None or not user.active or user.session_version != pending.get("v"):
        return None
    return user


def _finish(user: User, target: str):
    _clear_session()
    session["user_id"] = user.id
    session["v"] = user.session_version
    session.permanent = True
    return redirect(safe_target(target), 303)


def _clear_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
