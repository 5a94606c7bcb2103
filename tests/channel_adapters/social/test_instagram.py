"""Instagram: a picture's caption, at most 30 hashtags."""

from __future__ import annotations

import dataclasses
import re

from channel_adapters.notice import Notice
from tests.channel_adapters.fixtures import (
    render_context,
    short_release,
    social_channel,
)


def test_instagram_warns_clearly_without_a_picture():
    release = dataclasses.replace(short_release(), images=())

    rendition = social_channel("instagram").render(release, render_context())

    assert Notice("instagram.needs_picture") in rendition.warnings
    with_picture = social_channel("instagram").render(short_release(), render_context())
    assert Notice("instagram.needs_picture") not in with_picture.warnings


def test_instagram_keeps_at_most_30_hashtags_and_writes_the_address_out():
    release = dataclasses.replace(
        short_release(), tags=tuple(f"topik {chr(65 + n // 26)}{n}" for n in range(40))
    )

    rendition = social_channel("instagram").render(release, render_context())

    assert len(re.findall(r"(?<!\S)#\w+", rendition.text)) == 30
    assert any(
        w.code == "social.too_many_hashtags" and w.params["most"] == 30
        for w in rendition.warnings
    )
    assert f"Selengkapnya: {release.public_url}" in rendition.text
    assert social_channel("instagram").fit_override("#a " * 31) == [
        Notice("instagram.too_many_hashtags", {"count": 31, "most": 30})
    ]
