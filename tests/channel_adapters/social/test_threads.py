"""Threads: one topic hashtag, emoji counted as bytes, five links."""

from __future__ import annotations

import re

from channel_adapters.notice import Notice
from tests.channel_adapters.fixtures import (
    render_context,
    short_release,
    social_channel,
)


def test_threads_takes_one_topic_the_releases_own_first_tag():
    rendition = social_channel("threads").render(short_release(), render_context())

    assert re.findall(r"(?<!\S)#\w+", rendition.text) == ["#KeterbukaanInformasi"]
    assert any(w.code == "social.one_hashtag" for w in rendition.warnings)


def test_threads_counts_emoji_as_bytes_and_refuses_six_links():
    threads = social_channel("threads")

    assert threads.fit_override("👍" * 125) == []
    assert threads.fit_override("👍" * 126) == [
        Notice(
            "social.too_long",
            {"network": "Threads", "length": 504, "limit": 500, "unit": "characters"},
        )
    ]
    links = " ".join(f"https://a.example/{n}" for n in range(6))
    assert threads.fit_override(links) == [
        Notice("threads.too_many_links", {"count": 6, "most": 5})
    ]
