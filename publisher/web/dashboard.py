"""The desk: the page a person lands on after signing in."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template

from .. import db_session, state
from ..models import Role, utcnow
from ..services import dashboard, release_list
from . import forms
from .auth import login_required

bp = Blueprint("dashboard", __name__)


@bp.app_context_processor
def _menu_counts() -> dict[str, Any]:
    """For the navigation: how many releases wait for an editor's review."""
    return {"review_waiting": _review_waiting, "delivery_summary": _summary}


def _summary(release_id: int) -> release_list.DeliverySummary:
    """A release's current deliveries counted, for its status marker."""
    return release_list.delivery_summaries(db_session(), [release_id])[release_id]


def _review_waiting() -> int:
    user = g.get("user")
    if user is None or not user.can(Role.EDITOR):
        return 0
    return dashboard.count_awaiting_review(db_session())


@bp.get("/dashboard")
@login_required()
def index():
    """What awaits me, what goes out today and tomorrow, what needs a person,
    and what went out lately."""
    config = state().config
    desk = dashboard.desk_for(
        db_session(), g.user, forms.zone(config.organization.timezone), utcnow()
    )
    return render_template("dashboard.html", desk=desk, channels=config.channels)
