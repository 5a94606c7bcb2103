"""Review pages: the comment thread of a release and the changes between revisions.

Approving and rejecting stay in `releases` (one route each, whichever page the
form is on); this blueprint adds the conversation and the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import db_session, state
from ..models import Release, web_link
from ..models_review import COMMENT_MAX_LENGTH
from ..permissions import Action
from ..services import comments, diffs, drafting
from ..services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from . import forms
from .auth import login_required

bp = Blueprint("review", __name__)

# An address in a comment: shown as a link when it is http(s), as text otherwise.
_ADDRESS = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”"


@bp.app_context_processor
def _thread_helpers() -> dict:
    """What the release page's thread include (`_comments.html`) needs."""
    return {
        "review_thread": lambda release_id: comments.thread(db_session(), release_id),
        "comment_max_length": COMMENT_MAX_LENGTH,
    }


@bp.app_template_filter("folded")
def folded(segments: tuple[diffs.Segment, ...]) -> tuple[diffs.Segment, ...]:
    """A diff's segments with long unchanged stretches folded away."""
    return diffs.folded(segments)


@bp.app_template_filter("comment_text")
def comment_text(text: str, mentioned: Iterable[str] = ()) -> Markup:
    """A comment as safe HTML: everything escaped, http(s) addresses as links that
    leave no referrer, and `@username` of a mentioned user marked."""
    names = set(mentioned)
    html: list[str] = []
    position = 0
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        html.append(_with_mentions(text[position : match.start()], names))
        link = web_link(address)
        if link:
            html.append(
                f'<a href="{escape(link)}" rel="nofollow noopener noreferrer">'
                f"{escape(address)}</a>"
            )
        else:
            html.append(str(escape(address)))
        position = match.start() + len(address)
    html.append(_with_mentions(text[position:], names))
    return Markup("".join(html))


def _with_mentions(text: str, names: set[str]) -> str:
    """Escaped `text` with each mention of a user in `names` marked."""
    html: list[str] = []
    position = 0
    for match in comments.MENTION.finditer(text):
        name = match.group(1).rstrip(".")
        if name not in names:
            continue
        html.append(str(escape(text[position : match.start()])))
        html.append(f'<strong class="mention">@{escape(name)}</strong>')
        position = match.start() + 1 + len(name)
    html.append(str(escape(text[position:])))
    return "".join(html)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """403/404 as a page; anything else as a message where the form was."""
    db_session().rollback()
    if isinstance(exc, PermissionDenied | NotFound):
        return forms.refusal_page(exc)
    flash(forms.error_text(exc), "error")
    return redirect(_back((request.view_args or {}).get("release_id", 0)), 303)


@bp.post("/releases/<int:release_id>/comments")
@login_required(Action.WRITE)
def comment(release_id: int):
    """Post a comment on the release (about one revision, when the form says)."""
    revision = request.form.get("revision", "")
    comments.add_comment(
        db_session(),
        g.user,
        release_id,
        request.form.get("text", ""),
        int(revision) if revision.isdigit() else None,
    )
    db_session().commit()
    flash(_("Your comment was posted."), "success")
    return redirect(_back(release_id), 303)


def _back(release_id: int) -> str:
    """Where a comment form returns: the comparison it was posted from, or the
    release page's thread. Only these two: never an address from the form."""
    if request.form.get("back") == "diff":
        compared = {
            "from": _revision_arg("from", request.form),
            "to": _revision_arg("to", request.form),
        }
        return url_for(".diff", release_id=release_id, **compared, _anchor="comments")
    return url_for("releases.detail", release_id=release_id, _anchor="comments")


@bp.get("/releases/<int:release_id>/diff")
@login_required()
def diff(release_id: int):
    """What changed between two revisions (`?from=&to=`; by default since the
    last approved revision), in the text fields and in every channel's text."""
    session = db_session()
    release = drafting.get_release(session, release_id)
    old, new = _revision_arg("from"), _revision_arg("to")
    error = None
    try:
        compared = _compare(release, old, new)
    except InvalidInput as exc:
        error = forms.error_text(exc)
        compared = _compare(release, None, None)
    page = render_template(
        "releases/diff.html",
        release=release,
        revision=release.current,
        diff=compared,
        error=error,
    )
    return (page, 422) if error else page


def _compare(release: Release, old: int | None, new: int | None) -> diffs.RevisionDiff:
    return diffs.compare(
        state().config, release, old, new, language=str(get_locale() or "id")
    )


def _revision_arg(name: str, source=None) -> int | None:
    """A revision number from the query (or `source`), None when absent or not one."""
    value = ((source if source is not None else request.args).get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 9 else None
