"""X: 280 weighted characters, links that X sees as links."""

from __future__ import annotations

import dataclasses

from twitter_text import parse_tweet

from channel_adapters.notice import Notice
from tests.channel_adapters.fixtures import (
    GO_ID,
    render_context,
    short_release,
    social_channel,
)


def test_x_length_is_twitter_texts_weighted_length():
    release = dataclasses.replace(short_release(), public_url=GO_ID)

    rendition = social_channel("x").render(release, render_context())

    assert rendition.length == parse_tweet(rendition.text).weightedLength <= 280
    # A linkable address counts 23, leaving room for the whole lead.
    assert release.lead in rendition.text
    assert not any(w.code == "social.not_a_link" for w in rendition.warnings)


def test_x_warns_when_the_address_is_not_a_link_there():
    rendition = social_channel("x").render(short_release(), render_context())

    assert (
        Notice(
            "social.not_a_link", {"network": "X", "link": short_release().public_url}
        )
        in rendition.warnings
    )
