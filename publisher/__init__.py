"""Press-release publisher: draft once, approve once, deliver everywhere on time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from .config import Config, load_config
from .db import Database
from .security import instance_secret as _instance_secret

__all__ = ["create_app", "state", "db_session"]


@dataclass
class State:
    """What the app shares across requests: the config and the database."""

    config: Config
    db: Database


def create_app(test_config: Config | dict[str, Any] | None = None) -> Flask:
    """Build the web app; never starts a scheduler (see `publisher run`).

    `test_config` is a ready `Config`, or a mapping of Flask settings that may hold
    `PUBLISHER_CONFIG` (a path) to read instead of $PUBLISHER_CONFIG.
    """
    from .paths import templates_dir

    flask_settings: dict[str, Any] = {}
    if isinstance(test_config, Config):
        config = test_config
    else:
        flask_settings = dict(test_config or {})
        config = load_config(flask_settings.pop("PUBLISHER_CONFIG", None))

    app = Flask(
        __name__,
        template_folder=str(templates_dir() / "web"),
        static_folder=str(templates_dir() / "web" / "static"),
        instance_path=str(config.data_dir),
    )
    app.config.update(
        SECRET_KEY=config.secret_key or _instance_secret(config.data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.organization.public_url.startswith("https://"),
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.config.update(flask_settings)
    app.json.sort_keys = False  # API objects keep their documented field order
    database = Database(config.database_url)
    app.extensions["publisher"] = State(config=config, db=database)

    from . import i18n, logs, maintenance
    from .api import bp as api_bp
    from .storage import open_storage
    from .web import hardening, init_web

    hardening.init_app(app, config.security)  # first: routes use its converter
    # A killed upload leaves its temporary file; every start sweeps old ones.
    maintenance.remove_stale_uploads(open_storage(config))
    logs.init_app(app)
    if config.logging.format == "json":  # also under gunicorn, which calls only this
        logs.configure("json")
    i18n.init_app(app)
    init_web(app)
    app.register_blueprint(api_bp)
    app.teardown_appcontext(_close_session)
    return app


def state() -> State:
    """The current app's config and database."""
    return current_app.extensions["publisher"]


def db_session() -> Session:
    """This request's database session, opened on first use."""
    if "db_session" not in g:
        g.db_session = state().db.sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()
