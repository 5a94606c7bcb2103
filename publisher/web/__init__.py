"""Server-rendered UI: blueprints, CSRF, and error pages (JSON under /api)."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from .. import notices, state

csrf = CSRFProtect()


def init_web(app: Flask) -> None:
    """Register the UI blueprints and the app-wide error handlers."""
    from ..api import bp as api_bp
    from ..api import http_error
    from . import admin, auth, channels, contacts, dashboard, media, public, releases
    from . import notifications as notifications_web
    from .address import bp as address_bp
    from .live import bp as live_bp
    from .review import bp as review_bp

    csrf.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    app.register_blueprint(auth.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(releases.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(channels.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(review_bp)  # comments and diffs
    app.register_blueprint(notifications_web.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(address_bp)
    # Mail clients POST the one-click unsubscribe (RFC 8058) without a CSRF token.
    csrf.exempt(contacts.unsubscribe)
    app.register_blueprint(admin.bp)
    app.before_request(admin.apply_overrides)
    app.before_request(auth.load_user)
    app.context_processor(auth.inject_user)
    app.context_processor(lambda: {"organization": state().config.organization})

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        message = _("The form has expired; reload the page and try again.")
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            return http_error(exc)
        # Werkzeug's descriptions are English: only a notice carried by the error
        # (`abort_with`) is shown; otherwise the page's title says enough.
        notice = getattr(exc, "notice", None)
        message = notices.render(notice) if notice else None
        return render_template("error.html", code=exc.code, message=message), exc.code
