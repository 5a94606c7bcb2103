"""The media page of a release: upload, describe, order and remove pictures and
documents; serve their files to signed-in users, and to anyone once published."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from channel_adapters.notice import Notice

from .. import db_session, state
from ..models import MediaAsset, MediaFile, MediaKind, Release
from ..notices import labels
from ..permissions import Action
from ..services import drafting, media
from ..services.errors import InvalidInput, NotFound, PermissionDenied, ServiceError
from ..storage import open_storage
from ..uploads import PDF, Upload
from . import csrf, forms
from .auth import login_required

bp = Blueprint("media", __name__)
log = logging.getLogger(__name__)

# One form may carry this many files; each is checked against its own limit.
MAX_FILES = 10
_MULTIPART_OVERHEAD = 256 * 1024
# Content-addressed files never change: a year in any cache, without revalidation.
PUBLIC_CACHE = "public, max-age=31536000, immutable"
PRIVATE_CACHE = "private, max-age=31536000, immutable"
DETAIL_FIELDS = ("alt", "caption", "credit", "focal_x", "focal_y")
# What the file chooser offers; the server still judges every file by its content.
ACCEPT = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    ".heic",
    ".heif",
    "application/pdf",
    ".docx",
)

LABELS = {
    "file": _l("File"),
    "alt": _l("Alt text"),
    "caption": _l("Caption"),
    "credit": _l("Credit"),
    "focal_x": _l("Focal point"),
    "focal_y": _l("Focal point"),
    "order": _l("Order"),
}


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """Bytes as the user reads them: "850 KB", "3,2 MB"."""
    return labels.filesize(size, str(get_locale() or "id"))


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """A rule said no: 403/404 as a page, anything else as a message on the page."""
    db_session().rollback()
    if isinstance(exc, PermissionDenied | NotFound):
        return forms.refusal_page(exc)
    if isinstance(exc, media.MediaRefused):
        text = forms.message(exc.notice)
    elif isinstance(exc, InvalidInput) and exc.fields:
        text = " ".join(
            f"{LABELS.get(field.split('.')[0], forms.label(field))}: "
            f"{forms.message(_media_field(notice))}"
            for field, notice in exc.fields.items()
        )
    else:
        text = forms.message(exc.notice)
    flash(text, "error")
    return _back()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge):
    """An upload over the form's limit: say what fits instead of a bare 413."""
    limits = state().config.media
    flash(
        _(
            "The upload is too large. Send at most %(count)s files at once, photos "
            "of at most %(image)s and documents of at most %(document)s each.",
            count=MAX_FILES,
            image=filesize(limits.max_image_bytes),
            document=filesize(limits.max_document_bytes),
        ),
        "error",
    )
    return _back()


@bp.get("/releases/<int:release_id>/media")
@login_required()
def index(release_id: int):
    """The current revision's pictures and documents, and the upload form."""
    release = drafting.get_release(db_session(), release_id)
    items = list(release.current.media)
    return render_template(
        "releases/media.html",
        release=release,
        revision=release.current,
        images=[m for m in items if m.asset.kind == MediaKind.IMAGE],
        attachments=[m for m in items if m.asset.kind == MediaKind.ATTACHMENT],
        limits=state().config.media,
        max_files=MAX_FILES,
        submitted=_past_drafting(release),
        accept=",".join(ACCEPT),
    )


@bp.post("/releases/<int:release_id>/media")
@login_required(Action.WRITE)
@csrf.exempt  # checked below, once the larger limit for uploads is in place
def upload(release_id: int):
    """Add the chosen files; refused ones are named with the reason."""
    limits = state().config.media
    request.max_content_length = (
        MAX_FILES * max(limits.max_image_bytes, limits.max_document_bytes)
        + _MULTIPART_OVERHEAD
    )
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    files = [f for f in request.files.getlist("file") if f.filename]
    if not files:
        flash(forms.message("media.no_file"), "error")
        return _back()
    if len(files) > MAX_FILES:
        flash(
            forms.message(Notice("media.too_many_files", {"count": MAX_FILES})),
            "error",
        )
        return _back()
    details = media.parse_details(_detail_fields(("alt", "caption", "credit")))
    session = db_session()
    release = drafting.get_release(session, release_id)
    was_approved = release.is_approved
    result = media.add_media(
        session,
        state().config,
        open_storage(state().config),
        g.user,
        release_id,
        [Upload(f.filename or "", f.stream) for f in files],
        details,
    )
    session.commit()
    for refusal in result.refused:
        flash(forms.message(refusal.notice), "error")
    if result.added:
        count = len(result.added)
        flash(
            ngettext("%(num)d file added.", "%(num)d files added.", count),
            "success",
        )
        forms.warn_if_reopened(result.release, was_approved)
    return _back()


@bp.post("/releases/<int:release_id>/media/<int:asset_id>")
@login_required(Action.WRITE)
def update(release_id: int, asset_id: int):
    """Save an item's alt text, caption, credit and focal point."""
    details = media.parse_details(_detail_fields(DETAIL_FIELDS))
    session = db_session()
    was_approved = _approved(session, release_id)
    item = media.update_media(
        session,
        open_storage(state().config),
        g.user,
        release_id,
        asset_id,
        details,
    )
    session.commit()
    flash(_("Changes saved."), "success")
    forms.warn_if_reopened(item.revision.release, was_approved)
    return _back(f"media-{asset_id}")


@bp.post("/releases/<int:release_id>/media/<int:asset_id>/move")
@login_required(Action.WRITE)
def move(release_id: int, asset_id: int):
    """Move an item up, down, or to the front (the lead image)."""
    session = db_session()
    was_approved = _approved(session, release_id)
    media.move(session, g.user, release_id, asset_id, request.form.get("where", ""))
    session.commit()
    forms.warn_if_reopened(drafting.get_release(session, release_id), was_approved)
    return _back(f"media-{asset_id}")


@bp.post("/releases/<int:release_id>/media/<int:asset_id>/delete")
@login_required(Action.WRITE)
def delete(release_id: int, asset_id: int):
    """Take an item off the release."""
    session = db_session()
    was_approved = _approved(session, release_id)
    release = media.remove(
        session, open_storage(state().config), g.user, release_id, asset_id
    )
    session.commit()
    flash(_("The file was removed from the release."), "success")
    forms.warn_if_reopened(release, was_approved)
    return _back()


@bp.get("/releases/<int:release_id>/media/files/<key>")
@login_required()
def private_file(release_id: int, key: str):
    """Any file of the release, originals too, for signed-in users only."""
    release = drafting.get_release(db_session(), release_id)
    found = media.find_file(release, key)
    if found is None:
        abort(404)
    return _send(*found, cache=PRIVATE_CACHE)


@bp.get("/p/<public_id>/media/<key>")
def public_file(public_id: str, key: str):
    """A published picture or document; anything else is simply not found."""
    found = media.find_public_file(db_session(), state().config, public_id, key)
    if found is None:
        abort(404)
    return _send(*found, cache=PUBLIC_CACHE)


def _send(asset: MediaAsset, file: MediaFile, cache: str) -> Response:
    """The stored bytes with their real type and a long, immutable cache life."""
    storage = open_storage(state().config)
    if not storage.exists(file.key):
        log.error(
            "media file %s of asset %s is missing from storage", file.key, asset.id
        )
        abort(404)
    stem = asset.filename.rsplit(".", 1)[0] or asset.filename
    response = send_file(
        storage.path(file.key),
        mimetype=file.media_type,
        as_attachment=file.media_type not in ("image/jpeg", "image/png", PDF),
        download_name=f"{stem}.{file.key.rsplit('.', 1)[-1]}",
        etag=file.key.split(".")[0],
        conditional=True,
    )
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _detail_fields(names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields the form sent (a field not sent is left unchanged)."""
    return {name: request.form[name] for name in names if name in request.form}


def _media_field(notice: Notice) -> Notice:
    """The focal point's range and number errors say "0 to 1" in one sentence."""
    if notice.code in ("field.too_small", "field.too_large", "field.not_number"):
        return Notice("media.focal_range")
    return notice


def _approved(session, release_id: int) -> bool:
    """Whether the release is approved or published (before a change)."""
    release = drafting.get_release(session, release_id)
    return release.is_approved


def _past_drafting(release: Release) -> bool:
    """Whether a change now lands in a revision already sent for review."""
    return not release.is_submittable


def _back(anchor: str | None = None):
    """To the media page of the release in the URL."""
    release_id = (request.view_args or {}).get("release_id")
    if release_id is None:
        return redirect(url_for("releases.index"), 303)
    return redirect(url_for(".index", release_id=release_id, _anchor=anchor), 303)
