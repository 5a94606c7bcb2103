"""Bluesky: graphemes and bytes, link and hashtag facets."""

from __future__ import annotations

import dataclasses
import json

from channel_adapters.notice import Notice
from channel_adapters.social.base import THREAD_BREAK
from channel_adapters.social.bluesky import facets
from tests.channel_adapters.fixtures import (
    long_release,
    render_context,
    short_release,
    social_channel,
)


def test_bluesky_facets_point_at_the_link_and_hashtags_by_byte_offsets():
    release = dataclasses.replace(
        short_release(),
        title="Festival 🪁 Layang-layang ᬩᬮᬶ",  # multi-byte before the facets
        lead="Warga diajak datang ke Pantai Padang Galak.",
        tags=("layang layang", "Sanur"),
    )

    rendition = social_channel("bluesky").render(release, render_context())
    post = json.loads(rendition.file("post.json").data)["posts"][0]

    data = post["text"].encode()
    found = {}
    for facet in post["facets"]:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        (feature,) = facet["features"]
        found[data[start:end].decode()] = feature
    assert found[release.public_url] == {
        "$type": "app.bsky.richtext.facet#link",
        "uri": release.public_url,
    }
    assert found["#LayangLayang"] == {
        "$type": "app.bsky.richtext.facet#tag",
        "tag": "LayangLayang",
    }
    assert post["text"] == rendition.text and post["langs"] == ["id"]
    assert post["embed"]["external"]["uri"] == release.public_url


def test_bluesky_facets_skip_urls_and_hashes_inside_words():
    text = "Lihat https://x.example/a#b, lalu #Bali. Bukan a#b atau #2022!"

    found = [
        (text.encode()[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode())
        for f in facets(text)
    ]

    assert found == ["https://x.example/a#b", "#Bali"]


def test_bluesky_thread_has_one_record_per_post_each_with_its_facets():
    release = dataclasses.replace(long_release(), lead=long_release().lead * 3)

    rendition = social_channel("bluesky", thread=True).render(release, render_context())
    records = json.loads(rendition.file("post.json").data)["posts"]

    assert [r["text"] for r in records] == rendition.text.split(THREAD_BREAK)
    assert len(records) > 1 and "embed" not in records[1]
    last = records[-1]
    assert any(f["features"][0]["$type"].endswith("#tag") for f in last["facets"])


def test_bluesky_refuses_more_than_3000_bytes_even_under_300_graphemes():
    family = "👨\u200d👩\u200d👧\u200d👦"

    assert social_channel("bluesky").fit_override(family * 150) == [
        Notice(
            "social.too_long",
            {"network": "Bluesky", "length": 3750, "limit": 3000, "unit": "bytes"},
        )
    ]


def test_bluesky_override_gets_fresh_facets():
    bluesky = social_channel("bluesky")
    release = short_release()
    generated = bluesky.render(release, render_context())

    edited = bluesky.apply_override(
        generated, f"Baru 🎉 {release.public_url} #Info", release, render_context()
    )

    post = json.loads(edited.file("post.json").data)["posts"][0]
    assert post["text"].startswith("Baru 🎉")
    assert [f["features"][0].get("tag") for f in post["facets"]] == [None, "Info"]
