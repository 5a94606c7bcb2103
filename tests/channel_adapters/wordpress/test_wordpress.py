"""WordPress delivery against a local site speaking the REST API's shapes.

The site (tests/fakes/wordpress.py) keeps users, terms, media and posts, so each test
reads what an office's web editor would see in wp-admin afterwards.
"""

from __future__ import annotations

import dataclasses
import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from channel_adapters.base import (
    PermanentError,
    ReleaseSnapshot,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.registry import get_adapter
from channel_adapters.text.markdown import to_html
from channel_adapters.wordpress.adapter import POST, WordPressAdapter
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    english_release,
    render_context,
    short_release,
)
from tests.channel_adapters.wordpress.conftest import PASSWORD
from tests.support import Reply

POSTS = r"/wp-json/wp/v2/posts"


def channel(url: str, tmp_path: Path, **settings: Any) -> WordPressAdapter:
    """A `situs` channel posting to `url` as the editor unless told otherwise."""
    values = {
        "url": url,
        "username": "humas",
        "application_password": PASSWORD,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (0.5, 0.5),
        **settings,
    }
    return WordPressAdapter(
        "situs", get_adapter("wordpress").validate_settings(values), tmp_path
    )


def send(adapter: WordPressAdapter, release: ReleaseSnapshot):
    """Render the release for the channel and deliver it."""
    return adapter.deliver(adapter.render(release, render_context()), "kunci-1")


def test_a_release_becomes_a_post_with_its_picture_described(site, tmp_path):
    release = short_release()

    result = send(channel(site.url, tmp_path), release)

    [post] = site.posts
    assert (result.remote_id, result.remote_url) == (str(post["id"]), post["link"])
    assert post["status"] == "publish" and post["title"]["raw"] == release.title
    assert post["excerpt"]["raw"] == release.lead
    assert release.lead in post["content"]["raw"]
    assert to_html(release.body_markdown).strip() in post["content"]["raw"]
    [media] = site.media
    assert post["featured_media"] == media["id"]
    assert media["bytes"] == Path(FORUM_IMAGE.variants["web"]).read_bytes()
    assert media["alt_text"] == FORUM_IMAGE.alt
    assert FORUM_IMAGE.caption in media["caption"]["raw"]
    assert FORUM_IMAGE.credit in media["caption"]["raw"]


def test_categories_and_tags_are_created_when_missing_and_reused(site, tmp_path):
    berita = site.add_term("categories", "Berita Daerah")
    ppid = site.add_term("tags", "PPID")
    adapter = channel(
        site.url, tmp_path, categories={"Informasi Publik": "Berita Daerah"}
    )
    release = dataclasses.replace(
        short_release(), tags=("PPID", "keterbukaan informasi")
    )

    send(adapter, release)
    send(adapter, dataclasses.replace(release, public_id="rilis-lain", title="Lain"))

    first, second = site.posts
    assert first["categories"] == second["categories"] == [berita["id"]]
    assert site.term_names("tags", first["tags"]) == ["PPID", "keterbukaan informasi"]
    assert first["tags"][0] == ppid["id"] and second["tags"] == first["tags"]
    assert len(site.terms["tags"]) == 2  # one created, none twice


def test_an_unmapped_category_keeps_its_own_name(site, tmp_path):
    send(channel(site.url, tmp_path), english_release())

    [post] = site.posts
    assert site.term_names("categories", post["categories"]) == ["Environment"]


def test_an_author_cannot_create_a_category_and_is_told_why(site, tmp_path):
    adapter = channel(site.url, tmp_path, username="penulis")

    with pytest.raises(PermanentError) as caught:
        send(adapter, short_release())

    notice = caught.value.notice
    assert notice.params["status"] == 403
    assert notice.params["remote"] == (
        "Sorry, you are not allowed to create terms in this taxonomy."
    )
    assert site.posts == []


def test_future_status_lets_wordpress_publish_at_the_planned_time(site, tmp_path):
    adapter = channel(site.url, tmp_path, status="future")
    planned = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)
    release = dataclasses.replace(short_release(), planned_at={"situs": planned})

    send(adapter, release)

    [post] = site.posts
    assert (post["status"], post["date_gmt"]) == ("future", "2026-12-24T02:00:00")


def test_a_correction_updates_the_same_post(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    release = short_release()
    corrected = dataclasses.replace(
        release, revision=2, title="Ralat: " + release.title, lead="Jadwal diperbaiki."
    )

    first = send(adapter, release)
    second = send(adapter, corrected)

    [post] = site.posts
    assert first.remote_id == second.remote_id == str(post["id"])
    assert post["title"]["raw"] == corrected.title
    assert post["excerpt"]["raw"] == "Jadwal diperbaiki."
    assert len(site.media) == 1  # the same picture is not uploaded again
    assert len(site.requests_to("POST", POSTS + r"/\d+")) == 1


def test_a_correction_of_the_alt_text_describes_the_same_picture(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    release = short_release()
    image = dataclasses.replace(FORUM_IMAGE, alt="Peserta forum di Wantilan")

    send(adapter, release)
    send(adapter, dataclasses.replace(release, revision=2, images=(image,)))

    [media] = site.media
    assert media["alt_text"] == "Peserta forum di Wantilan"


def test_a_lost_answer_to_a_new_tag_is_retried_not_unknown(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    rendition = adapter.render(short_release(), render_context())
    site.fail("POST", r"/wp-json/wp/v2/tags", Reply(201, {"id": 0}, delay=2))

    with pytest.raises(RetryableError):
        adapter.deliver(rendition, "kunci-1")
    adapter.deliver(rendition, "kunci-1")

    [post] = site.posts
    assert site.term_names("tags", post["tags"]) == list(short_release().tags)


def test_a_correction_without_the_picture_takes_it_off_the_post(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    release = short_release()

    send(adapter, release)
    send(adapter, dataclasses.replace(release, revision=2, images=()))

    [post] = site.posts
    assert post["featured_media"] == 0


def test_a_server_error_then_success_makes_exactly_one_post(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    rendition = adapter.render(short_release(), render_context())
    site.fail(
        "POST",
        POSTS,
        Reply(
            500,
            {
                "code": "internal_server_error",
                "message": "Galat basis data",
                "data": {"status": 500},
            },
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition, "kunci-1")
    adapter.deliver(rendition, "kunci-1")

    assert caught.value.notice.params["remote"] == "Galat basis data"
    assert len(site.posts) == 1


def test_too_many_requests_waits_as_the_site_asks(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    site.fail(
        "POST",
        POSTS,
        Reply(
            429,
            {
                "code": "too_many_requests",
                "message": "Pelan-pelan",
                "data": {"status": 429},
            },
            {"Retry-After": "30"},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        send(adapter, short_release())

    assert caught.value.retry_after == 30
    assert site.posts == []


def test_a_refused_connection_is_retried_later(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(RetryableError) as caught:
        send(channel(f"http://127.0.0.1:{port}", tmp_path), short_release())

    assert caught.value.notice.code == "delivery.connection_failed"


def test_a_wrong_password_is_permanent_with_the_sites_words(site, tmp_path):
    adapter = channel(site.url, tmp_path, application_password="salah " * 4)

    with pytest.raises(PermanentError) as caught:
        send(adapter, short_release())

    assert caught.value.notice.params["status"] == 401
    assert caught.value.notice.params["remote"] == "You are not currently logged in."
    assert site.posts == [] and site.media == []


def test_a_refused_post_is_permanent_with_the_sites_words(site, tmp_path):
    site.fail(
        "POST",
        POSTS,
        Reply(
            401,
            {
                "code": "rest_cannot_create",
                "message": "Sorry, you are not allowed to create posts as this user.",
                "data": {"status": 401},
            },
        ),
    )

    with pytest.raises(PermanentError) as caught:
        send(channel(site.url, tmp_path), short_release())

    assert caught.value.notice.code == "delivery.remote_refused"
    assert caught.value.notice.params["remote"] == (
        "Sorry, you are not allowed to create posts as this user."
    )


def test_a_timeout_after_sending_is_unknown_and_a_resend_does_not_duplicate(
    site, tmp_path
):
    adapter = channel(site.url, tmp_path)
    rendition = adapter.render(short_release(), render_context())
    site.save_then_stall(seconds=3)

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(rendition, "kunci-1")
    assert len(site.posts) == 1  # it was saved; only the answer was lost
    result = adapter.deliver(rendition, "kunci-1")  # a person sends it again

    notice = caught.value.notice
    assert notice.code == "wordpress.timeout_after_send"
    assert notice.params["slug"] == site.posts[0]["slug"]
    assert len(site.posts) == 1 and result.remote_id == str(site.posts[0]["id"])


def test_a_lost_answer_before_the_post_is_retried(site, tmp_path):
    site.fail("GET", r"/wp-json/wp/v2/categories", Reply(200, [], delay=2))

    with pytest.raises(RetryableError) as caught:
        send(channel(site.url, tmp_path), short_release())

    assert caught.value.notice.code == "wordpress.step_unanswered"
    assert site.posts == []


def test_the_frozen_payload_is_what_is_posted(site, tmp_path):
    adapter = channel(site.url, tmp_path)
    release = dataclasses.replace(
        short_release(), body_markdown="Teks <script>alert(1)</script> **tebal**."
    )
    rendition = adapter.render(release, render_context())

    adapter.deliver(rendition, "kunci-1")

    frozen = json.loads(rendition.file(POST).data)
    [post] = site.posts
    assert post["content"]["raw"] == frozen["content"] == rendition.html
    assert "<script" not in post["content"]["raw"]
    assert "<strong>tebal</strong>" in post["content"]["raw"]
    assert post["slug"] == frozen["slug"]


def test_check_names_the_user_and_whether_they_may_publish(site, tmp_path):
    editor = channel(site.url, tmp_path).check()
    reader = channel(site.url, tmp_path, username="pembaca").check()
    stranger = channel(site.url, tmp_path, application_password="x" * 24).check()

    assert editor.ok and editor.notice.code == "wordpress.signed_in"
    assert editor.notice.params["name"] == "Humas Diskominfos"
    assert not reader.ok and reader.notice.code == "wordpress.cannot_publish"
    assert reader.notice.params["missing"] == "publish_posts, upload_files"
    assert not stranger.ok and stranger.notice.params["status"] == 401


def test_a_channel_without_credentials_previews_but_cannot_send(tmp_path):
    settings = WordPressAdapter.validate_settings({"url": "https://web.example"})

    blocker = WordPressAdapter.delivery_blocker(settings)

    assert blocker.code == "channel.needs_credentials"
    assert blocker.params["keys"] == "username, application_password"
    checked = WordPressAdapter("situs", settings, tmp_path).check()
    assert not checked.ok and checked.notice.params["label"] == "WordPress"


def test_every_revision_of_a_release_has_the_same_slug_and_clean_html(tmp_path):
    adapter = channel("https://web.example", tmp_path)
    release = dataclasses.replace(
        short_release(),
        body_markdown=(
            "Isi <iframe src='https://x.example'></iframe> [tautan](javascript:x)."
        ),
        tags=("#PPID", "ppid", "  ", "x" * 250),
    )
    corrected = dataclasses.replace(release, revision=2, title="Ralat")

    first = json.loads(adapter.render(release, render_context()).file(POST).data)
    rendition = adapter.render(corrected, render_context())
    second = json.loads(rendition.file(POST).data)

    assert first["slug"] == second["slug"] == f"rilis-{release.public_id}"
    assert "<iframe" not in second["content"]
    assert 'href="javascript' not in second["content"]
    assert second["tags"] == ["PPID"]  # one tag, without its hash sign
    assert [w.code for w in rendition.warnings] == ["wordpress.tag_too_long"]
    assert "date_gmt" not in second  # publish: WordPress dates it when it arrives
