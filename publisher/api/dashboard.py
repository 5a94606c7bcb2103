"""The desk as JSON: what the dashboard page shows, for the token's user."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import jsonify

from .. import db_session, state
from ..models import utcnow
from ..services import dashboard
from . import bp, current_user
from .releases import delivery_json, release_json, summary_json


@bp.get("/v1/dashboard")
def get_dashboard():
    """Awaiting review and needing attention (editors), own drafts and rejected
    releases (writers), deliveries going out today and tomorrow in the office's
    zone, and the latest sent; a section the role does not see is null."""
    tz = ZoneInfo(state().config.organization.timezone)
    desk = dashboard.desk_for(db_session(), current_user(), tz, utcnow())

    def releases(items):
        if items is None:
            return None
        return [
            {
                **release_json(r),
                "deliveries_summary": summary_json(desk.summaries[r.id]),
            }
            for r in items
        ]

    def deliveries(items):
        return None if items is None else [delivery_json(d) for d in items]

    return jsonify(
        {
            "awaiting_review": releases(desk.review),
            "awaiting_review_count": desk.review_count,
            "needs_attention": deliveries(desk.attention),
            "my_unfinished": releases(desk.mine),
            "today": deliveries(desk.today),
            "tomorrow": deliveries(desk.tomorrow),
            "recently_sent": deliveries(desk.recent),
        }
    )
