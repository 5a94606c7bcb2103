"""Mastodon delivery against a local instance speaking its documented shapes."""

from __future__ import annotations

import socket

import pytest

from channel_adapters.base import PermanentError, RetryableError, UnknownOutcomeError
from channel_adapters.social.mastodon import MastodonAdapter
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    english_release,
    long_release,
    render_context,
    short_release,
)
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.support import Reply

STATUSES = r"/api/v1/statuses"


@pytest.fixture
def api():
    with FakeMastodon() as fake:
        yield fake


def channel(url: str, **settings) -> MastodonAdapter:
    """A Mastodon channel on the instance at `url`."""
    values = {
        "api_base": url,
        "access_token": TOKEN,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (1.0, 1.0),
        "media_poll_seconds": 0,
        **settings,
    }
    return MastodonAdapter(
        "mastodon-kanal", MastodonAdapter.validate_settings(values), None
    )


def test_a_status_goes_out_with_the_image_its_description_and_language(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())

    result = adapter.deliver(rendition, "kunci-1")

    ((media_id, media),) = api.media.items()
    assert media["data"] == FORUM_IMAGE.variants["web"].read_bytes()
    assert media["description"] == FORUM_IMAGE.alt
    (status,) = api.statuses.values()
    assert status["text"] == rendition.text and status["language"] == "id"
    assert [m["id"] for m in status["media_attachments"]] == [media_id]
    assert (result.remote_id, result.remote_url) == (status["id"], status["url"])


def test_an_english_release_is_marked_english(api):
    adapter = channel(api.url)
    adapter.deliver(adapter.render(english_release(), render_context()), "k")
    (status,) = api.statuses.values()
    assert status["language"] == "en"


def test_an_image_still_processing_is_waited_for(api):
    api.processing_polls = 2
    adapter = channel(api.url)

    adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert len(api.requests_to("GET", r"/api/v1/media/\d+")) == 2
    (status,) = api.statuses.values()
    assert status["media_attachments"][0]["url"]


def test_an_image_that_never_finishes_is_retried_later(api):
    api.processing_polls = 100
    adapter = channel(api.url)

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "social.media_processing"
    assert api.statuses == {}


def test_a_thread_replies_in_order(api):
    adapter = channel(api.url, thread=True, max_characters=200)
    rendition = adapter.render(long_release(), render_context())
    posts = adapter.parts(rendition.text)

    adapter.deliver(rendition, "kunci-utas")

    made = list(api.statuses.values())
    assert len(posts) > 1 and [s["text"] for s in made] == posts
    assert made[0]["in_reply_to_id"] is None
    assert [s["in_reply_to_id"] for s in made[1:]] == [s["id"] for s in made[:-1]]
    keys = [r.headers["Idempotency-Key"] for r in api.requests_to("POST", STATUSES)]
    assert len(set(keys)) == len(posts)  # one key per post


def test_a_server_error_then_success_makes_exactly_one_status(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())
    api.fail("POST", STATUSES, Reply(500, {"error": "Internal server error"}))

    with pytest.raises(RetryableError):
        adapter.deliver(rendition, "kunci-2")
    adapter.deliver(rendition, "kunci-2")

    assert len(api.statuses) == 1


def test_a_lost_answer_then_a_retry_gives_the_same_status_not_a_second(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())
    api.answer_late = 3  # the status is made, its answer never arrives in time

    with pytest.raises(UnknownOutcomeError):
        adapter.deliver(rendition, "kunci-3")
    api.answer_late = 0
    result = adapter.deliver(rendition, "kunci-3")

    (status,) = api.statuses.values()
    assert result.remote_id == status["id"]
    first, second = api.requests_to("POST", STATUSES)
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    other = channel(api.url).deliver(rendition, "kunci-lain")  # another delivery
    assert other.remote_id != status["id"]


def test_too_many_requests_is_retried_after_the_time_named(api):
    adapter = channel(api.url)
    api.fail(
        "POST",
        STATUSES,
        Reply(429, {"error": "Too many requests"}, {"Retry-After": "60"}),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert (caught.value.retry_after, caught.value.status) == (60, 429)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, "The access token is invalid"),
        (403, "This action is outside the authorized scopes"),
    ],
)
def test_a_refusal_is_permanent_with_mastodons_words(api, status, message):
    adapter = channel(api.url)
    api.fail("POST", STATUSES, Reply(status, {"error": message}))

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.params["remote"] == message


def test_connection_refused_means_nothing_was_posted():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = channel(f"http://127.0.0.1:{port}")

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "delivery.connection_failed"


def test_an_instance_without_address_or_token_cannot_be_scheduled():
    blocker = MastodonAdapter.delivery_blocker(MastodonAdapter.validate_settings({}))
    assert blocker.code == "channel.needs_credentials"
    assert blocker.params == {"keys": "api_base, access_token"}


def test_check_verifies_the_token(api):
    assert channel(api.url).check().notice.params["account"] == "@diskominfobali"
    failed = channel(api.url, access_token="salah").check()
    assert (
        not failed.ok
        and failed.notice.params["remote"] == "The access token is invalid"
    )
