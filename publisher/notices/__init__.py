"""The one catalog of what people read: a notice code to a sentence, per language.

Services, validation, adapters and the dispatcher produce `Notice(code, params)`
values (`channel_adapters.notice`); only the edge (web pages, the API, e-mail
notifications) calls `render` to turn one into Bahasa Indonesia or English. The
English sentence is the gettext msgid; its Indonesian translation lives in
`publisher/translations/id/LC_MESSAGES/messages.po` beside the rest of the UI.

Each area keeps its codes in a module of its own (`core`, `delivery`, `adapters`,
`media`); a test checks that every code used anywhere in the tree is here and
translated, with the same placeholders in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _gettext

from channel_adapters.notice import Notice
from channel_adapters.text import formatting

from . import adapters, core, delivery, labels, media

__all__ = ["CATALOG", "Notice", "render", "render_all", "as_json"]

CATALOG: dict[str, str] = {}
for _area in (core, delivery, adapters, media):
    _clash = CATALOG.keys() & _area.MESSAGES.keys()
    if _clash:  # pragma: no cover - caught by the catalog test at once
        raise RuntimeError(f"notice codes defined twice: {sorted(_clash)}")
    CATALOG.update(_area.MESSAGES)


class _Params(dict):
    """Parameters for %-formatting: a missing one shows as `?`, never raises."""

    def __missing__(self, key: str) -> str:
        return "?"


def _shown(key: str, value: Any, tz: str | None, language: str) -> Any:
    """A parameter as the reader sees it: times local, statuses and fields named."""
    if isinstance(value, list):
        return ", ".join(str(_shown(key, v, tz, language)) for v in value)
    if key.endswith("_at") and isinstance(value, str) and tz:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return formatting.short_datetime(moment, tz, language)
        return value
    label = labels.label_for(key, value)
    if label is not None:
        return str(label)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
        return f"{value:,}".replace(",", "." if language == "id" else ",")
    return value


def render(
    notice: Notice | Mapping[str, Any] | str,
    *,
    tz: str | None = None,
    language: str | None = None,
) -> str:
    """The notice as a sentence in `language` (default: the request's locale).

    An unknown code shows the code itself with its parameters, so a missing entry
    is visible and reported by the catalog test, never an English sentence.
    """
    notice = Notice.from_stored(notice)
    if language is not None:
        with force_locale(language):
            return render(notice, tz=tz)
    lang = str(get_locale() or "id")
    msgid = CATALOG.get(notice.code)
    if msgid is None:
        return str(notice)
    params = _Params(
        {k: _shown(k, v, tz, lang) for k, v in (notice.params or {}).items()}
    )
    return _gettext(msgid) % params if "%(" in msgid else _gettext(msgid)


def render_all(notices: Iterable[Any], **options: Any) -> list[str]:
    """Several notices, each rendered."""
    return [render(n, **options) for n in notices]


def as_json(notice: Notice | Mapping[str, Any] | str, **options: Any) -> dict:
    """The API form: the code, its parameters and the sentence in the reader's
    language."""
    notice = Notice.from_stored(notice)
    return {**notice.as_dict(), "message": render(notice, **options)}
