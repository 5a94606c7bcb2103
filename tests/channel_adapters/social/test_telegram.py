"""Telegram: HTML parse mode, caption or message."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from channel_adapters.base import Rendition
from channel_adapters.notice import Notice
from tests.channel_adapters.fixtures import (
    long_release,
    render_context,
    short_release,
    social_channel,
)


def payload(rendition: Rendition) -> dict:
    """Telegram's payload.json as a dict."""
    return json.loads(rendition.file("payload.json").data)


def test_telegram_uses_only_supported_tags_and_escapes_the_rest():
    release = dataclasses.replace(
        short_release(),
        title="Seni & Budaya <Bali>",
        lead="Tiket <b>gratis</b> & murah.",
        public_url="https://rilis.example/p/1?a=1&b=2",
    )

    text = social_channel("telegram").render(release, render_context()).text

    assert text.startswith("<b>Seni &amp; Budaya &lt;Bali&gt;</b>")
    assert "Tiket &lt;b&gt;gratis&lt;/b&gt; &amp; murah." in text
    assert '<a href="https://rilis.example/p/1?a=1&amp;b=2">' in text
    assert {t.lower() for t in re.findall(r"</?([a-zA-Z]+)", text)} <= {"b", "i", "a"}
    assert social_channel("telegram").refusals(text) == []


def test_telegram_short_text_is_the_photo_caption():
    rendition = social_channel("telegram").render(short_release(), render_context())

    assert payload(rendition) == {
        "image_id": 1,
        "mode": "photo_caption",
        "parse_mode": "HTML",
        "photo": "https://rilis.baliprov.example/media/1/web.jpg",
    }
    assert rendition.length <= rendition.limit == 1024


def test_telegram_long_text_goes_as_a_message_then_the_photo():
    rendition = social_channel("telegram").render(long_release(), render_context())

    assert payload(rendition)["mode"] == "message_then_photo"
    assert 1024 < rendition.length <= rendition.limit == 4096
    assert (
        Notice("telegram.caption_too_long", {"length": rendition.length, "limit": 1024})
        in rendition.warnings
    )


def test_telegram_without_a_picture_is_a_message():
    release = dataclasses.replace(short_release(), images=())

    rendition = social_channel("telegram").render(release, render_context())

    assert payload(rendition) | {"image_id": None} == {
        "image_id": None,
        "mode": "message",
        "parse_mode": "HTML",
        "photo": None,
    }
    assert rendition.limit == 4096


def test_telegram_preview_html_is_sanitized():
    release = dataclasses.replace(short_release(), lead="<script>alert(1)</script>")

    html = social_channel("telegram").render(release, render_context()).html

    assert "<b>" in html and "<script" not in html and "<br>" in html


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<u>garis</u> <code>x</code>", None),
        ("<span>x</span>", Notice("telegram.tag_unsupported", {"tag": "span"})),
        ("<b>tebal", Notice("telegram.tag_unclosed", {"tag": "b"})),
        ("<b><i>x</b></i>", Notice("telegram.tag_misclosed", {"tag": "b"})),
        ("A & B", Notice("telegram.unescaped")),
        ("A &amp; B &#127881;", None),
    ],
)
def test_telegram_refuses_markup_its_html_mode_rejects(text, problem):
    problems = social_channel("telegram").fit_override(text)

    assert (problem is None and problems == []) or problem in problems
