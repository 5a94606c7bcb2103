"""Facebook, Instagram, Threads and WhatsApp deliver through a local Graph API.

The fake (tests/fakes/meta.py) speaks the Graph API's shapes, error bodies
included; each test asserts what an editor would see: the post and its address,
or the error with the remote's own words, and never a post made twice.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from channel_adapters.base import (
    PermanentError,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.registry import ADAPTERS
from channel_adapters.social.base import lead_image
from tests.channel_adapters.fixtures import FORUM_IMAGE, render_context, short_release
from tests.fakes.meta import (
    IG_USER_ID,
    PAGE_ID,
    PHONE_NUMBER_ID,
    THREADS_USER_ID,
    TOKEN,
    MetaGraph,
    graph_error,
)
from tests.support import Reply

FAST = {"timeout": (0.5, 0.5), "allow_networks": ["127.0.0.0/8"]}
ACCOUNTS = {
    "facebook": {"page_id": PAGE_ID, "page_access_token": TOKEN},
    "instagram": {"user_id": IG_USER_ID, "access_token": TOKEN, "poll_interval": 0.01},
    "threads": {
        "user_id": THREADS_USER_ID,
        "access_token": TOKEN,
        "poll_interval": 0.01,
    },
    "whatsapp": {
        "phone_number_id": PHONE_NUMBER_ID,
        "access_token": TOKEN,
        "recipients": ["6281234567890"],
    },
}
# The request that makes each network's post public.
PUBLISHING = {
    "facebook": r"/v\d+\.\d+/\d+/photos",
    "instagram": r"/v\d+\.\d+/\d+/media_publish",
    "threads": r"/v\d+\.\d+/\d+/threads_publish",
    "whatsapp": r"/v\d+\.\d+/\d+/messages",
}
NETWORKS = sorted(ACCOUNTS)


@pytest.fixture
def graph() -> Iterator[MetaGraph]:
    """A running local Graph API."""
    with MetaGraph() as api:
        yield api


def channel(name: str, api_base: str, tmp_path, **settings):
    """A channel of network `name` on the local API, with its account's settings."""
    cls = ADAPTERS[name]
    raw = {**FAST, **ACCOUNTS[name], "api_base": api_base, **settings}
    return cls(f"{name}-kanal", cls.validate_settings(raw), tmp_path)


def rendition(adapter, release=None):
    """The adapter's frozen rendition (lead image included) of a short release."""
    return adapter.render(release or short_release(), render_context())


def no_picture():
    """The short release without its lead image."""
    return dataclasses.replace(short_release(), images=())


# --- success -------------------------------------------------------------------------


def test_facebook_posts_the_photo_with_its_alt_text_and_keeps_the_permalink(
    graph, tmp_path
):
    adapter = channel("facebook", graph.url, tmp_path)
    frozen = rendition(adapter)

    result = adapter.deliver(frozen, "kunci-1")

    [post] = graph.posts()
    image = lead_image(frozen)
    assert post.fields["source"].value == image.data  # the frozen bytes, uploaded
    assert post.fields["alt_text_custom"] == FORUM_IMAGE.alt
    assert post.fields["message"] == frozen.text
    assert (result.remote_id, result.remote_url) == (post.id, post.permalink)
    assert graph.requests_to("POST", PUBLISHING["facebook"])[0].bearer == TOKEN


def test_facebook_without_a_picture_posts_text_with_the_link(graph, tmp_path):
    adapter = channel("facebook", graph.url, tmp_path)
    release = no_picture()

    result = adapter.deliver(rendition(adapter, release), "kunci-1")

    [post] = graph.posts()
    assert post.fields["link"] == release.public_url
    assert result.remote_id == post.id and result.remote_url == post.permalink


def test_instagram_waits_for_the_container_then_publishes_once(graph, tmp_path):
    graph.polls_in_progress = 3  # IN_PROGRESS three times, then FINISHED
    adapter = channel("instagram", graph.url, tmp_path)
    frozen = rendition(adapter)

    result = adapter.deliver(frozen, "kunci-1")

    [post] = graph.posts()
    assert post.fields == {
        "image_url": FORUM_IMAGE.url,
        "caption": frozen.text,
        "alt_text": FORUM_IMAGE.alt,
    }
    polls = [
        r
        for r in graph.requests_to("GET", r"/v\d+\.\d+/\d+")
        if "status_code" in r.path
    ]
    assert len(polls) == 4
    assert (result.remote_id, result.remote_url) == (post.id, post.permalink)
    assert len(graph.requests_to("POST", PUBLISHING["instagram"])) == 1


def test_threads_posts_the_picture_by_its_address_with_alt_text(graph, tmp_path):
    adapter = channel("threads", graph.url, tmp_path)
    frozen = rendition(adapter)

    result = adapter.deliver(frozen, "kunci-1")

    [post] = graph.posts()
    assert post.fields == {
        "media_type": "IMAGE",
        "image_url": FORUM_IMAGE.url,
        "alt_text": FORUM_IMAGE.alt,
        "text": frozen.text,
    }
    assert result.remote_url == post.permalink and "/v1.0/" in graph.received[0].path


def test_threads_without_a_picture_posts_text(graph, tmp_path):
    adapter = channel("threads", graph.url, tmp_path)
    frozen = rendition(adapter, no_picture())

    adapter.deliver(frozen, "kunci-1")

    assert graph.posts()[0].fields == {"media_type": "TEXT", "text": frozen.text}


def test_whatsapp_uploads_the_picture_once_and_sends_it_with_the_caption(
    graph, tmp_path
):
    recipients = ["6281234567890", "6285712345678"]
    adapter = channel("whatsapp", graph.url, tmp_path, recipients=recipients)
    frozen = rendition(adapter)

    result = adapter.deliver(frozen, "kunci-1")

    [upload] = graph.uploads.values()
    assert upload.value == lead_image(frozen).data
    assert [m["to"] for m in graph.messages] == recipients
    assert all(m["image"]["caption"] == frozen.text for m in graph.messages)
    assert result.remote_id == graph.messages[0]["id"]
    assert "6285712345678" in result.detail


def test_whatsapp_sends_a_template_where_the_api_requires_one(graph, tmp_path):
    adapter = channel(
        "whatsapp",
        graph.url,
        tmp_path,
        template={"name": "siaran_pers", "language": "id", "header_image": True},
    )
    frozen = rendition(adapter)

    adapter.deliver(frozen, "kunci-1")

    [message] = graph.messages
    template = message["template"]
    assert (template["name"], template["language"]) == ("siaran_pers", {"code": "id"})
    header, body = template["components"]
    assert header["parameters"][0]["image"]["id"] in graph.uploads
    assert body["parameters"][0]["text"] == " ".join(frozen.text.split())


def test_whatsapp_retry_messages_only_those_still_waiting(graph, tmp_path):
    recipients = ["6281234567890", "6285712345678", "6287812345678"]
    adapter = channel("whatsapp", graph.url, tmp_path, recipients=recipients)
    frozen = rendition(adapter, no_picture())
    # The first number gets it; the second meets a rate limit (HTTP 400, code 130429).
    graph.fail(
        "POST",
        PUBLISHING["whatsapp"],
        Reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.1"}]}),
    )
    graph.fail(
        "POST",
        PUBLISHING["whatsapp"],
        Reply(
            400, graph_error("(#130429) Rate limit hit", 130429), {"Retry-After": "30"}
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(frozen, "kunci-1")
    result = adapter.deliver(frozen, "kunci-1")

    assert caught.value.notice.code == "whatsapp.partly_sent_retrying"
    assert caught.value.notice.params["sent"] == "6281234567890"
    assert caught.value.retry_after == 30
    sent = [
        json.loads(r.body)["to"]
        for r in graph.requests_to("POST", PUBLISHING["whatsapp"])
    ]
    assert sent == [recipients[0], recipients[1], recipients[1], recipients[2]]
    assert "6281234567890" in result.detail and "6287812345678" in result.detail


# --- failures, for every network -----------------------------------------------------


def publish_fault(graph: MetaGraph, name: str, reply: Reply) -> None:
    """Answer `name`'s publishing request with `reply`, once."""
    graph.fail("POST", PUBLISHING[name], reply)


@pytest.mark.parametrize("name", NETWORKS)
def test_a_500_then_a_retry_publishes_exactly_once(name, graph, tmp_path):
    adapter = channel(name, graph.url, tmp_path)
    frozen = rendition(adapter)
    publish_fault(
        graph,
        name,
        Reply(
            500, graph_error("An unexpected error has occurred.", 2, "OAuthException")
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(frozen, "kunci-1")
    adapter.deliver(frozen, "kunci-1")

    assert caught.value.notice.params["remote"] == "An unexpected error has occurred."
    assert len(graph.posts() if name != "whatsapp" else graph.messages) == 1


@pytest.mark.parametrize("name", NETWORKS)
def test_a_429_is_retried_after_the_remotes_wait(name, graph, tmp_path):
    adapter = channel(name, graph.url, tmp_path)
    publish_fault(
        graph,
        name,
        Reply(
            429,
            graph_error("(#4) Application request limit reached", 4),
            {"Retry-After": "120"},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.retry_after == 120
    assert (
        caught.value.notice.params["remote"] == "(#4) Application request limit reached"
    )


@pytest.mark.parametrize("name", NETWORKS)
def test_a_rate_limit_code_on_http_400_is_retried(name, graph, tmp_path):
    adapter = channel(name, graph.url, tmp_path)
    usage = {
        PAGE_ID: [
            {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}
        ]
    }
    publish_fault(
        graph,
        name,
        Reply(
            400,
            graph_error("(#32) Page request limit reached", 32),
            {"X-Business-Use-Case-Usage": json.dumps(usage)},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert (caught.value.status, caught.value.retry_after) == (400, 300)


@pytest.mark.parametrize("name", NETWORKS)
def test_connection_refused_is_retried(name, refused_url, tmp_path):
    adapter = channel(name, refused_url.rsplit("/", 1)[0], tmp_path)

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "delivery.connection_failed"


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("name", NETWORKS)
def test_a_refused_token_is_permanent_with_the_remotes_words(
    name, status, graph, tmp_path
):
    words = "Error validating access token: Session has expired on Friday."
    graph.fail("POST", r".*", Reply(status, graph_error(words, 190, subcode=463)))
    adapter = channel(name, graph.url, tmp_path)

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "delivery.remote_refused"
    assert caught.value.notice.params["remote"] == words
    assert TOKEN not in json.dumps(caught.value.notice.as_dict())


@pytest.mark.parametrize("name", NETWORKS)
def test_a_wrong_token_is_refused_by_the_api_itself(name, graph, tmp_path):
    adapter = channel(
        name,
        graph.url,
        tmp_path,
        **{
            "page_access_token" if name == "facebook" else "access_token": "salah-token"
        },
    )

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.params["remote"] == (
        "Invalid OAuth access token - Cannot parse access token"
    )
    assert adapter.check().ok is False


@pytest.mark.parametrize("name", NETWORKS)
def test_no_answer_after_publishing_is_unknown(name, graph, tmp_path):
    adapter = channel(name, graph.url, tmp_path)
    publish_fault(graph, name, Reply(200, {"id": "late"}, delay=2))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "delivery.timeout_after_send"
    assert len(graph.requests_to("POST", PUBLISHING[name])) == 1


@pytest.mark.parametrize(
    ("name", "step"),
    [
        ("instagram", r"/v\d+\.\d+/\d+/media"),
        ("threads", r"/v\d+\.\d+/\d+/threads"),
        ("whatsapp", r"/v\d+\.\d+/\d+/media"),
    ],
)
def test_no_answer_while_preparing_is_retried_as_nothing_was_published(
    name, step, graph, tmp_path
):
    adapter = channel(name, graph.url, tmp_path)
    graph.fail("POST", step, Reply(200, {"id": "late"}, delay=2))

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "social.prepare_unanswered"
    assert not graph.requests_to("POST", PUBLISHING[name])


# --- Instagram's own rules -----------------------------------------------------------


def test_instagram_refuses_a_release_without_a_picture_before_sending(graph, tmp_path):
    adapter = channel("instagram", graph.url, tmp_path)

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter, no_picture()), "kunci-1")

    assert caught.value.notice.code == "instagram.needs_picture"
    assert graph.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000/p/x/media/web.jpg",
        "http://localhost:5000/p/x/media/web.jpg",
        "https://10.20.1.5/p/x/media/web.jpg",
        "https://humas.local/p/x/media/web.jpg",
        "",
    ],
)
@pytest.mark.parametrize("name", ["instagram", "threads"])
def test_a_picture_meta_cannot_fetch_is_refused_before_sending(
    name, url, graph, tmp_path
):
    image = dataclasses.replace(FORUM_IMAGE, url=url)
    release = dataclasses.replace(short_release(), images=(image,))
    adapter = channel(name, graph.url, tmp_path)

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter, release), "kunci-1")

    assert caught.value.notice.code == "social.image_not_public"
    assert caught.value.notice.params["url"] == url
    assert graph.received == []


def test_a_container_in_error_is_refused_with_instagrams_words(graph, tmp_path):
    adapter = channel("instagram", graph.url, tmp_path)
    graph.polls_in_progress = 0
    words = "Error: The image could not be downloaded (2207052)"
    original = graph._container

    def failing(owner, fields):
        reply = original(owner, fields)
        container = graph.containers[reply.body["id"]]
        container.status, container.error = "ERROR", words
        return reply

    graph._container = failing

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "social.container_failed"
    assert caught.value.notice.params["remote"] == words
    assert graph.posts() == []


def test_a_container_still_processing_is_retried_before_any_publish(graph, tmp_path):
    graph.polls_in_progress = 1000
    adapter = channel("instagram", graph.url, tmp_path, processing_wait=0.05)

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(rendition(adapter), "kunci-1")

    assert caught.value.notice.code == "social.container_unfinished"
    assert not graph.requests_to("POST", PUBLISHING["instagram"])


def test_a_failed_permalink_look_up_does_not_fail_a_published_post(graph, tmp_path):
    adapter = channel("instagram", graph.url, tmp_path)
    graph.look_up_fault = Reply(500, graph_error("Please retry", 1))

    result = adapter.deliver(rendition(adapter), "kunci-1")

    [post] = graph.posts()
    assert result.remote_id == post.id
    assert result.remote_url == "https://www.instagram.com/" != post.permalink


# --- test connection -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "account"),
    [
        ("facebook", "Diskominfos Provinsi Bali"),
        ("instagram", "diskominfosbali"),
        ("threads", "diskominfosbali"),
        ("whatsapp", "Diskominfos Bali"),
    ],
)
def test_check_names_the_account_the_token_posts_as(name, account, graph, tmp_path):
    result = channel(name, graph.url, tmp_path).check()

    assert result.ok
    assert result.notice.code == "check.signed_in"
    assert result.notice.params["account"] == account
    assert (
        graph.received[0].bearer == TOKEN
        and "access_token" not in graph.received[0].path
    )


def test_check_shows_the_refusal_in_the_remotes_words(graph, tmp_path):
    graph.fail("GET", r".*", Reply(403, graph_error("(#200) Permissions error", 200)))

    result = channel("facebook", graph.url, tmp_path).check()

    assert not result.ok
    assert result.notice.params["remote"] == "(#200) Permissions error"


@pytest.mark.parametrize("name", NETWORKS)
def test_a_channel_without_credentials_previews_but_cannot_be_scheduled(name):
    cls = ADAPTERS[name]
    settings = cls.validate_settings({})

    assert cls.delivery_blocker(settings).code == "channel.needs_credentials"
    assert cls.delivery_blocker(cls.validate_settings(ACCOUNTS[name])) is None


# --- WhatsApp: several recipients ----------------------------------------------------

NUMBERS = ["6281234567890", "6285712345678", "6287812345678"]


def whatsapp_to(graph: MetaGraph, tmp_path):
    """A WhatsApp channel to three numbers, and a rendition without a picture."""
    adapter = channel("whatsapp", graph.url, tmp_path, recipients=NUMBERS)
    return adapter, rendition(adapter, no_picture())


def sent_to(graph: MetaGraph) -> list[str]:
    """The numbers messages were addressed to, in order (accepted or not)."""
    return [
        json.loads(r.body)["to"]
        for r in graph.requests_to("POST", PUBLISHING["whatsapp"])
    ]


def test_whatsapp_refused_for_one_number_says_who_got_it_and_retry_sends_the_rest(
    graph, tmp_path
):
    adapter, frozen = whatsapp_to(graph, tmp_path)
    words = "(#131047) Re-engagement message"
    graph.fail(
        "POST",
        PUBLISHING["whatsapp"],
        Reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.1"}]}),
    )
    graph.fail("POST", PUBLISHING["whatsapp"], Reply(400, graph_error(words, 131047)))

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(frozen, "kunci-1")
    adapter.deliver(frozen, "kunci-1")  # the editor pressed "retry"

    assert caught.value.notice.code == "whatsapp.partly_sent_refused"
    assert caught.value.notice.params == {
        "sent": NUMBERS[0],
        "pending": f"{NUMBERS[1]}, {NUMBERS[2]}",
        "recipient": NUMBERS[1],
        "remote": words,
    }
    assert sent_to(graph) == [NUMBERS[0], NUMBERS[1], NUMBERS[1], NUMBERS[2]]


def test_whatsapp_answer_lost_for_one_number_is_unknown_naming_it(graph, tmp_path):
    adapter, frozen = whatsapp_to(graph, tmp_path)
    graph.fail(
        "POST",
        PUBLISHING["whatsapp"],
        Reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.1"}]}),
    )
    graph.fail("POST", PUBLISHING["whatsapp"], Reply(200, {}, delay=2))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(frozen, "kunci-1")

    assert caught.value.notice.code == "whatsapp.partly_sent_unknown"
    assert caught.value.notice.params["recipient"] == NUMBERS[1]
    assert caught.value.notice.params["sent"] == NUMBERS[0]
    assert sent_to(graph) == NUMBERS[:2]  # the third was not tried


def test_whatsapp_delivered_again_after_a_crash_messages_nobody_twice(graph, tmp_path):
    adapter, frozen = whatsapp_to(graph, tmp_path)

    first = adapter.deliver(frozen, "kunci-1")
    again = adapter.deliver(frozen, "kunci-1")
    other = adapter.deliver(frozen, "kunci-2")  # another delivery is sent anew

    assert first == again
    assert sent_to(graph) == NUMBERS + NUMBERS
    assert other.remote_id != first.remote_id


def test_whatsapp_long_post_with_a_picture_goes_as_picture_then_text(graph, tmp_path):
    adapter = channel("whatsapp", graph.url, tmp_path)
    frozen = rendition(adapter)
    long_text = frozen.text + "\n\n" + "Informasi publik adalah hak warga. " * 40
    frozen = dataclasses.replace(frozen, text=long_text)

    adapter.deliver(frozen, "kunci-1")

    picture, text = graph.messages
    assert picture["type"] == "image" and "caption" not in picture["image"]
    assert text["text"]["body"] == long_text
