"""Each social network's own rules, and golden files for the three fixture releases."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from twitter_text import parse_tweet

from channel_adapters.base import Rendition
from channel_adapters.notice import Notice
from channel_adapters.registry import ADAPTERS
from channel_adapters.social.base import THREAD_BREAK, SocialAdapter
from channel_adapters.social.bluesky import facets
from channel_adapters.social.telegram import TELEGRAM_HTML
from tests.channel_adapters.fixtures import (
    FIXTURES,
    english_release,
    long_release,
    render_context,
    short_release,
)

NETWORKS: dict[str, type[SocialAdapter]] = {
    name: cls for name, cls in ADAPTERS.items() if issubclass(cls, SocialAdapter)
}
SOCIAL = sorted(NETWORKS)
THREADED = sorted(n for n in SOCIAL if NETWORKS[n].supports_threads)
GO_ID = "https://rilis.baliprov.go.id/p/0b8f6a8e-5d43-4a4e-9d1c-6f2b1e7c0101"


def make(name: str, **settings: object) -> SocialAdapter:
    """A channel of adapter `name` with these settings."""
    cls = NETWORKS[name]
    return cls(f"{name}-kanal", cls.validate_settings(settings), Path("/nonexistent"))


def review(rendition: Rendition) -> str:
    """A rendition as a reviewer reads it: text, count, warnings, payload files."""
    lines = [
        rendition.text,
        "",
        f"=== {rendition.adapter}: {rendition.length}/{rendition.limit} ===",
        *(f"! {warning}" for warning in rendition.warnings),
    ]
    for file in rendition.files:
        lines += [f"=== {file.name} ===", file.data.decode()]
    return "\n".join(lines) + "\n"


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", SOCIAL)
def test_rendition_matches_the_golden_file(name, fixture, golden):
    rendition = make(name).render(FIXTURES[fixture](), render_context())

    golden(f"{fixture}.{name}.txt", review(rendition))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", THREADED)
def test_thread_matches_the_golden_file(name, fixture, golden):
    rendition = make(name, thread=True).render(FIXTURES[fixture](), render_context())

    golden(f"{fixture}.{name}-thread.txt", review(rendition))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", SOCIAL)
def test_fixture_posts_fit_and_carry_headline_and_link(name, fixture):
    release = FIXTURES[fixture]()
    adapter = make(name)

    rendition = adapter.render(release, render_context(with_files=False))

    visible = TELEGRAM_HTML.visible(rendition.text)
    assert rendition.length == adapter.count(rendition.text) <= rendition.limit
    assert release.title in visible and release.public_url in visible
    assert adapter.fit_override(rendition.text) == []


# --- X --------------------------------------------------------------------------------


def test_x_length_is_twitter_texts_weighted_length():
    release = dataclasses.replace(short_release(), public_url=GO_ID)

    rendition = make("x").render(release, render_context())

    assert rendition.length == parse_tweet(rendition.text).weightedLength <= 280
    # A linkable address counts 23, leaving room for the whole lead.
    assert release.lead in rendition.text
    assert not any(w.code == "social.not_a_link" for w in rendition.warnings)


def test_x_warns_when_the_address_is_not_a_link_there():
    rendition = make("x").render(short_release(), render_context())

    assert (
        Notice(
            "social.not_a_link", {"network": "X", "link": short_release().public_url}
        )
        in rendition.warnings
    )


# --- Mastodon -------------------------------------------------------------------------


def test_mastodon_limit_follows_the_instance():
    release = dataclasses.replace(long_release(), public_url=GO_ID)

    small = make("mastodon").render(release, render_context())
    large = make("mastodon", max_characters=5000, paragraphs=2).render(
        release, render_context()
    )

    assert (small.limit, large.limit) == (500, 5000)
    assert small.length <= 500 < large.length <= 5000
    assert make("mastodon", max_characters=5000).fit_override("a" * 4000) == []


def test_mastodon_counts_the_link_as_23():
    release = dataclasses.replace(short_release(), public_url=GO_ID + "/" + "x" * 300)
    mastodon = make("mastodon")

    rendition = mastodon.render(release, render_context())

    assert release.public_url in rendition.text
    without_link = rendition.text.replace(release.public_url, "")
    assert rendition.length == mastodon.count(without_link) + 23


# --- Bluesky --------------------------------------------------------------------------


def test_bluesky_facets_point_at_the_link_and_hashtags_by_byte_offsets():
    release = dataclasses.replace(
        short_release(),
        title="Festival 🪁 Layang-layang ᬩᬮᬶ",  # multi-byte before the facets
        lead="Warga diajak datang ke Pantai Padang Galak.",
        tags=("layang layang", "Sanur"),
    )

    rendition = make("bluesky").render(release, render_context())
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

    rendition = make("bluesky", thread=True).render(release, render_context())
    records = json.loads(rendition.file("post.json").data)["posts"]

    assert [r["text"] for r in records] == rendition.text.split(THREAD_BREAK)
    assert len(records) > 1 and "embed" not in records[1]
    last = records[-1]
    assert any(f["features"][0]["$type"].endswith("#tag") for f in last["facets"])


def test_bluesky_refuses_more_than_3000_bytes_even_under_300_graphemes():
    family = "👨\u200d👩\u200d👧\u200d👦"

    assert make("bluesky").fit_override(family * 150) == [
        Notice(
            "social.too_long",
            {"network": "Bluesky", "length": 3750, "limit": 3000, "unit": "bytes"},
        )
    ]


def test_bluesky_override_gets_fresh_facets():
    bluesky = make("bluesky")
    release = short_release()
    generated = bluesky.render(release, render_context())

    edited = bluesky.apply_override(
        generated, f"Baru 🎉 {release.public_url} #Info", release, render_context()
    )

    post = json.loads(edited.file("post.json").data)["posts"][0]
    assert post["text"].startswith("Baru 🎉")
    assert [f["features"][0].get("tag") for f in post["facets"]] == [None, "Info"]


# --- Telegram -------------------------------------------------------------------------


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

    text = make("telegram").render(release, render_context()).text

    assert text.startswith("<b>Seni &amp; Budaya &lt;Bali&gt;</b>")
    assert "Tiket &lt;b&gt;gratis&lt;/b&gt; &amp; murah." in text
    assert '<a href="https://rilis.example/p/1?a=1&amp;b=2">' in text
    assert {t.lower() for t in re.findall(r"</?([a-zA-Z]+)", text)} <= {"b", "i", "a"}
    assert make("telegram").refusals(text) == []


def test_telegram_short_text_is_the_photo_caption():
    rendition = make("telegram").render(short_release(), render_context())

    assert payload(rendition) == {
        "image_id": 1,
        "mode": "photo_caption",
        "parse_mode": "HTML",
        "photo": "https://rilis.baliprov.example/media/1/web.jpg",
    }
    assert rendition.length <= rendition.limit == 1024


def test_telegram_long_text_goes_as_a_message_then_the_photo():
    rendition = make("telegram").render(long_release(), render_context())

    assert payload(rendition)["mode"] == "message_then_photo"
    assert 1024 < rendition.length <= rendition.limit == 4096
    assert (
        Notice("telegram.caption_too_long", {"length": rendition.length, "limit": 1024})
        in rendition.warnings
    )


def test_telegram_without_a_picture_is_a_message():
    release = dataclasses.replace(short_release(), images=())

    rendition = make("telegram").render(release, render_context())

    assert payload(rendition) | {"image_id": None} == {
        "image_id": None,
        "mode": "message",
        "parse_mode": "HTML",
        "photo": None,
    }
    assert rendition.limit == 4096


def test_telegram_preview_html_is_sanitized():
    release = dataclasses.replace(short_release(), lead="<script>alert(1)</script>")

    html = make("telegram").render(release, render_context()).html

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
    problems = make("telegram").fit_override(text)

    assert (problem is None and problems == []) or problem in problems


# --- Instagram ------------------------------------------------------------------------


def test_instagram_warns_clearly_without_a_picture():
    release = dataclasses.replace(short_release(), images=())

    rendition = make("instagram").render(release, render_context())

    assert Notice("instagram.needs_picture") in rendition.warnings
    with_picture = make("instagram").render(short_release(), render_context())
    assert Notice("instagram.needs_picture") not in with_picture.warnings


def test_instagram_keeps_at_most_30_hashtags_and_writes_the_address_out():
    release = dataclasses.replace(
        short_release(), tags=tuple(f"topik {chr(65 + n // 26)}{n}" for n in range(40))
    )

    rendition = make("instagram").render(release, render_context())

    assert len(re.findall(r"(?<!\S)#\w+", rendition.text)) == 30
    assert any(
        w.code == "social.too_many_hashtags" and w.params["most"] == 30
        for w in rendition.warnings
    )
    assert f"Selengkapnya: {release.public_url}" in rendition.text
    assert make("instagram").fit_override("#a " * 31) == [
        Notice("instagram.too_many_hashtags", {"count": 31, "most": 30})
    ]


# --- Threads --------------------------------------------------------------------------


def test_threads_takes_one_topic_the_releases_own_first_tag():
    rendition = make("threads").render(short_release(), render_context())

    assert re.findall(r"(?<!\S)#\w+", rendition.text) == ["#KeterbukaanInformasi"]
    assert any(w.code == "social.one_hashtag" for w in rendition.warnings)


def test_threads_counts_emoji_as_bytes_and_refuses_six_links():
    threads = make("threads")

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


# --- WhatsApp, Facebook, LinkedIn -----------------------------------------------------


def test_whatsapp_uses_its_own_bold_and_italic():
    release = dataclasses.replace(
        long_release(), title="Festival *Ekonomi* Kreatif", subtitle="Untuk _semua_"
    )

    text = make("whatsapp").render(release, render_context()).text

    assert text.startswith("*Festival Ekonomi Kreatif*\n\n_Untuk semua_\n\n")


@pytest.mark.parametrize("name", ["facebook", "linkedin", "whatsapp", "telegram"])
def test_long_form_networks_take_body_paragraphs_as_set(name):
    release = english_release()

    none = make(name, paragraphs=0).render(release, render_context()).text
    more = make(name, paragraphs=5).render(release, render_context()).text

    assert "Around 40 volunteers" not in none and "Around 40 volunteers" in more
    assert "provincial portal (https://baliprov.example/bersih-pantai)" in more


def test_facebook_is_readable_not_the_whole_release():
    rendition = make("facebook").render(long_release(), render_context())

    assert rendition.length < 2000 and rendition.warnings == ()
    assert "\n\n247 pelaku UMKM ikut serta" in rendition.text  # the subtitle


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SOCIAL)
def test_a_20000_word_release_renders_fitting(name):
    words = " ".join(f"kata{n % 97}" for n in range(1000))
    body = "\n\n".join(f"{words}. Kalimat penutup paragraf {n}." for n in range(20))
    release = dataclasses.replace(
        long_release(), lead=words * 2, body_markdown=body, title="Judul " * 200
    )
    adapter = make(name, **({"thread": True} if name in THREADED else {}))

    rendition = adapter.render(release, render_context())

    assert all(adapter.fits(p) for p in adapter.parts(rendition.text))
    assert release.public_url in TELEGRAM_HTML.visible(rendition.text)


@pytest.mark.parametrize("name", SOCIAL)
def test_javanese_and_balinese_text_without_spaces_is_cut_between_graphemes(name):
    script = "ꦱꦸꦒꦼꦁꦫꦮꦸꦃ" * 400 + "ᬒᬁᬲ᭄ᬯᬲ᭄ᬢ᭄ᬬᬲ᭄ᬢᬸ" * 400
    release = dataclasses.replace(short_release(), lead=script, title=script[:40])
    adapter = make(name)

    rendition = adapter.render(release, render_context())

    assert adapter.fits(rendition.text)
    story = rendition.text.split("\n\n")[1]
    if story.endswith("…"):
        assert script.startswith(story[:-1])
