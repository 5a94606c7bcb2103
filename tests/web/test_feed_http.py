"""Feeds answer as a cache expects: validators that follow the bytes (issue 11, 3).

The ETag used to include the current minute, so a byte-identical feed never gave
a 304 after a minute; a weak ETag was not matched; If-Modified-Since was ignored;
nothing was compressed.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

from conftest import plan

from publisher import create_app, feeds
from publisher.models import Release


def _published(app, database, config, approved_release, title: str) -> None:
    release_id = approved_release(title)
    plan(database, config, release_id, datetime.now(UTC), "mitra_online")
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        for delivery in release.deliveries:
            delivery.planned_at = delivery.sent_at = datetime.now(UTC) - timedelta(
                minutes=1
            )
            delivery.status = "sent"
        release.status = "published"


def test_an_unchanged_feed_is_304_an_hour_later_and_after_a_restart(
    app, client, database, config, approved_release, monkeypatch
):
    _published(app, database, config, approved_release, "Forum KIM Denpasar")
    first = client.get("/feeds/rss.xml")
    etag = first.headers["ETag"]
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr(feeds, "utcnow", lambda: later)  # the minute has moved on
    again = client.get("/feeds/rss.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    restarted = create_app(config).test_client()  # another worker, or a restart
    fresh = restarted.get("/feeds/rss.xml")
    assert fresh.headers["ETag"] == etag and fresh.data == first.data


def test_weak_etags_and_if_modified_since_are_honoured(
    app, client, database, config, approved_release
):
    _published(app, database, config, approved_release, "Forum KIM Denpasar")
    first = client.get("/feeds/atom.xml")
    weak = "W/" + first.headers["ETag"]
    assert (
        client.get("/feeds/atom.xml", headers={"If-None-Match": weak}).status_code
        == 304
    )
    modified = first.headers["Last-Modified"]
    since = client.get("/feeds/atom.xml", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert (
        client.get("/feeds/atom.xml", headers={"If-Modified-Since": old}).status_code
        == 200
    )


def test_a_new_release_changes_the_etag(
    app, client, database, config, approved_release
):
    _published(app, database, config, approved_release, "Rilis pertama")
    before = client.get("/feeds/rss.xml").headers["ETag"]
    _published(app, database, config, approved_release, "Rilis kedua")
    after = client.get("/feeds/rss.xml", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before
    assert b"Rilis kedua" in after.data


def test_feeds_are_gzipped_for_clients_that_take_it(
    app, client, database, config, approved_release
):
    _published(app, database, config, approved_release, "Forum KIM Denpasar")
    plain = client.get("/feeds/rss.xml")
    packed = client.get("/feeds/rss.xml", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
    assert packed.headers["ETag"] != plain.headers["ETag"]  # another representation
    again = client.get(
        "/feeds/rss.xml",
        headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]},
    )
    assert again.status_code == 304


def test_json_feed_carries_the_same_items_as_rss(
    app, client, database, config, approved_release
):
    _published(app, database, config, approved_release, "Forum KIM Denpasar")
    response = client.get("/feeds/feed.json")
    assert response.status_code == 200
    assert response.content_type.startswith("application/feed+json")
    feed = response.get_json(force=True)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    [item] = feed["items"]
    assert item["title"] == "Forum KIM Denpasar"
    assert item["id"].startswith("urn:uuid:")
    assert "<strong>penting</strong>" in item["content_html"]
    rss = client.get("/feeds/rss.xml").data.decode()
    assert item["id"] in rss  # the same id as the RSS GUID
    again = client.get(
        "/feeds/feed.json", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
