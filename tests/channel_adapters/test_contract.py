"""Every registered adapter keeps the contract in base.py, on ordinary and odd input."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from channel_adapters import templating
from channel_adapters.base import (
    Adapter,
    AdapterSettings,
    Contact,
    DeliveryError,
    Organization,
    PermanentError,
    Rendition,
    RetryableError,
    UnknownOutcomeError,
)
from channel_adapters.http.base import HttpAdapter
from channel_adapters.notice import Notice
from channel_adapters.registry import ADAPTERS, get_adapter
from tests.channel_adapters.fixtures import FORUM_IMAGE
from tests.fakes import wordpress as wordpress_site
from tests.support import Reply

ROOT = Path(__file__).resolve().parents[2]

# The least each adapter needs in config.yaml; every other adapter needs nothing.
MINIMAL_SETTINGS = {
    "email": {
        "host": "smtp.example",
        "from_address": "humas@example.go.id",
        "to": ["redaksi@koran.example"],
    },
    "webhook": {"url": "https://mitra.example/hook", "secret": "rahasia-16-karakter"},
    "wordpress": {"url": "https://web.example"},
}

EDGE_BODIES = {
    "empty": "",
    "control characters": "Satu\x0bdua\x00tiga\x1b[31m\u2028empat\ufeff\ufffe lima.",
    "huge": "Kalimat panjang tentang layanan publik di Bali. " * 1000,
    "right to left": "بيان صحفي من حكومة بالي. \u202eסיום\u202c نص عربي وعبري.",
    "only a heading": "# Pengumuman",
    "emoji": "Festival layang-layang 🪁🎉 di Pantai Padang Galak 🌊",
    "balinese script": "Om Swastyastu. ᬩᬮᬶ ᬤ᭄ᬯᬶᬧ",
    "html and script tags": (
        "<script>alert('x')</script>\n\n<iframe src='https://x.example'></iframe>\n\n"
        "<b>tebal</b> & <i>miring</i>"
    ),
}


def make(name: str, tmp_path: Path) -> Adapter:
    """An instance of adapter `name` with its minimal settings."""
    cls = ADAPTERS[name]
    settings = cls.validate_settings(MINIMAL_SETTINGS.get(name, {}))
    return cls(f"{name}-channel", settings, tmp_path)


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_facts_are_declared(name):
    cls = ADAPTERS[name]

    assert cls.name == name and get_adapter(name) is cls
    assert isinstance(cls.label, str) and cls.label.strip()
    assert issubclass(cls.Settings, AdapterSettings)
    for method in ("render", "deliver"):
        assert getattr(cls, method) is not getattr(Adapter, method), method


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_unknown_settings_keys_are_a_config_error(name):
    with pytest.raises(ValidationError):
        ADAPTERS[name].validate_settings(
            {**MINIMAL_SETTINGS.get(name, {}), "tidak_dikenal": 1}
        )


def test_no_module_of_the_package_imports_publisher():
    # Every module, helpers included, imported in a fresh interpreter: publisher
    # must never have been loaded, directly or through another module.
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import channel_adapters
        names = [m.name for m in pkgutil.walk_packages(
            channel_adapters.__path__, "channel_adapters.")]
        for name in names:
            importlib.import_module(name)
        leaked = sorted(m for m in sys.modules if m.split(".")[0] == "publisher")
        print(len(names), leaked)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    count, leaked = done.stdout.split(" ", 1)
    assert leaked.strip() == "[]"
    assert int(count) >= 40  # every module was found, not just the adapters


def test_templates_ship_inside_the_package():
    folders = templating.template_folders()
    assert all(ROOT / "channel_adapters" in folder.parents for folder in folders)
    shipped = {p.parent.name for f in folders for p in f.glob("*/*")}
    assert shipped == {"print", "radio", "tv", "rss", "email"}


OUTBOX = sorted(name for name, cls in ADAPTERS.items() if cls.uses_outbox)


def test_the_file_desks_are_the_outbox_adapters():
    assert OUTBOX == ["print", "radio", "tv"]


@pytest.mark.parametrize("name", OUTBOX)
def test_a_file_adapter_delivers_into_its_own_outbox(name, tmp_path, release, context):
    adapter = make(name, tmp_path)
    rendition = adapter.render(release, context)

    result = adapter.deliver(rendition, "kunci")
    again = adapter.deliver(rendition, "kunci")  # idempotent: overwritten

    folder = tmp_path / "outbox" / f"{name}-channel"
    assert adapter.outbox_dir == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f.name for f in rendition.files
    )
    assert result == again and result.remote_url.startswith("file://")
    assert adapter.check().ok


@pytest.mark.parametrize("name", sorted(set(ADAPTERS) - set(OUTBOX)))
def test_other_adapters_write_no_outbox(name, tmp_path):
    assert not make(name, tmp_path).uses_outbox
    assert not (tmp_path / "outbox").exists()


@pytest.mark.parametrize("edge", sorted(EDGE_BODIES))
@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_render_copes_with_odd_input_and_is_deterministic(
    name, edge, tmp_path, release, context
):
    release = dataclasses.replace(
        release,
        title=f"Uji {edge} <b>&</b> 🎉",
        lead="" if edge == "empty" else release.lead,
        body_markdown=EDGE_BODIES[edge],
    )
    adapter = make(name, tmp_path)

    first = adapter.render(release, context)
    second = adapter.render(release, context)

    assert isinstance(first, Rendition)
    assert (first.channel, first.adapter) == (f"{name}-channel", name)
    assert isinstance(first.text, str)
    assert all(isinstance(w, Notice) for w in first.warnings)
    assert first.content_hash == second.content_hash
    assert "<script" not in (first.html or "")
    assert len({f.name for f in first.files}) == len(first.files)


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_render_copes_with_empty_and_hostile_fields(name, tmp_path, release, context):
    release = dataclasses.replace(
        release,
        title="",
        lead="",
        subtitle="\x00\x0b",
        body_markdown="",
        dateline_city="",
        category="",
        number="",
        public_url="",
        tags=("", " ", "#", "🎉", "x" * 300, "تاج"),
        contact=Contact(),
        approved_at=None,
    )
    context = dataclasses.replace(
        context, organization=Organization(name="", short_name="", city="")
    )

    rendition = make(name, tmp_path).render(release, context)

    assert isinstance(rendition.text, str)
    assert all(isinstance(w, Notice) for w in rendition.warnings)


# --- every HTTP adapter against every failure class -----------------------------------

HTTP = sorted(
    name
    for name, cls in ADAPTERS.items()
    if issubclass(cls, HttpAdapter) and cls.can_deliver
)
SECRET = "rahasia-kontrak-yang-panjang-2026"
# Settings that send to `url` with SECRET as every secret the adapter holds (a
# password in the URL's user part included).
HTTP_SETTINGS = {
    "webhook": lambda url: {
        "url": url.replace("http://", f"http://mitra:{SECRET}@"),
        "secret": SECRET,
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
    "x": lambda url: {
        "api_base": url,
        "access_token": SECRET,
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
    "telegram": lambda url: {
        "api_base": url,
        "bot_token": SECRET,  # part of every request's path
        "chat_id": "@diskominfobali",
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
    "mastodon": lambda url: {
        "api_base": url,
        "access_token": SECRET,
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
    "bluesky": lambda url: {
        "api_base": url,
        "handle": "diskominfos.baliprov.example",
        "app_password": SECRET,
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
    "wordpress": lambda url: {
        "url": url.replace("http://", f"http://situs:{SECRET}@"),
        "username": "humas",
        "application_password": SECRET,
        "timeout": (0.5, 0.5),
        "allow_networks": ["127.0.0.0/8"],
    },
}


def _social(**account: object):
    """Settings of a social channel whose API is at `url`, holding SECRET."""

    def settings(url: str) -> dict:
        return {
            **account,
            "api_base": url,
            "timeout": (0.5, 0.5),
            "allow_networks": ["127.0.0.0/8"],
        }

    return settings


HTTP_SETTINGS |= {
    "facebook": _social(page_id="1040", page_access_token=SECRET),
    "instagram": _social(user_id="1784", access_token=SECRET, poll_interval=0.01),
    "threads": _social(user_id="2600", access_token=SECRET, poll_interval=0.01),
    "whatsapp": _social(
        phone_number_id="1090", access_token=SECRET, recipients=["6281234567890"]
    ),
    "linkedin": _social(author="urn:li:organization:2414183", access_token=SECRET),
}
# A network that posts in steps: the answers to the steps that only prepare the
# post (an upload, a media container), given before the request that publishes,
# which then meets the failure under test. (The release has a lead image.)
BEFORE_PUBLISHING = {
    "instagram": lambda url: [
        Reply(200, {"id": "c-1"}),
        Reply(200, {"id": "c-1", "status_code": "FINISHED"}),
    ],
    "threads": lambda url: [
        Reply(200, {"id": "c-1"}),
        Reply(200, {"id": "c-1", "status": "FINISHED"}),
    ],
    "whatsapp": lambda url: [Reply(200, {"id": "media-1"})],
    "linkedin": lambda url: [
        Reply(
            200, {"value": {"uploadUrl": f"{url}/upload", "image": "urn:li:image:1"}}
        ),
        Reply(201, b""),
    ],
}
# Reads after publishing (the permalink), answered by the default reply.
AFTER_PUBLISHING = {"facebook": 1, "instagram": 1, "threads": 1}
# How a network says "published as evt-1", where it is not {"id": "evt-1"}.
PUBLISHED = {
    "whatsapp": Reply(
        200, {"messaging_product": "whatsapp", "messages": [{"id": "evt-1"}]}
    ),
    "linkedin": Reply(201, b"", {"x-restli-id": "evt-1"}),
}


# A network answers a success in its own shape, and names the sent release its
# own way (default: {"id": "evt-1"}).
AT_URI = "at://did:plc:kontrak/app.bsky.feed.post/evt-1"
SUCCESS = {
    "x": ({"data": {"id": "evt-1", "text": "…"}}, "evt-1"),
    "telegram": ({"ok": True, "result": {"message_id": 77, "chat": {}}}, "77"),
    "mastodon": ({"id": "evt-1", "url": "https://mastodon.example/@a/1"}, "evt-1"),
    "bluesky": (
        {"accessJwt": "jwt", "did": "did:plc:kontrak", "uri": AT_URI, "cid": "c"},
        AT_URI,
    ),
}
BEFORE_PUBLISHING["bluesky"] = lambda url: [Reply(200, SUCCESS["bluesky"][0])]
# Networks posted with a lead image here (Instagram cannot post without one; the
# others' preparing steps above upload it).
PICTURED = {"facebook", "instagram", "threads", "whatsapp", "linkedin"}


def subject(name: str, release):
    """The release as `name` is tested with: with a lead image where it needs one."""
    if name in PICTURED:
        return dataclasses.replace(release, images=(FORUM_IMAGE,))
    return release


def prepare(name: str, receiver, release) -> int:
    """Queue the answers to `name`'s preparing steps for `release`; their count."""
    if name == "wordpress":  # sign-in and look-ups depend on the release's terms
        replies = wordpress_site.answers_before_post(release)
    else:
        replies = BEFORE_PUBLISHING.get(name, lambda url: [])(receiver.url)
    receiver.replies.extend(replies)
    return len(replies)


STATUSES = [
    (400, {}, PermanentError, "delivery.remote_refused", None),
    (401, {}, PermanentError, "delivery.remote_refused", None),
    (403, {}, PermanentError, "delivery.remote_refused", None),
    (422, {}, PermanentError, "delivery.remote_refused", None),
    (429, {"Retry-After": "120"}, RetryableError, "delivery.remote_unavailable", 120),
    (500, {}, RetryableError, "delivery.remote_unavailable", None),
    (503, {"Retry-After": "7"}, RetryableError, "delivery.remote_unavailable", 7),
]


def http_adapter(name: str, url: str, tmp_path: Path) -> HttpAdapter:
    """An HTTP adapter of type `name` sending to `url`, holding SECRET."""
    cls = ADAPTERS[name]
    return cls(
        f"{name}-channel", cls.validate_settings(HTTP_SETTINGS[name](url)), tmp_path
    )


def assert_no_secret(error: DeliveryError, caplog: pytest.LogCaptureFixture) -> None:
    """SECRET is in no error text, notice parameter, stored form or log line."""
    shown = [
        str(error),
        repr(error),
        error.detail,
        json.dumps(error.notice.as_dict(), ensure_ascii=False),
        caplog.text,
        *(str(value) for value in error.notice.params.values()),
    ]
    assert not [text for text in shown if SECRET in text]


def test_every_http_adapter_is_in_the_contract():
    assert HTTP and sorted(HTTP_SETTINGS) == HTTP


@pytest.mark.parametrize(
    ("status", "headers", "error", "code", "retry_after"), STATUSES
)
@pytest.mark.parametrize("name", HTTP)
def test_an_http_refusal_maps_to_its_error_with_the_remotes_words(
    name,
    status,
    headers,
    error,
    code,
    retry_after,
    receiver,
    release,
    context,
    caplog,
    tmp_path,
):
    # A careless partner echoes the secret back in its error message.
    receiver.answer(
        status, json_body={"message": f"Ditolak: kunci {SECRET} salah"}, headers=headers
    )
    prepare(name, receiver, subject(name, release))
    adapter = http_adapter(name, receiver.url, tmp_path)
    rendition = adapter.render(subject(name, release), context)

    with caplog.at_level(logging.DEBUG), pytest.raises(error) as caught:
        adapter.deliver(rendition, "kunci-kontrak")

    notice = caught.value.notice
    assert (notice.code, notice.params["status"], caught.value.status) == (
        code,
        status,
        status,
    )
    assert notice.params["remote"].startswith("Ditolak: kunci ")  # verbatim, masked
    if error is RetryableError:
        assert caught.value.retry_after == retry_after
    assert_no_secret(caught.value, caplog)


@pytest.mark.parametrize("name", HTTP)
def test_an_http_success_gives_the_remote_id(
    name, receiver, release, context, tmp_path
):
    adapter = http_adapter(name, receiver.url, tmp_path)
    body, remote_id = SUCCESS.get(name, ({"id": "evt-1"}, "evt-1"))
    receiver.answer(201, json_body=body)
    receiver.default = PUBLISHED.get(name, receiver.default)
    steps = prepare(name, receiver, subject(name, release)) + 1
    steps += AFTER_PUBLISHING.get(name, 0)

    result = adapter.deliver(
        adapter.render(subject(name, release), context), "kunci-kontrak"
    )

    assert result.remote_id == remote_id and len(receiver.requests) == steps


@pytest.mark.parametrize("name", HTTP)
def test_nothing_sent_means_retry(
    name, refused_url, unanswered_url, release, context, caplog, tmp_path
):
    for url, code in (
        (refused_url, "delivery.connection_failed"),
        (unanswered_url, "delivery.connect_timeout"),
    ):
        adapter = http_adapter(name, url, tmp_path)
        with caplog.at_level(logging.DEBUG), pytest.raises(RetryableError) as caught:
            rendition = adapter.render(subject(name, release), context)
            adapter.deliver(rendition, "kunci-kontrak")
        assert caught.value.notice.code == code
        assert_no_secret(caught.value, caplog)


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"delay": 3}, "delivery.timeout_after_send"),
        ({"hang_up": True}, "delivery.broken_after_send"),
    ],
)
@pytest.mark.parametrize("name", HTTP)
def test_a_request_that_may_have_arrived_is_unknown(
    name, answer, code, receiver, release, context, caplog, tmp_path
):
    receiver.answer(201, json_body={"id": "late"}, **answer)
    steps = prepare(name, receiver, subject(name, release)) + 1
    adapter = http_adapter(name, receiver.url, tmp_path)

    with caplog.at_level(logging.DEBUG), pytest.raises(UnknownOutcomeError) as caught:
        rendition = adapter.render(subject(name, release), context)
        adapter.deliver(rendition, "kunci-kontrak")

    # A network may say more in its own words (wordpress.timeout_after_send).
    assert caught.value.notice.code in (code, f"{name}.{code.split('.')[-1]}")
    assert len(receiver.requests) == steps  # the publishing request did arrive
    assert_no_secret(caught.value, caplog)
