"""A release's deliveries as they go out: a small JSON view the release page polls."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, url_for
from flask_babel import gettext as _

from .. import db_session, state
from ..models import PENDING_DELIVERY, Delivery, DeliveryStatus
from ..notices import labels, render_html
from ..services import scheduling
from .auth import login_required

bp = Blueprint("live", __name__)

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
