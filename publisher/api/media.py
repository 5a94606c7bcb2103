"""Media endpoints: upload (multipart), describe, reorder, remove, download."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, send_file, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from .. import db_session, rendering, state
from ..models import MediaFile, MediaKind, Release, RevisionMedia
from ..notices import abort_with
from ..services import drafting, media
from ..services.errors import InvalidInput, NotFound
from ..storage import open_storage
from ..uploads import MediaRefused, Upload
from . import bp, current_user, json_body

# Room for the form fields and multipart boundaries around the file itself.
_OVERHEAD = 1_000_000


def media_json(item: RevisionMedia, release: Release, public: set[str]) -> dict:
    """One picture or document of the current revision, with its files."""
    asset = item.asset
    files = item.files()
    body: dict[str, Any] = {
        "id": asset.id,
        "kind": asset.kind,
        "filename": asset.filename,
        "media_type": asset.media_type,
        "size": asset.size,
        "width": asset.width,
        "height": asset.height,
        "position": item.position,
        "caption": item.caption,
        "credit": item.credit,
    }
    if asset.kind == MediaKind.IMAGE:
        body["alt"] = item.alt
        body["focal_point"] = {"x": item.focal_x, "y": item.focal_y}
    body["files"] = {
        purpose: {
            "media_type": file.media_type,
            "size": file.size,
            "width": file.width,
            "height": file.height,
            "url": url_for(
                "api.get_media_file",
                release_id=release.id,
                asset_id=asset.id,
                purpose=purpose,
            ),
        }
        for purpose, file in files.items()
    }
    shown = files.get("web") or files.get("file")
    body["public_url"] = (
        rendering.media_url(state().config, release, shown)
        if shown is not None and shown.key in public
        else None
    )
    return body


def media_list_json(release: Release) -> dict[str, Any]:
    """Every item of the current revision, in order; the first image is the lead."""
    public = set(media.public_files(db_session(), state().config, release))
    items = [media_json(m, release, public) for m in release.current.media]
    lead = next((i["id"] for i in items if i["kind"] == MediaKind.IMAGE), None)
    return {
        "release_id": release.id,
        "status": release.status,
        "revision": release.current.number,
        "lead_image": lead,
        "media": items,
    }


@bp.get("/v1/releases/<int:release_id>/media")
def list_media(release_id: int):
    """The release's pictures and documents."""
    release = drafting.get_release(db_session(), release_id)
    return jsonify(media_list_json(release))


@bp.post("/v1/releases/<int:release_id>/media")
def upload_media(release_id: int):
    """Upload one file (`file`), with `alt`, `caption`, `credit`, `focal_x/y`."""
    limits = state().config.media
    largest = max(limits.max_image_bytes, limits.max_document_bytes)
    # Generous, so a file over its own limit is still named in a 422.
    request.max_content_length = max(
        current_app.config.get("MAX_CONTENT_LENGTH") or 0, largest + _OVERHEAD
    )
    if not request.mimetype.startswith("multipart/form-data"):
        raise InvalidInput("input.not_multipart", fields={"file": "field.required"})
    try:
        files = request.files.getlist("file")
    except RequestEntityTooLarge:
        abort_with(
            413,
            "media.upload_too_large",
            count=1,
            image_bytes=limits.max_image_bytes,
            document_bytes=limits.max_document_bytes,
        )
    if len(files) != 1:
        raise InvalidInput(
            fields={"file": "field.required" if not files else "field.one_file"}
        )
    details = media.parse_details(request.form.to_dict())
    result = media.add_media(
        db_session(),
        state().config,
        open_storage(state().config),
        current_user(),
        release_id,
        [Upload(files[0].filename or "", files[0].stream)],
        details,
    )
    if result.refused:
        raise MediaRefused(result.refused[0])
    db_session().commit()
    [item] = result.added
    body = media_json(item, result.release, set())
    body["release"] = {
        "status": result.release.status,
        "revision": result.release.current.number,
    }
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.list_media", release_id=release_id, _anchor=str(item.asset_id)
    )
    return response


@bp.patch("/v1/releases/<int:release_id>/media/<int:asset_id>")
def update_media(release_id: int, asset_id: int):
    """Change alt text, caption, credit or focal point; only the fields sent."""
    details = media.parse_details(json_body())
    item = media.update_media(
        db_session(),
        open_storage(state().config),
        current_user(),
        release_id,
        asset_id,
        details,
    )
    db_session().commit()
    return jsonify(media_json(item, item.revision.release, set()))


@bp.put("/v1/releases/<int:release_id>/media/order")
def reorder_media(release_id: int):
    """`{"order": [id, …]}`: every media id once; the first image is the lead."""
    body = json_body()
    order = body.get("order") if isinstance(body, dict) else None
    if not isinstance(order, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in order
    ):
        raise InvalidInput(fields={"order": "field.not_list"})
    media.reorder(db_session(), current_user(), release_id, order)
    db_session().commit()
    release = drafting.get_release(db_session(), release_id)
    return jsonify(media_list_json(release))


@bp.delete("/v1/releases/<int:release_id>/media/<int:asset_id>")
def delete_media(release_id: int, asset_id: int):
    """Take a picture or document off the release."""
    media.remove(
        db_session(),
        open_storage(state().config),
        current_user(),
        release_id,
        asset_id,
    )
    db_session().commit()
    return "", 204


@bp.get("/v1/releases/<int:release_id>/media/<int:asset_id>/<purpose>")
def get_media_file(release_id: int, asset_id: int, purpose: str):
    """One stored file: `original`, `web`, `thumbnail`, `og`, `x`, … or `file`."""
    release = drafting.get_release(db_session(), release_id)
    item = next((m for m in release.current.media if m.asset_id == asset_id), None)
    file = item.files().get(purpose) if item is not None else None
    if item is None or file is None:
        raise NotFound("media.file_not_found", media=asset_id, purpose=purpose)
    response = send_file(
        open_storage(state().config).path(file.key),
        mimetype=file.media_type,
        download_name=_download_name(item.asset.filename, file),
        as_attachment=item.asset.kind == MediaKind.ATTACHMENT,
        etag=file.key.split(".")[0],
        conditional=True,
    )
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _download_name(filename: str, file: MediaFile) -> str:
    """The uploader's name, with the extension of what is actually sent."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}.{file.key.rsplit('.', 1)[-1]}"
