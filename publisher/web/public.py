"""What anyone may see: feeds, public release pages, the health check; and, with
the right credentials, health details and metrics."""

from __future__ import annotations

import hmac

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
)

from channel_adapters.feeds.rss import RssSettings
from channel_adapters.notice import Notice

from .. import db_session, feeds, metrics, state
from ..api import bearer_token, error_response
from ..models import Role
from ..services import health

bp = Blueprint("public", __name__)

_MEDIA_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def _feed_cache() -> feeds.FeedCache:
    return current_app.extensions.setdefault("feed_cache", feeds.FeedCache())


def _feed(kind: str) -> Response:
    """A feed with validators that follow its bytes: a strong ETag of the content
    (the same across restarts and workers), Last-Modified of the newest item, gzip
    when the client takes it; If-None-Match (weak comparison) and
    If-Modified-Since answer 304."""
    metrics.FEED_REQUESTS.inc(kind)
    session = db_session()
    config = state().config
    limit = max(
        (
            ch.settings.items
            for ch in config.enabled_channels.values()
            if isinstance(ch.settings, RssSettings)
        ),
        default=50,
    )

    def build() -> feeds.BuiltFeed:
        items = feeds.visible_items(session, config, limit=limit)
        url = config.organization.public_url + request.path
        data = (
            feeds.build_json_feed(config, items, url)
            if kind == "json"
            else feeds.build_feed(config, items, kind, url)
        )
        return feeds.BuiltFeed.of(data, feeds.last_modified(items))

    built = _feed_cache().get(kind, feeds.feed_version(session), build)
    gzipped = request.accept_encodings["gzip"] > 0
    response = Response(
        built.gzipped if gzipped else built.data,
        mimetype=None,
        content_type=_MEDIA_TYPES[kind],
    )
    response.set_etag(f"{kind}-{built.etag}" + ("-gz" if gzipped else ""))
    response.last_modified = built.last_modified
    response.vary.add("Accept-Encoding")
    if gzipped:
        response.content_encoding = "gzip"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response.make_conditional(request)


@bp.get("/feeds/rss.xml")
def rss():
    """RSS 2.0 with full text in content:encoded."""
    return _feed("rss")


@bp.get("/feeds/atom.xml")
def atom():
    """Atom 1.0."""
    return _feed("atom")


@bp.get("/feeds/feed.json")
def json_feed():
    """JSON Feed 1.1."""
    return _feed("json")


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


@bp.get("/metrics")
def prometheus():
    """Numbers for Prometheus, for `Authorization: Bearer <metrics.token>` only;
    not found at all when no token is configured."""
    expected = state().config.metrics.token
    if expected is None:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        return error_response(401, "unauthorized", "metrics.token_wrong")
    return Response(metrics.exposition(db_session()), content_type=metrics.CONTENT_TYPE)


@bp.get("/healthz")
def healthz():
    """Anyone may ask whether the service is well: 200 `ok` or 503 `degraded`.

    Nothing else is said here (no host names, process ids or dispatchers); the
    details are at /healthz/details for administrators.
    """
    status = health.report(db_session(), state().config)["status"]
    if status == "ok":
        return jsonify({"status": "ok"})
    return jsonify({"status": "degraded"}), 503


@bp.get("/healthz/details")
def healthz_details():
    """Database and every dispatcher (host:pid, last beat), for an administrator:
    signed in, or with an administrator's API token of any scope."""
    user = g.get("user")
    if request.headers.get("Authorization"):
        found = bearer_token()
        if isinstance(found, Notice):
            return error_response(401, "unauthorized", found)
        user = found.user
        db_session().commit()
    if user is None:
        return error_response(401, "unauthorized", "auth.admin_required")
    if not user.can(Role.ADMIN):
        return error_response(403, "forbidden", "auth.admin_required")
    body = health.report(db_session(), state().config)
    return jsonify(body), 503 if body["status"] == "error" else 200
