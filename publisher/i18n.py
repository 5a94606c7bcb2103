"""UI language (Bahasa Indonesia first, English as a choice) and local-time display."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, request, session
from flask_babel import Babel
from markupsafe import Markup

from channel_adapters.text import formatting

LANGUAGES = ("id", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The user's choice in this browser, else the organization's language."""
    from . import state

    if request.path.startswith("/api/"):  # the API speaks the caller's language
        asked = request.accept_languages.best_match(LANGUAGES)
        if asked:
            return asked
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

    def notice_text(stored: object) -> Markup | str:
        """A stored notice (a delivery's error) as a sentence in the reader's
        language, times in the organization's zone; "" when there is none."""
        if not stored:
            return ""
        from .notices import render_html

        return render_html(stored, tz=state().config.organization.timezone)

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["notice"] = notice_text
    app.jinja_env.globals["zone_label"] = lambda: formatting.zone_label(
        state().config.organization.timezone
    )
