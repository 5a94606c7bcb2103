"""Mastodon: the instance's limit, links counted as 23."""

from __future__ import annotations

import dataclasses

from tests.channel_adapters.fixtures import (
    GO_ID,
    long_release,
    render_context,
    short_release,
    social_channel,
)


def test_mastodon_limit_follows_the_instance():
    release = dataclasses.replace(long_release(), public_url=GO_ID)

    small = social_channel("mastodon").render(release, render_context())
    large = social_channel("mastodon", max_characters=5000, paragraphs=2).render(
        release, render_context()
    )

    assert (small.limit, large.limit) == (500, 5000)
    assert small.length <= 500 < large.length <= 5000
    assert (
        social_channel("mastodon", max_characters=5000).fit_override("a" * 4000) == []
    )


def test_mastodon_counts_the_link_as_23():
    release = dataclasses.replace(short_release(), public_url=GO_ID + "/" + "x" * 300)
    mastodon = social_channel("mastodon")

    rendition = mastodon.render(release, render_context())

    assert release.public_url in rendition.text
    without_link = rendition.text.replace(release.public_url, "")
    assert rendition.length == mastodon.count(without_link) + 23
