"""The whole path through the HTTP API: draft, review, schedule, dispatch, feeds."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from conftest import PASSWORD, WEBHOOK_SECRET
from support import wait_until

from publisher.dispatcher import Dispatcher


@pytest.fixture
def extra_channels(webhook_channel):
    """The office website's webhook, pointed at the local receiver."""
    return {"situs_web": webhook_channel}


@pytest.fixture
def dispatcher(app):
    """The dispatcher running in this process, as `publisher run` has it."""
    state = app.extensions["publisher"]
    worker = Dispatcher(state.config, state.db)
    worker.start()
    yield worker
    worker.shutdown()


def feed_titles(client, path: str) -> list[str]:
    """Titles in a feed, after checking it parses cleanly."""
    response = client.get(path)
    assert response.status_code == 200
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


def test_draft_to_feed_and_webhook_on_time(client, accounts_, receiver, dispatcher):
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    title = "Diskominfos Bali Gelar Sosialisasi KIM"

    created = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={
            "title": title,
            "lead": "Sosialisasi keterbukaan informasi publik bagi KIM se-Bali.",
            "body": "Kegiatan diikuti **120 peserta** dari sembilan kabupaten/kota.",
            "dateline_city": "Denpasar",
            "tags": ["KIM", "PPID"],
            "contact_name": "I Made Dwi Prayana",
        },
    )
    assert created.status_code == 201, created.json
    release_id = created.json["id"]
    assert (
        client.post(
            f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
        ).status_code
        == 200
    )

    own = client.post(f"/api/v1/releases/{release_id}/approve", headers=drafter.headers)
    assert own.status_code == 403
    assert own.json["error"] == "forbidden"

    approved = client.post(
        f"/api/v1/releases/{release_id}/approve",
        headers=editor.headers,
        json={"revision": 1},
    )
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"

    planned = datetime.now(UTC) + timedelta(seconds=2)
    scheduled = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=editor.headers,
        json={
            "deliveries": [
                {"channel": "situs_web", "planned_at": planned.isoformat()},
                {
                    "channel": "mitra_online",
                    "planned_at": planned.astimezone(
                        ZoneInfo("Asia/Makassar")
                    ).isoformat(),
                },
            ]
        },
    )
    assert scheduled.status_code == 200, scheduled.json
    assert {d["status"] for d in scheduled.json["deliveries"]} == {"scheduled"}

    assert title not in feed_titles(client, "/feeds/rss.xml")
    assert title not in feed_titles(client, "/feeds/atom.xml")
    assert client.get(f"/p/{created.json['public_id']}").status_code == 404

    post = receiver.wait_for(1, timeout=10)[0]
    lateness = post.at - planned.timestamp()
    assert 0 <= lateness < 1.0, f"webhook arrived {lateness:.3f} s after planned time"
    signature = hmac.new(WEBHOOK_SECRET.encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers["X-Publisher-Signature"] == f"sha256={signature}"
    assert abs(int(post.headers["X-Publisher-Timestamp"]) - time.time()) < 60
    assert post.json()["release"]["title"] == title

    def rss_sent() -> bool:
        listing = client.get(
            f"/api/v1/deliveries?release_id={release_id}", headers=editor.headers
        ).json["deliveries"]
        return {d["channel"]: d["status"] for d in listing} == {
            "situs_web": "sent",
            "mitra_online": "sent",
        }

    assert wait_until(rss_sent, timeout=5)
    assert time.time() >= planned.timestamp()
    assert feed_titles(client, "/feeds/rss.xml") == [title]
    assert feed_titles(client, "/feeds/atom.xml") == [title]
    rss = feedparser.parse(client.get("/feeds/rss.xml").data).entries[0]
    assert "120 peserta" in rss.content[0].value
    assert "Provinsi Bali" in rss.author
    assert [t.term for t in rss.tags] == ["KIM", "PPID"]
    assert client.get(f"/p/{created.json['public_id']}").status_code == 200
    release = client.get(f"/api/v1/releases/{release_id}", headers=editor.headers).json
    assert release["status"] == "published"


def test_feeds_answer_conditional_get_with_304(client):
    first = client.get("/feeds/rss.xml")
    etag = first.headers["ETag"]
    again = client.get("/feeds/rss.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert (
        client.get("/feeds/atom.xml", headers={"If-None-Match": etag}).status_code
        == 200
    )


def test_withdrawn_release_leaves_the_feed(
    client, accounts_, approved_release, dispatcher
):
    editor = accounts_["editor"]
    release_id = approved_release("Rilis yang ditarik")
    planned = datetime.now(UTC).isoformat()
    client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=editor.headers,
        json={"deliveries": [{"channel": "mitra_online", "planned_at": planned}]},
    )
    assert wait_until(
        lambda: "Rilis yang ditarik" in feed_titles(client, "/feeds/rss.xml")
    )
    withdrawn = client.post(
        f"/api/v1/releases/{release_id}/withdraw",
        headers=editor.headers,
        json={"reason": "data keliru"},
    )
    assert withdrawn.status_code == 200
    assert feed_titles(client, "/feeds/rss.xml") == []


def test_healthz_reports_database_and_dispatcher(client, accounts_, dispatcher):
    admin = accounts_["admin"].headers
    assert wait_until(lambda: client.get("/healthz").status_code == 200)
    public = client.get("/healthz")
    assert public.json == {"status": "ok"}  # no host names, pids or dispatchers
    body = client.get("/healthz/details", headers=admin).json
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["dispatcher"]["seconds_ago"] < 30
    assert body["dispatchers"][0]["alive"] is True
    assert body["dispatchers"][0]["process"] == dispatcher.name


def test_healthz_details_need_an_administrator(client, accounts_):
    assert client.get("/healthz/details").status_code == 401
    editor = client.get("/healthz/details", headers=accounts_["editor"].headers)
    assert editor.status_code == 403
    assert editor.json["code"] == "auth.admin_required"
    wrong = client.get("/healthz/details", headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 401
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert client.get("/healthz/details").json["database"] == "ok"


def test_correction_keeps_the_feed_item_and_its_guid(
    client, accounts_, approved_release, dispatcher
):
    editor, other = accounts_["editor"], accounts_["editor2"]
    release_id = approved_release("Judul pertama")

    def send_now() -> None:
        client.post(
            f"/api/v1/releases/{release_id}/schedule",
            headers=editor.headers,
            json={
                "deliveries": [
                    {
                        "channel": "mitra_online",
                        "planned_at": datetime.now(UTC).isoformat(),
                    }
                ]
            },
        )

    def entries():
        return feedparser.parse(client.get("/feeds/atom.xml").data).entries

    send_now()
    assert wait_until(lambda: len(entries()) == 1)
    first = entries()[0]

    client.patch(
        f"/api/v1/releases/{release_id}",
        headers=editor.headers,
        json={"title": "Judul yang dikoreksi"},
    )
    assert [e.title for e in entries()] == [
        "Judul pertama"
    ]  # in review: old text stays

    assert (
        client.post(
            f"/api/v1/releases/{release_id}/approve", headers=other.headers
        ).status_code
        == 200
    )
    time.sleep(1.1)  # a visibly later `updated`
    send_now()
    assert wait_until(
        lambda: entries() and entries()[0].title == "Judul yang dikoreksi"
    )
    corrected = entries()[0]
    assert corrected.id == first.id
    assert corrected.published == first.published
    assert corrected.updated > first.updated


def test_healthz_is_degraded_without_a_dispatcher(client, accounts_):
    public = client.get("/healthz")
    assert public.status_code == 503
    assert public.json == {"status": "degraded"}
    body = client.get("/healthz/details", headers=accounts_["admin"].headers).json
    assert body["database"] == "ok"
    assert body["status"] == "degraded"
    assert body["dispatchers"] == []


def test_feed_items_carry_the_lead_image_as_an_enclosure(client, accounts_, dispatcher):
    import io

    from PIL import Image as Picture

    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={"title": "Rilis berfoto", "lead": "Ringkasan.", "body": "Isi."},
    ).json["id"]
    photo = io.BytesIO()
    Picture.new("RGB", (2000, 1500), (180, 40, 40)).save(photo, "JPEG")
    uploaded = client.post(
        f"/api/v1/releases/{release_id}/media",
        headers=drafter.headers,
        data={
            "file": (io.BytesIO(photo.getvalue()), "foto.jpg"),
            "alt": "Peserta forum di Denpasar",
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    # The preview frame cannot reach unpublished media: pictures are inlined.
    renditions = client.get(
        f"/api/v1/releases/{release_id}/renditions", headers=drafter.headers
    ).json["renditions"]
    koran = next(r for r in renditions if r["channel"] == "koran")
    assert 'src="data:image/jpeg;base64,' in koran["html"]
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    client.post(f"/api/v1/releases/{release_id}/approve", headers=editor.headers)
    client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=editor.headers,
        json={
            "deliveries": [
                {"channel": "mitra_online", "planned_at": datetime.now(UTC).isoformat()}
            ]
        },
    )
    assert wait_until(
        lambda: feed_titles(client, "/feeds/rss.xml") == ["Rilis berfoto"]
    )

    for path in ("/feeds/rss.xml", "/feeds/atom.xml"):
        entry = feedparser.parse(client.get(path).data).entries[0]
        [enclosure] = entry.enclosures
        assert enclosure.type == "image/jpeg"
        with client.get(enclosure.href.removeprefix("http://127.0.0.1:5000")) as image:
            assert image.status_code == 200
            assert int(enclosure.length) == len(image.data)
        assert entry.link.endswith(f"/p/{entry.id.removeprefix('urn:uuid:')}")
    public = client.get(entry.link.removeprefix("http://127.0.0.1:5000")).text
    assert 'alt="Peserta forum di Denpasar"' in public
    assert f'<meta property="og:image" content="{enclosure.href}">' in public
