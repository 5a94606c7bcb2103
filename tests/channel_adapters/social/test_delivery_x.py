"""X delivery against a local X API v2 speaking its documented shapes."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from channel_adapters.base import PermanentError, RetryableError, UnknownOutcomeError
from channel_adapters.social.x import XAdapter
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    long_release,
    render_context,
    short_release,
)
from tests.fakes.x import TOKEN, FakeX, problem
from tests.support import Reply


@pytest.fixture
def api():
    with FakeX() as fake:
        yield fake


def channel(url: str, **settings) -> XAdapter:
    """An X channel sending to `url`."""
    values = {
        "api_base": url,
        "access_token": TOKEN,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (1.0, 1.0),
        **settings,
    }
    return XAdapter("x-kanal", XAdapter.validate_settings(values), None)


def test_a_post_goes_out_with_the_image_and_its_alt_text(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())

    result = adapter.deliver(rendition, "kunci-1")

    ((media_id, media),) = api.media.items()
    assert media["data"] == FORUM_IMAGE.variants["web"].read_bytes()
    assert (media["alt"], media["category"]) == (FORUM_IMAGE.alt, "tweet_image")
    ((post_id, post),) = api.posts.items()
    assert post == {"text": rendition.text, "media": {"media_ids": [media_id]}}
    assert result.remote_id == post_id
    assert result.remote_url == f"https://x.com/i/web/status/{post_id}"
    assert XAdapter.delivery_blocker(adapter.settings) is None


def test_a_thread_goes_out_as_replies_in_order(api):
    adapter = channel(api.url, thread=True)
    rendition = adapter.render(long_release(), render_context())
    posts = adapter.parts(rendition.text)

    result = adapter.deliver(rendition, "kunci-utas")

    sent = list(api.posts.items())
    assert len(posts) > 1 and [p["text"] for _, p in sent] == posts
    assert "reply" not in sent[0][1] and "media" in sent[0][1]
    for (before, _), (_, post) in zip(sent, sent[1:], strict=False):
        assert post["reply"] == {"in_reply_to_tweet_id": before}
    assert result.remote_id == sent[0][0]


def test_a_server_error_then_success_makes_exactly_one_post(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())
    api.fail("POST", r"/2/tweets", problem(500, "Internal Error", "Terjadi galat"))

    with pytest.raises(RetryableError):
        adapter.deliver(rendition, "kunci-2")
    adapter.deliver(rendition, "kunci-2")

    assert len(api.posts) == 1


def test_too_many_requests_is_retried_after_the_time_x_names(api):
    adapter = channel(api.url)
    api.fail(
        "POST",
        r"/2/tweets",
        Reply(
            429,
            {"title": "Too Many Requests", "detail": "Too Many Requests"},
            {"Retry-After": "90"},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert (caught.value.retry_after, caught.value.status) == (90, 429)
    assert api.posts == {}


@pytest.mark.parametrize(
    ("status", "title", "detail"),
    [
        (401, "Unauthorized", "Unauthorized"),
        (403, "Forbidden", "You are not permitted to perform this action."),
    ],
)
def test_a_refused_token_is_permanent_with_xs_words(api, status, title, detail):
    adapter = channel(api.url)
    api.fail("POST", r"/2/media/upload", problem(status, title, detail))

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "delivery.remote_refused"
    assert caught.value.notice.params["remote"] == detail


def test_a_wrong_token_is_refused_and_never_shown(api, caplog):
    adapter = channel(api.url, access_token="token-salah-yang-rahasia")

    with caplog.at_level(logging.DEBUG), pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.status == 401
    assert "token-salah-yang-rahasia" not in caplog.text + repr(caught.value.notice)


def test_connection_refused_means_nothing_was_posted():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = channel(f"http://127.0.0.1:{port}")

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "delivery.connection_failed"


def test_no_answer_after_posting_is_an_unknown_outcome(api):
    adapter = channel(api.url)
    api.fail("POST", r"/2/tweets", Reply(201, {"data": {"id": "1"}}, delay=3))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "delivery.timeout_after_send"


def test_no_answer_to_the_upload_is_retried_since_nothing_was_posted(api):
    adapter = channel(api.url)
    api.fail("POST", r"/2/media/upload", Reply(200, {}, delay=3))

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "social.step_unanswered"
    assert api.posts == {}


def test_a_thread_broken_after_its_first_post_is_never_resent(api):
    adapter = channel(api.url, thread=True)
    rendition = adapter.render(long_release(), render_context())
    api.down_after = 1  # the first post succeeds, the second meets a 503

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(rendition, "k")

    ((first_id, _),) = api.posts.items()
    assert caught.value.notice.code == "social.thread_incomplete"
    assert caught.value.notice.params["posted"] == 1
    assert caught.value.notice.params["url"].endswith(first_id)


def test_check_reads_the_signed_in_user(api):
    assert channel(api.url).check().notice.params["account"] == "@diskominfobali"
    failed = channel(api.url, access_token="salah").check()
    assert not failed.ok and failed.notice.params["status"] == 401


def test_without_retry_after_the_rate_limit_reset_is_used(api):
    adapter = channel(api.url)
    reset = str(int(time.time()) + 600)
    api.fail(
        "POST",
        r"/2/tweets",
        Reply(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": reset}),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert 500 < caught.value.retry_after <= 600


def test_check_without_a_token_says_what_is_missing():
    result = XAdapter("x", XAdapter.validate_settings({}), None).check()
    assert not result.ok and result.notice.code == "channel.needs_credentials"
    assert result.notice.params == {"keys": "access_token"}
