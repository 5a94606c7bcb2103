"""A release's deliveries as they go out (a small JSON view the release page
polls) and their frozen files as downloads with their SHA-256."""

from __future__ import annotations

import base64
import io
from typing import Any

from flask import Blueprint, jsonify, send_file, url_for
from flask_babel import gettext as _

from .. import db_session, state
from ..models import PENDING_DELIVERY, Delivery, DeliveryStatus
from ..notices import labels, render_html
from ..services import downloads, scheduling
from .auth import login_required

bp = Blueprint("live", __name__)


@bp.app_context_processor
def _downloads() -> dict[str, Any]:
    """`delivery_downloads(delivery)` for the release page: files with SHA-256."""
    return {
        "delivery_downloads": lambda d: downloads.delivery_downloads(db_session(), d.id)
    }


# Still moving: the page keeps asking while any delivery is in one of these.
MOVING = (*PENDING_DELIVERY, DeliveryStatus.SENDING)


@bp.get("/releases/<int:release_id>/deliveries.json")
@login_required()
def deliveries(release_id: int):
    """Status, attempts, error and remote link of each delivery of a release."""
    found = scheduling.list_deliveries(db_session(), release_id)
    response = jsonify(
        {
            "moving": any(d.status in MOVING for d in found),
            "deliveries": [_row(d) for d in found],
        }
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _row(delivery: Delivery) -> dict[str, Any]:
    """One table row's changing cells, as text the page puts in place."""
    channel = state().config.channels.get(delivery.channel)
    label = channel.label if channel else delivery.channel
    error = (
        str(render_html(delivery.error, tz=state().config.organization.timezone))
        if delivery.error
        else ""
    )
    return {
        "id": delivery.id,
        "status": delivery.status,
        "status_label": str(
            labels.DELIVERY_STATUS.get(delivery.status, delivery.status)
        ),
        "moving": delivery.status in MOVING,
        "attempts": delivery.attempts,
        "error_html": error,
        "remote_link": delivery.remote_link,
        "remote_link_label": _("View on %(channel)s", channel=label),
        "page": url_for("releases.detail", release_id=delivery.release_id),
    }


def downloads_response(found: downloads.Download):
    """A download with its SHA-256 as ETag and Repr-Digest, never cached."""
    response = send_file(
        io.BytesIO(found.data),
        mimetype=found.media_type,
        as_attachment=True,
        download_name=found.name,
        max_age=0,
        etag=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.set_etag(found.sha256)
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["X-Content-SHA256"] = found.sha256
    return response
