"""LinkedIn delivers an organization page post through a local Posts API."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from channel_adapters.base import PermanentError, RetryableError, UnknownOutcomeError
from channel_adapters.registry import ADAPTERS
from channel_adapters.social.base import lead_image
from channel_adapters.social.linkedin import little_text
from tests.channel_adapters.fixtures import FORUM_IMAGE, render_context, short_release
from tests.fakes.linkedin import ORGANIZATION, TOKEN, LinkedInApi, linkedin_error
from tests.support import Reply

POSTS = r"/rest/posts"


@pytest.fixture
def linkedin() -> Iterator[LinkedInApi]:
    """A running local LinkedIn API."""
    with LinkedInApi() as api:
        yield api


def channel(api_base: str, tmp_path, **settings):
    """A LinkedIn channel on the local API."""
    cls = ADAPTERS["linkedin"]
    raw = {
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
        "author": ORGANIZATION,
        "access_token": TOKEN,
        "api_base": api_base,
        **settings,
    }
    return cls("linkedin-kanal", cls.validate_settings(raw), tmp_path)


def rendition(adapter, release=None):
    """The frozen rendition of a short release (lead image included)."""
    return adapter.render(release or short_release(), render_context())


def test_the_image_is_uploaded_and_the_post_carries_it_with_alt_text(
    linkedin, tmp_path
):
    adapter = channel(linkedin.url, tmp_path)
    frozen = rendition(adapter)

    result = adapter.deliver(frozen, "kunci-1")

    [post] = linkedin.posts
    [(urn, data)] = linkedin.images.items()
    assert data == lead_image(frozen).data
    assert post["content"]["media"] == {"id": urn, "altText": FORUM_IMAGE.alt}
    assert post["author"] == ORGANIZATION
    assert (post["visibility"], post["lifecycleState"]) == ("PUBLIC", "PUBLISHED")
    assert post["commentary"] == little_text(frozen.text)
    assert result.remote_id == post["urn"]
    assert result.remote_url == f"https://www.linkedin.com/feed/update/{post['urn']}"
    sent = linkedin.requests_to("POST", POSTS)[0]
    assert sent.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert sent.headers["LinkedIn-Version"] == "202511"


def test_commentary_escapes_little_text_and_keeps_hashtags():
    text = "Forum (PPID) untuk_warga <Bali> @humas #KeterbukaanInformasi"

    assert little_text(text) == (
        "Forum \\(PPID\\) untuk\\_warga \\<Bali\\> \\@humas "
        "{hashtag|\\#|KeterbukaanInformasi}"
    )


def test_a_release_without_a_picture_is_a_text_post(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path)
    release = dataclasses.replace(short_release(), images=())

    adapter.deliver(rendition(adapter, release), "kunci-1")

    [post] = linkedin.posts
    assert "content" not in post and linkedin.images == {}


def test_a_500_then_a_retry_posts_exactly_once(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path)
    frozen = rendition(adapter)
    linkedin.fail("POST", POSTS, linkedin_error(500, "INTERNAL_ERROR", "Internal"))

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(frozen, "kunci-1")
    adapter.deliver(frozen, "kunci-1")

    assert caught.value.notice.params["remote"] == "Internal"
    assert len(linkedin.posts) == 1


def test_a_429_is_retried_after_the_remotes_wait(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path)
    linkedin.fail(
        "POST",
        POSTS,
        Reply(
            429,
            {"status": 429, "message": "Resource level throttle limit exceeded"},
            {"Retry-After": "60"},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.retry_after == 60
    assert linkedin.posts == []


def test_connection_refused_is_retried(refused_url, tmp_path):
    adapter = channel(refused_url.rsplit("/", 1)[0], tmp_path)

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "delivery.connection_failed"


def test_a_wrong_token_is_permanent_with_linkedins_words(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path, access_token="token-yang-salah")

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.params["status"] == 401
    assert caught.value.notice.params["remote"] == "Invalid access token"
    assert not adapter.check().ok


def test_a_403_is_permanent_and_hides_the_token(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path)
    linkedin.fail(
        "POST",
        POSTS,
        linkedin_error(
            403, "ACCESS_DENIED", f"Token {TOKEN} lacks w_organization_social"
        ),
    )

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    remote = caught.value.notice.params["remote"]
    assert remote.startswith("Token ") and remote.endswith("w_organization_social")
    assert TOKEN not in json.dumps(caught.value.notice.as_dict())


def test_no_answer_after_posting_is_unknown(linkedin, tmp_path):
    adapter = channel(linkedin.url, tmp_path)
    linkedin.fail("POST", POSTS, Reply(201, b"", delay=2))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "delivery.timeout_after_send"
    assert len(linkedin.requests_to("POST", POSTS)) == 1


def test_no_answer_to_the_image_upload_is_retried_and_nothing_is_posted(
    linkedin, tmp_path
):
    adapter = channel(linkedin.url, tmp_path)
    linkedin.fail("PUT", r"/dms-uploads/\w+", Reply(201, b"", delay=2))

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "social.prepare_unanswered"
    assert linkedin.requests_to("POST", POSTS) == []


def test_check_names_the_organization(linkedin, tmp_path):
    result = channel(linkedin.url, tmp_path).check()

    assert result.ok and result.notice.code == "check.signed_in"
    assert result.notice.params["account"] == "Diskominfos Provinsi Bali"


def test_an_author_that_is_not_an_organization_is_a_config_error():
    with pytest.raises(ValueError, match="author"):
        ADAPTERS["linkedin"].validate_settings({"author": "Diskominfos"})


def test_a_channel_without_credentials_cannot_be_scheduled():
    cls = ADAPTERS["linkedin"]

    assert cls.delivery_blocker(cls.validate_settings({})).code == (
        "channel.needs_credentials"
    )
