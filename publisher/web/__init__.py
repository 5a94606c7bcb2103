"""Server-rendered UI: blueprints, CSRF, and error pages (JSON under /api)."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from .. import state

csrf = CSRFProtect()


def init_web(app: Flask) -> None:
    """Register the UI blueprints and the app-wide error handlers."""
    from ..api import bp as api_bp
    from ..api import error_response
    from . import auth, public, releases

    csrf.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    app.register_blueprint(auth.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(releases.bp)
    app.before_request(auth.load_user)
    app.context_processor(auth.inject_user)
    app.context_processor(lambda: {"organization": state().config.organization})

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return render_template("error.html", code=400, message=exc.description), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            return error_response(
                exc.code or 500,
                (exc.name or "error").lower().replace(" ", "_"),
                exc.description or "",
            )
        return render_template(
            "error.html", code=exc.code, message=exc.description
        ), exc.code
