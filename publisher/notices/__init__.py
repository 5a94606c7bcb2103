"""The one catalog of what people read: a notice code to a sentence, per language.

Services, validation, adapters and the dispatcher produce `Notice(code, params)`
values (`channel_adapters.notice`); only the edge (web pages, the API, e-mail
notifications) calls `render` to turn one into Bahasa Indonesia or English. The
English sentence is the gettext msgid; its Indonesian translation lives in
`publisher/translations/id/LC_MESSAGES/messages.po` beside the rest of the UI.

Each area keeps its codes in a module of its own (`core`, `delivery`, `adapters`,
`media`, `ops`); a test checks that every code used anywhere in the tree is here and
translated, with the same placeholders in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, NoReturn

from babel.numbers import format_decimal
from flask import abort, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _gettext
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from channel_adapters.notice import Notice
from channel_adapters.text import formatting

from . import adapters, contacts, core, delivery, labels, media, notify, ops, review
from . import admin as admin_codes

__all__ = [
    "CATALOG",
    "Notice",
    "abort_with",
    "as_json",
    "plain",
    "render",
    "render_all",
]

CATALOG: dict[str, str] = {}
AREAS = (core, delivery, adapters, media, ops, contacts, review, notify, admin_codes)
for _area in AREAS:
    _clash = CATALOG.keys() & _area.MESSAGES.keys()
    if _clash:  # pragma: no cover - caught by the catalog test at once
        raise RuntimeError(f"notice codes defined twice: {sorted(_clash)}")
    CATALOG.update(_area.MESSAGES)


# Parameters that carry someone else's words verbatim (never translated).
QUOTED = frozenset({"remote", "remote_message"})


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
    if key.endswith("_bytes") and isinstance(value, int):
        return labels.filesize(value, language)
    if key.endswith("_duration") and isinstance(value, int | float):
        return labels.duration(value, language)
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.#", locale=language)
    label = labels.label_for(key, value)
    if label is not None:
        return str(label)
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
    if not has_app_context():  # the command line: English, the msgid itself
        return _format(notice, lambda msgid: msgid, tz, "en")
    if language is not None:
        with force_locale(language):
            return render(notice, tz=tz)
    return _format(notice, _gettext, tz, str(get_locale() or "id"))


def render_html(
    notice: Notice | Mapping[str, Any] | str, *, tz: str | None = None
) -> Markup:
    """The notice for a web page: escaped, and words that are not ours (a remote's
    own message, a stored sentence from before codes) inside `<q class="remote">`,
    so readers and tests can tell them from the product's own sentence."""
    notice = Notice.from_stored(notice)
    lang = str(get_locale() or "id")
    return Markup(_format(notice, _gettext, tz, lang, quote=True))


def _format(
    notice: Notice, translate: Any, tz: str | None, lang: str, quote: bool = False
) -> str:
    msgid = CATALOG.get(notice.code)
    if msgid is None:
        return escape(str(notice)) if quote else str(notice)
    shown = {k: _shown(k, v, tz, lang) for k, v in (notice.params or {}).items()}
    if quote:
        shown = {
            k: Markup('<q class="remote">{}</q>').format(v)
            if k in QUOTED or notice.code == "legacy.text"
            else escape(v)
            for k, v in shown.items()
        }
        template = escape(translate(msgid))
        return template % _Params(shown) if "%(" in msgid else template
    return translate(msgid) % _Params(shown) if "%(" in msgid else translate(msgid)


def plain(exc: Any) -> str:
    """A service error as one line for the command line: the notice, then each
    field's (`password: A password needs at least 10 characters.`)."""
    parts = (
        []
        if exc.fields and exc.notice.code == "input.invalid"
        else [render(exc.notice)]
    )
    parts += [f"{name}: {render(n)}" for name, n in exc.fields.items()]
    return " ".join(parts)


def render_all(notices: Iterable[Any], **options: Any) -> list[str]:
    """Several notices, each rendered."""
    return [render(n, **options) for n in notices]


def as_json(notice: Notice | Mapping[str, Any] | str, **options: Any) -> dict:
    """The API form: the code, its parameters and the sentence in the reader's
    language."""
    notice = Notice.from_stored(notice)
    return {**notice.as_dict(), "message": render(notice, **options)}


def abort_with(status: int, code: str, **params: Any) -> NoReturn:
    """Stop the request with `status`, carrying a notice the error page or the API
    renders in the reader's language."""
    try:
        abort(status)
    except HTTPException as exc:
        exc.notice = Notice(code, params)  # type: ignore[attr-defined]
        raise


def render_for(notice: Notice | Mapping[str, Any] | str, language: str, tz: str) -> str:
    """The notice in `language` without a request or app (e-mail sent by the
    dispatcher): the catalog's translations read straight from disk."""
    notice = Notice.from_stored(notice)
    return _format(notice, _translations(language).gettext, tz, language)


@lru_cache(maxsize=8)
def _translations(language: str) -> Any:
    """The compiled catalog of `language` (English: the msgids themselves)."""
    from babel.support import Translations

    from ..i18n import TRANSLATIONS

    return Translations.load(str(TRANSLATIONS), [language])
