"""What anyone may see: feeds, public release pages, and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)

from channel_adapters.feeds.rss import RssSettings

from .. import db_session, feeds, state
from ..db import ping
from ..dispatcher import heartbeats
from ..models import utcnow

bp = Blueprint("public", __name__)

_MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


def _feed_cache() -> feeds.FeedCache:
    return current_app.extensions.setdefault("feed_cache", feeds.FeedCache())


def _feed(kind: str) -> Response:
    session = db_session()
    version = feeds.feed_version(session)
    etag = f"{kind}-{version}"
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        config = state().config
        limit = max(
            (
                ch.settings.items
                for ch in config.enabled_channels.values()
                if isinstance(ch.settings, RssSettings)
            ),
            default=50,
        )
        data = _feed_cache().get(
            kind,
            version,
            lambda: feeds.build_feed(
                config,
                feeds.visible_items(session, config, limit=limit),
                kind,
                config.organization.public_url + request.path,
            ),
        )
        response = Response(data, mimetype=None, content_type=_MEDIA_TYPES[kind])
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/feeds/rss.xml")
def rss():
    """RSS 2.0 with full text in content:encoded."""
    return _feed("rss")


@bp.get("/feeds/atom.xml")
def atom():
    """Atom 1.0."""
    return _feed("atom")


@bp.get("/p/<public_id>")
def release_page(public_id: str):
    """A published release's public page; anything unpublished is simply not found."""
    session = db_session()
    config = state().config
    items = feeds.visible_items(session, config, adapter=None, public_id=public_id)
    if not items:
        abort(404)
    return render_template(
        "public_release.html", item=items[0], organization=config.organization
    )


@bp.get("/healthz")
def healthz():
    """Database status and each dispatcher's heartbeat; 503 only if the database fails.

    A missing or silent dispatcher makes the status "degraded" but keeps 200: the
    web process itself is healthy and should stay in a load balancer's rotation.
    """
    session = db_session()
    failure = ping(session)
    database = "ok"
    if failure is not None:
        return jsonify(
            {
                "status": "error",
                "database": f"error: {failure}",
                "dispatcher": None,
                "dispatchers": [],
            }
        ), 503
    settings = state().config.dispatcher
    silent_after = 3 * settings.heartbeat_seconds + settings.poll_seconds
    now = utcnow()
    dispatchers = [
        {
            "process": beat.name,
            "started_at": beat.started_at.isoformat(),
            "last_heartbeat": beat.beat_at.isoformat(),
            "seconds_ago": round((now - beat.beat_at).total_seconds(), 1),
            "alive": (now - beat.beat_at).total_seconds() <= silent_after,
        }
        for beat in heartbeats(session)
    ]
    alive = any(d["alive"] for d in dispatchers)
    return jsonify(
        {
            "status": "ok" if alive else "degraded",
            "database": database,
            "dispatcher": dispatchers[0] if dispatchers else None,
            "dispatchers": dispatchers,
        }
    )
