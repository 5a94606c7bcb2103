"""The administrators' screens: users, API tokens, the spoken-form glossary, the
organization profile, and the audit page (editors and viewers read it too).

Thin views: parse the form, call `services.admin`, redirect with a message.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from channel_adapters.notice import Notice

from .. import audit, db_session, state
from ..models import Role, TokenScope
from ..permissions import Action
from ..services import admin
from ..services.errors import ServiceError
from ..services.values import clean_line
from . import forms
from .auth import login_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
BASE_CONFIG = "config_file"  # config.yaml as loaded, before the UI's overrides


PUBLIC_ENDPOINTS = frozenset({"static", "media.public_file", "contacts.unsubscribe"})


def apply_overrides() -> None:
    """Lay the UI's channel switches and glossary entries over config.yaml for
    this request (every worker reads the same rows).

    Public reads (feeds, public pages and files, health, metrics) skip the two
    queries: they are the hot path partners poll, and they use neither the glossary
    nor a switch the signed-in desk has not already laid over the shared config.
    """
    if request.blueprint == "public" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    st = state()
    base = current_app.extensions.setdefault(BASE_CONFIG, st.config)
    st.config = admin.effective_config(db_session(), base)


def file_config():
    """config.yaml as loaded, without the UI's overrides."""
    return current_app.extensions.get(BASE_CONFIG, state().config)


def _done(code: str, endpoint: str, **params):
    """Commit, say what happened, and go back to the page."""
    db_session().commit()
    flash(forms.message(Notice(code, params)), "success")
    return redirect(url_for(endpoint), 303)


def _refused(exc: ServiceError, endpoint: str):
    """Roll back and show why, on the page the form came from."""
    db_session().rollback()
    if exc.status in (403, 404):
        return forms.refusal_page(exc)
    flash(forms.error_text(exc), "error")
    return redirect(url_for(endpoint), 303)


# --- users ---------------------------------------------------------------------


@bp.get("/users")
@login_required(Action.ADMINISTER)
def users():
    """Every user with their role and state, and the form for a new one."""
    return render_template(
        "admin/users.html",
        users=admin.list_users(db_session(), g.user),
        roles=list(Role),
        min_length=state().config.security.min_password_length,
    )


@bp.post("/users")
@login_required(Action.ADMINISTER)
def create_user():
    """A new user with a temporary password."""
    form = request.form
    try:
        user = admin.create_user(
            db_session(),
            g.user,
            clean_line(form.get("username", "")),
            form.get("role", ""),
            form.get("password", ""),
            clean_line(form.get("display_name", "")),
            state().config.security.min_password_length,
        )
    except ServiceError as exc:
        return _refused(exc, ".users")
    return _done("admin.user_created", ".users", username=user.username)


@bp.post("/users/<username>/active")
@login_required(Action.ADMINISTER)
def set_active(username: str):
    """Deactivate or reactivate a user."""
    active = request.form.get("active") == "1"
    try:
        admin.set_active(db_session(), g.user, username, active)
    except ServiceError as exc:
        return _refused(exc, ".users")
    code = "admin.user_reactivated" if active else "admin.user_deactivated"
    return _done(code, ".users", username=username)


@bp.post("/users/<username>/password")
@login_required(Action.ADMINISTER)
def reset_password(username: str):
    """A new temporary password for a user; their sessions end."""
    try:
        admin.reset_password(
            db_session(),
            g.user,
            username,
            request.form.get("password", ""),
            state().config.security.min_password_length,
        )
    except ServiceError as exc:
        return _refused(exc, ".users")
    return _done("admin.password_reset", ".users", username=username)


@bp.post("/users/<username>/role")
@login_required(Action.ADMINISTER)
def set_role(username: str):
    """A new role for a user."""
    role = request.form.get("role", "")
    try:
        admin.set_role(db_session(), g.user, username, role)
    except ServiceError as exc:
        return _refused(exc, ".users")
    return _done("admin.role_changed", ".users", username=username, role=role)


# --- tokens --------------------------------------------------------------------


def _tokens_page(secret: str | None = None, status: int = 200):
    database = db_session()
    return render_template(
        "admin/tokens.html",
        tokens=admin.list_tokens(database, g.user),
        users=[u for u in admin.list_users(database, g.user) if u.active],
        scopes=list(TokenScope),
        secret=secret,
    ), status


@bp.get("/tokens")
@login_required(Action.ADMINISTER)
def tokens():
    """Every API token: label, owner, scope, last use; revoke; create."""
    return _tokens_page()


@bp.post("/tokens")
@login_required(Action.ADMINISTER)
def create_token():
    """A new token; its secret is shown on this one page and never again."""
    form = request.form
    try:
        secret = admin.create_token(
            db_session(),
            g.user,
            form.get("username", ""),
            clean_line(form.get("label", "")),
            form.get("scope", ""),
            form.get("expires", ""),
        )
    except ServiceError as exc:
        return _refused(exc, ".tokens")
    db_session().commit()
    return _tokens_page(secret, 201)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required(Action.ADMINISTER)
def revoke_token(token_id: int):
    """Revoke a token at once."""
    try:
        token = admin.revoke_token(db_session(), g.user, token_id)
    except ServiceError as exc:
        return _refused(exc, ".tokens")
    return _done("admin.token_revoked", ".tokens", prefix=token.prefix)


# --- glossary and organization ---------------------------------------------------


@bp.get("/glossary")
@login_required(Action.ADMINISTER)
def glossary():
    """The spoken forms: config.yaml's and the ones added here."""
    return render_template(
        "admin/glossary.html",
        from_file=file_config().glossary,
        entries=admin.glossary_entries(db_session()),
    )


@bp.post("/glossary")
@login_required(Action.ADMINISTER)
def set_term():
    """Add or change a term's spoken form."""
    term = clean_line(request.form.get("term", ""))
    try:
        admin.set_term(db_session(), g.user, term, request.form.get("spoken", ""))
    except ServiceError as exc:
        return _refused(exc, ".glossary")
    return _done("admin.term_saved", ".glossary", term=term)


@bp.post("/glossary/remove")
@login_required(Action.ADMINISTER)
def remove_term():
    """Remove a term added here."""
    term = request.form.get("term", "")
    try:
        admin.remove_term(db_session(), g.user, term)
    except ServiceError as exc:
        return _refused(exc, ".glossary")
    return _done("admin.term_removed", ".glossary", term=term)


@bp.get("/organization")
@login_required(Action.ADMINISTER)
def organization():
    """The organization profile, read-only: it comes from config.yaml."""
    return render_template(
        "admin/organization.html", profile=state().config.organization
    )


# --- audit ---------------------------------------------------------------------


@bp.get("/audit")
@login_required(Action.AUDIT)
def audit_log():
    """The audit trail of everything, filtered, with the chain's verdict."""
    args = request.args
    tz = forms.zone(state().config.organization.timezone)
    errors: dict[str, str] = {}
    since, until = (_day(args, key, tz, errors) for key in ("since", "until"))
    release = args.get("release", "").strip()
    where = admin.AuditFilter(
        username=clean_line(args.get("user", "")),
        release_id=int(release) if release.isdigit() else None,
        action=args.get("action", "").strip(),
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    page = args.get("page", "1")
    page = int(page) if page.isdigit() else 1
    database = db_session()
    try:
        events, older = admin.audit_page(database, g.user, where, page)
    except ServiceError as exc:
        return forms.refusal_page(exc)
    query = {k: v for k, v in args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        events=events,
        older=older,
        page=page,
        query=query,
        args=args,
        actions=admin.audit_actions(database),
        verdict=audit.verify(database),
        errors=errors,
    ), (422 if errors else 200)


def _day(args, key: str, tz, errors: dict[str, str]):
    """The start of the day `args[key]` (YYYY-MM-DD) in the office's zone; None
    when empty, and an error for the field when it is not a date."""
    value = args.get(key, "").strip()
    if not value:
        return None
    try:
        return forms.parse_local(value + "T00:00", tz)
    except ValueError:
        errors[key] = forms.message("field.not_datetime")
        return None
