"""Telegram delivery against a local Bot API speaking its documented shapes."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket

import pytest

from channel_adapters.base import PermanentError, RetryableError, UnknownOutcomeError
from channel_adapters.social.telegram import TelegramAdapter
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    long_release,
    render_context,
    short_release,
)
from tests.fakes.telegram import CHANNEL, TOKEN, FakeTelegram, error
from tests.support import Reply

SEND = r"/bot[^/]+/send(Message|Photo)"


@pytest.fixture
def api():
    with FakeTelegram() as fake:
        yield fake


def channel(url: str, **settings) -> TelegramAdapter:
    """A Telegram channel sending to `url`."""
    values = {
        "api_base": url,
        "bot_token": TOKEN,
        "chat_id": CHANNEL,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (1.0, 1.0),
        **settings,
    }
    return TelegramAdapter(
        "telegram-kanal", TelegramAdapter.validate_settings(values), None
    )


def mode(rendition) -> str:
    return json.loads(rendition.file("payload.json").data)["mode"]


def short_enough():
    """A release whose Telegram text fits a photo caption."""
    release = short_release()
    return dataclasses.replace(release, body_markdown="Forum digelar di Denpasar.")


def test_a_caption_goes_out_with_the_uploaded_photo(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_enough(), render_context())
    assert mode(rendition) == "photo_caption"

    result = adapter.deliver(rendition, "kunci-1")

    (sent,) = api.messages
    photo = sent["fields"]["photo"]
    assert photo.data == FORUM_IMAGE.variants["web"].read_bytes()
    assert sent["fields"]["caption"] == rendition.text
    assert sent["fields"]["parse_mode"] == "HTML"
    assert result.remote_id == str(sent["message_id"])
    assert result.remote_url == f"https://t.me/diskominfobali/{sent['message_id']}"


def test_a_long_text_goes_as_a_message_then_the_photo(api):
    adapter = channel(api.url)
    rendition = adapter.render(long_release(), render_context())
    assert mode(rendition) == "message_then_photo"

    result = adapter.deliver(rendition, "kunci-2")

    message, photo = api.messages
    assert (message["kind"], photo["kind"]) == ("message", "photo")
    assert message["fields"]["text"] == rendition.text
    assert photo["fields"]["photo"].data  # the bytes, not a URL
    assert result.remote_id == str(message["message_id"])


def test_a_release_without_image_is_a_message(api):
    adapter = channel(api.url, chat_id=-1001234567890)
    release = dataclasses.replace(short_release(), images=())

    result = adapter.deliver(adapter.render(release, render_context()), "k")

    (sent,) = api.messages
    assert sent["kind"] == "message" and sent["fields"]["chat_id"] == "-1001234567890"
    assert result.remote_url == f"https://t.me/diskominfobali/{sent['message_id']}"


def test_a_server_error_then_success_sends_exactly_once(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_enough(), render_context())
    api.fail("POST", SEND, error(500, "Internal Server Error"))

    with pytest.raises(RetryableError):
        adapter.deliver(rendition, "k")
    adapter.deliver(rendition, "k")

    assert len(api.messages) == 1


def test_flood_control_is_retried_after_telegrams_retry_after(api):
    adapter = channel(api.url)
    api.fail("POST", SEND, error(429, "Too Many Requests: retry after 35", 35))

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert (caught.value.retry_after, caught.value.status) == (35, 429)
    assert caught.value.notice.params["remote"] == "Too Many Requests: retry after 35"


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (401, "Unauthorized"),
        (403, "Forbidden: bot is not a member of the channel chat"),
    ],
)
def test_a_refusal_is_permanent_with_telegrams_words(api, status, description):
    adapter = channel(api.url)
    api.fail("POST", SEND, error(status, description))

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert caught.value.notice.params["remote"] == description


def test_an_unknown_chat_is_permanent(api):
    adapter = channel(api.url, chat_id="@bukan_kanal_kami")

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert caught.value.notice.params["remote"] == "Bad Request: chat not found"


def test_the_token_in_the_path_is_in_no_error_or_log_line(api, caplog):
    adapter = channel(api.url)
    api.fail("POST", SEND, error(400, f"Bad Request: token {TOKEN} salah"))

    with caplog.at_level(logging.DEBUG), pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert "sendPhoto" in caplog.text  # urllib3 logged the request, masked
    shown = caplog.text + repr(caught.value.notice) + str(caught.value)
    assert TOKEN not in shown and TOKEN.split(":")[1] not in shown


def test_connection_refused_means_nothing_was_sent():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = channel(f"http://127.0.0.1:{port}")

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert caught.value.notice.code == "delivery.connection_failed"


def test_no_answer_after_sending_is_an_unknown_outcome(api):
    adapter = channel(api.url)
    api.fail("POST", SEND, Reply(200, {"ok": True, "result": {}}, delay=3))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(adapter.render(short_enough(), render_context()), "k")

    assert caught.value.notice.code == "delivery.timeout_after_send"


def test_check_names_the_bot_and_the_chat(api):
    result = channel(api.url).check()
    assert result.ok and result.notice.code == "check.bot_in_chat"
    assert result.notice.params == {
        "network": "Telegram",
        "account": "@humas_bali_bot",
        "chat": "Diskominfos Bali",
    }
    failed = channel(api.url, chat_id="@lain").check()
    assert (
        not failed.ok
        and failed.notice.params["remote"] == "Bad Request: chat not found"
    )
