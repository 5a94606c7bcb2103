"""Bluesky delivery against a local PDS speaking the lexicons' shapes."""

from __future__ import annotations

import dataclasses
import socket

import pytest

from channel_adapters.base import PermanentError, RetryableError, UnknownOutcomeError
from channel_adapters.social.bluesky import BlueskyAdapter
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    long_release,
    render_context,
    short_release,
)
from tests.fakes.bluesky import DID, HANDLE, KNOWN_HANDLES, PASSWORD, FakeBluesky, fail
from tests.support import Reply

RECORDS = r"/xrpc/com\.atproto\.repo\.createRecord"


@pytest.fixture
def api():
    with FakeBluesky() as fake:
        yield fake


def channel(url: str, **settings) -> BlueskyAdapter:
    """A Bluesky channel on the PDS at `url`."""
    values = {
        "api_base": url,
        "handle": HANDLE,
        "app_password": PASSWORD,
        "allow_networks": ["127.0.0.0/8"],
        "timeout": (1.0, 1.0),
        **settings,
    }
    return BlueskyAdapter(
        "bluesky-kanal", BlueskyAdapter.validate_settings(values), None
    )


def spans(record: dict) -> dict[str, dict]:
    """What each facet covers in the record's text, with its feature."""
    data = record["text"].encode()
    return {
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in record.get("facets", [])
    }


def test_a_post_goes_out_with_the_image_its_alt_text_and_aspect_ratio(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())

    result = adapter.deliver(rendition, "kunci-1")

    (blob,) = api.blobs.values()
    assert blob["data"] == FORUM_IMAGE.variants["web"].read_bytes()
    ((uri, made),) = api.records.items()
    assert uri.startswith(f"at://{DID}/app.bsky.feed.post/")
    record = made["record"]
    (image,) = record["embed"]["images"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    assert image["alt"] == FORUM_IMAGE.alt
    assert image["aspectRatio"] == {"width": 1200, "height": 800}
    assert image["image"] == blob["blob"]
    assert record["text"] == rendition.text and record["createdAt"].endswith("Z")
    assert (
        spans(record)[short_release().public_url]["uri"] == short_release().public_url
    )
    rkey = uri.rsplit("/", 1)[1]
    assert result.remote_id == uri
    assert result.remote_url == f"https://bsky.app/profile/{HANDLE}/post/{rkey}"


def test_without_image_the_link_card_is_sent(api):
    adapter = channel(api.url)
    release = dataclasses.replace(short_release(), images=())

    adapter.deliver(adapter.render(release, render_context()), "k")

    ((_, made),) = api.records.items()
    assert made["record"]["embed"]["$type"] == "app.bsky.embed.external"
    assert made["record"]["embed"]["external"]["uri"] == release.public_url


def test_mentions_of_known_handles_get_a_facet_unknown_ones_stay_text(api):
    adapter = channel(api.url)
    text = (
        "Bersama @bali.go.id dan @tidak-ada.example membahas "
        "https://id.wikipedia.org/wiki/Nusa_Penida_(pulau) #SP4N-LAPOR #Bali🌴"
    )
    release = dataclasses.replace(short_release(), images=())
    rendition = adapter.apply_override(
        adapter.render(release, render_context()), text, release, render_context()
    )

    adapter.deliver(rendition, "k")

    ((_, made),) = api.records.items()
    found = spans(made["record"])
    assert found["@bali.go.id"] == {
        "$type": "app.bsky.richtext.facet#mention",
        "did": KNOWN_HANDLES["bali.go.id"],
    }
    assert "@tidak-ada.example" not in found
    assert found["https://id.wikipedia.org/wiki/Nusa_Penida_(pulau)"]["uri"].endswith(
        "(pulau)"
    )
    assert found["#SP4N-LAPOR"]["tag"] == "SP4N-LAPOR"
    assert found["#Bali🌴"]["tag"] == "Bali🌴"


def test_a_thread_replies_with_root_and_parent(api):
    adapter = channel(api.url, thread=True)
    rendition = adapter.render(long_release(), render_context())
    posts = adapter.parts(rendition.text)

    adapter.deliver(rendition, "kunci-utas")

    made = list(api.records.items())
    assert len(posts) > 1 and [m["record"]["text"] for _, m in made] == posts
    root = {"uri": made[0][0], "cid": made[0][1]["cid"]}
    assert "reply" not in made[0][1]["record"]
    for (before_uri, before), (_, record) in zip(made, made[1:], strict=False):
        parent = {"uri": before_uri, "cid": before["cid"]}
        assert record["record"]["reply"] == {"root": root, "parent": parent}


def test_a_server_error_then_success_makes_exactly_one_post(api):
    adapter = channel(api.url)
    rendition = adapter.render(short_release(), render_context())
    api.fail("POST", RECORDS, fail(500, "InternalServerError", "Internal Server Error"))

    with pytest.raises(RetryableError):
        adapter.deliver(rendition, "k")
    adapter.deliver(rendition, "k")

    assert len(api.records) == 1


def test_too_many_requests_is_retried_after_the_time_named(api):
    adapter = channel(api.url)
    api.fail(
        "POST",
        RECORDS,
        Reply(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"Retry-After": "45"},
        ),
    )

    with pytest.raises(RetryableError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert (caught.value.retry_after, caught.value.status) == (45, 429)


def test_a_wrong_app_password_is_permanent_with_blueskys_words(api):
    adapter = channel(api.url, app_password="salah-salah-salah-salah")

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.status == 401
    assert caught.value.notice.params["remote"] == "Invalid identifier or password"
    assert api.records == {}


def test_a_forbidden_record_is_permanent(api):
    adapter = channel(api.url)
    api.fail("POST", RECORDS, fail(403, "Forbidden", "Account is takendown"))

    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.params["remote"] == "Account is takendown"


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
    api.fail("POST", RECORDS, Reply(200, {}, delay=3))

    with pytest.raises(UnknownOutcomeError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")

    assert caught.value.notice.code == "delivery.timeout_after_send"


def test_check_signs_in(api):
    assert channel(api.url).check().notice.params["account"] == f"@{HANDLE}"
    failed = channel(api.url, app_password="salah").check()
    assert not failed.ok and failed.notice.params["status"] == 401
