"""The adapter against a real WordPress (Debian's package), when one can run here."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from channel_adapters.base import PermanentError, ReleaseSnapshot
from channel_adapters.wordpress.adapter import WordPressAdapter
from tests.channel_adapters.fixtures import FORUM_IMAGE, render_context, short_release


def channel(wordpress, tmp_path: Path, role: str = "editor", **settings: Any):
    """A channel posting to the real site as the user of `role`."""
    values = {
        "url": wordpress.url,
        "username": role,
        "application_password": wordpress.passwords[role],
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (5, 30),
        **settings,
    }
    return WordPressAdapter(
        "situs", WordPressAdapter.validate_settings(values), tmp_path
    )


def release_with_id(public_id: str, **changes: Any) -> ReleaseSnapshot:
    """The short release under its own public id (the site is shared by tests)."""
    return dataclasses.replace(short_release(), public_id=public_id, **changes)


def send(adapter: WordPressAdapter, release: ReleaseSnapshot):
    """Render the release for the channel and deliver it."""
    return adapter.deliver(adapter.render(release, render_context()), "kunci-1")


def test_check_signs_in_and_names_what_is_missing(wordpress, tmp_path):
    editor = channel(wordpress, tmp_path).check()
    reader = channel(wordpress, tmp_path, role="subscriber").check()

    assert editor.ok and editor.notice.code == "wordpress.signed_in"
    assert editor.notice.params["roles"] == "editor"
    assert not reader.ok
    assert reader.notice.params["missing"] == "publish_posts, upload_files"


def test_a_release_and_its_correction_are_one_post_with_its_picture(
    wordpress, tmp_path
):
    adapter = channel(wordpress, tmp_path, categories={"Informasi Publik": "Berita"})
    release = release_with_id("nyata-1")
    corrected = dataclasses.replace(release, revision=2, title="Ralat: Forum Informasi")

    first = send(adapter, release)
    second = send(adapter, corrected)

    [post] = wordpress.get("posts", slug="rilis-nyata-1", status="any")
    assert first.remote_id == second.remote_id == str(post["id"])
    assert second.remote_url == post["link"]
    assert post["title"]["raw"] == "Ralat: Forum Informasi"
    assert post["excerpt"]["raw"] == release.lead
    media = wordpress.get(f"media/{post['featured_media']}")
    assert media["alt_text"] == FORUM_IMAGE.alt
    assert FORUM_IMAGE.caption in media["caption"]["raw"]
    assert len(wordpress.get("media", search="rilis-nyata-1")) == 1
    [category] = wordpress.get("categories", include=post["categories"])
    assert category["name"] == "Berita"
    tags = wordpress.get("tags", include=",".join(map(str, post["tags"])))
    assert sorted(t["name"] for t in tags) == sorted(release.tags)


def test_a_correction_without_the_picture_takes_it_off(wordpress, tmp_path):
    adapter = channel(wordpress, tmp_path)
    release = release_with_id("nyata-5")

    send(adapter, release)
    send(adapter, dataclasses.replace(release, revision=2, images=()))

    [post] = wordpress.get("posts", slug="rilis-nyata-5", status="any")
    assert post["featured_media"] == 0


def test_future_posts_wait_for_the_planned_time(wordpress, tmp_path):
    planned = datetime(2036, 12, 24, 2, 0, tzinfo=UTC)
    adapter = channel(wordpress, tmp_path, status="future")

    send(adapter, release_with_id("nyata-2", planned_at={"situs": planned}))

    [post] = wordpress.get("posts", slug="rilis-nyata-2", status="any")
    assert (post["status"], post["date_gmt"]) == ("future", "2036-12-24T02:00:00")


def test_a_wrong_password_is_refused_with_wordpress_words(wordpress, tmp_path):
    adapter = channel(wordpress, tmp_path, application_password="x" * 24)

    with pytest.raises(PermanentError) as caught:
        send(adapter, release_with_id("nyata-3"))

    assert caught.value.notice.params["status"] == 401
    assert caught.value.notice.params["remote"] == "You are not currently logged in."
    assert wordpress.get("posts", slug="rilis-nyata-3", status="any") == []


def test_an_author_may_not_create_a_category(wordpress, tmp_path):
    adapter = channel(wordpress, tmp_path, role="author")

    with pytest.raises(PermanentError) as caught:
        send(adapter, release_with_id("nyata-4", category="Kategori Baru Penulis"))

    assert caught.value.notice.params["status"] == 403
    assert "not allowed to create terms" in caught.value.notice.params["remote"]


def test_a_site_with_plain_permalinks_is_reached_through_rest_route(
    wordpress, tmp_path
):
    adapter = channel(
        wordpress, tmp_path, api_base=f"{wordpress.url}/?rest_route=/wp/v2"
    )

    result = send(adapter, release_with_id("nyata-6"))

    [post] = wordpress.get("posts", slug="rilis-nyata-6", status="any")
    assert result.remote_id == str(post["id"])
