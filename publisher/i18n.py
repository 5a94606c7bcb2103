"""UI language (Bahasa Indonesia first, English as a choice) and local-time display."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, session
from flask_babel import Babel

from channel_adapters.text import formatting

LANGUAGES = ("id", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The user's choice in this browser, else the organization's language."""
    from . import state

    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    default = state().config.organization.language
    return default


def init_app(app: Flask) -> None:
    """Install Flask-Babel and the date filters templates use."""
    Babel(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )

    from . import state

    def local_time(moment: datetime | None, style: str = "short") -> str:
        """A UTC moment in the organization's zone, as a local reader writes it."""
        if moment is None:
            return ""
        tz = state().config.organization.timezone
        lang = select_locale()
        if style == "long":
            return formatting.long_datetime(moment, tz, lang)
        return formatting.short_datetime(moment, tz, lang)

    app.jinja_env.filters["local_time"] = local_time

    from .notices import render as render_notice

    def notice(value: object) -> str:
        """A stored or fresh notice as a sentence in the reader's language."""
        return render_notice(value, tz=state().config.organization.timezone)

    app.jinja_env.filters["notice"] = notice
    app.jinja_env.globals["zone_label"] = lambda: formatting.zone_label(
        state().config.organization.timezone
    )
