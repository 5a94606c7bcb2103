"""What all social adapters share: counting, hashtags, the story, cutting, threads."""

from __future__ import annotations

import dataclasses

import pytest
import regex
from pydantic import ValidationError

from channel_adapters.base import CheckResult, PermanentError
from channel_adapters.notice import Notice
from channel_adapters.registry import ADAPTERS
from channel_adapters.social.base import THREAD_BREAK
from channel_adapters.social.hashtags import hashtag, hashtags
from channel_adapters.social.markup import PLAIN
from channel_adapters.social.story import ELLIPSIS, Story, cut
from channel_adapters.social.x import XAdapter
from channel_adapters.text.counters import (
    graphemes,
)
from tests.channel_adapters.fixtures import (
    SOCIAL_NETWORKS,
    render_context,
    short_release,
    social_channel,
)

NETWORKS = SOCIAL_NETWORKS
SOCIAL = sorted(NETWORKS)
FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, seven code points, 25 bytes
FLAG = "🇮🇩"
BALINESE = "ᬩᬮᬶ ᬤ᭄ᬯᬶᬧ"
LONG_URL = "https://rilis.baliprov.go.id/p/" + "a1b2c3d4" * 25


# --- counting as each network counts ----------------------------------------------


def test_mastodon_counts_links_as_23_and_graphemes_otherwise():
    mastodon = social_channel("mastodon")

    assert mastodon.count(LONG_URL) == 23
    assert mastodon.count(f"{FAMILY} {LONG_URL}") == 1 + 1 + 23
    assert mastodon.count("lapor.go.id") == 11  # no protocol: counted as written


def test_telegram_counts_what_readers_see():
    telegram = social_channel("telegram")

    assert telegram.count('<b>A &amp; B</b> <a href="https://x.example/a">x</a>') == 7


# --- hashtags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("keterbukaan informasi", "#KeterbukaanInformasi"),
        ("BaliEraBaru", "#BaliEraBaru"),  # one word keeps its own capitals
        ("iPhone", "#iPhone"),
        ("SP4N-LAPOR!", "#SP4NLAPOR"),
        ("#PPID", "#PPID"),
        ("hari_jadi kota", "#HariJadiKota"),
        ("  ekonomi   kreatif ", "#EkonomiKreatif"),
        ("ᬩᬮᬶ", "#ᬩᬮᬶ"),
        ("2022", None),  # no letter: not a hashtag anywhere
        ("🎉", None),
        ("", None),
        ("a" * 51, None),
    ],
)
def test_a_hashtag_is_camel_case_without_spaces_or_punctuation(raw, tag):
    assert hashtag(raw) == tag


def test_hashtags_are_deduplicated_in_any_case_and_keep_their_order():
    tags, unusable = hashtags(("Bali", "PPID", "bali", "BALI", "Kota Denpasar", "2022"))

    assert tags == ("#Bali", "#PPID", "#KotaDenpasar")
    assert unusable == ("2022",)


def test_organization_hashtags_come_first_and_unusable_tags_are_reported():
    release = dataclasses.replace(short_release(), tags=("PPID", "🎉", "balieRabaru"))

    rendition = social_channel("linkedin").render(release, render_context())

    assert rendition.text.endswith("#BaliEraBaru #DiskominfosBali #PPID")
    assert Notice("social.hashtag_unusable", {"tag": "🎉", "most": 50}) in (
        rendition.warnings
    )


# --- the story ------------------------------------------------------------------------


def test_story_keeps_paragraphs_when_cut_between_sentences():
    story = Story(("Satu. Dua.", "Tiga. Empat."))

    assert story.size == 4
    assert story.first(3) == "Satu. Dua.\n\nTiga."
    assert story.first(0) == ""


# --- cutting --------------------------------------------------------------------------


def test_cut_ends_at_a_word_with_an_ellipsis():
    assert cut("satu dua, tiga empat", lambda s: len(s) <= 10) == f"satu dua{ELLIPSIS}"
    assert cut("satu dua", lambda s: len(s) <= 3) == f"sa{ELLIPSIS}"  # one long word
    assert cut("satu", lambda s: len(s) <= 1) is None


def test_cut_without_spaces_never_splits_a_grapheme():
    text = FAMILY * 5 + "ᬩᬮᬶᬤ᭄ᬯᬶᬧ"

    shortened = cut(text, lambda s: graphemes(s) <= 4)

    assert shortened == FAMILY * 3 + ELLIPSIS


def test_cut_without_spaces_never_splits_a_url_or_hashtag():
    assert cut(LONG_URL, lambda s: len(s) <= 50) is None
    shortened = cut("日本語" + LONG_URL, lambda s: len(s) <= 50)
    assert shortened == "日本語" + ELLIPSIS


# --- shortening a post ----------------------------------------------------------------


def x_release(lead: str, *, title: str = "Judul", tags=()) -> object:
    """The short fixture with this title, lead and tags, and a linkable address."""
    return dataclasses.replace(
        short_release(),
        title=title,
        lead=lead,
        tags=tags,
        public_url="https://rilis.baliprov.go.id/p/0b8f6a8e",
    )


def no_org_tags():
    """The fixture context, with an organization that adds no hashtags."""
    context = render_context()
    org = dataclasses.replace(context.organization, hashtags=())
    return dataclasses.replace(context, organization=org)


def test_a_long_lead_is_cut_between_sentences_first():
    lead = " ".join(
        f"Kalimat nomor {n} berisi sedikit informasi penting." for n in range(9)
    )

    rendition = social_channel("x").render(
        x_release(lead, tags=("PPID",)), no_org_tags()
    )

    assert rendition.length <= 280
    assert "#PPID" in rendition.text and ELLIPSIS not in rendition.text
    story = rendition.text.split("\n\n")[1]
    assert story.endswith("penting.") and story in lead
    assert any(w.code == "social.shortened" for w in rendition.warnings)


def test_hashtags_are_dropped_from_the_end_before_words_are_cut():
    lead = "Kata " * 47 + "akhir."  # 240 characters: fits only without some tags
    release = x_release(lead.strip(), tags=("Satu", "Dua", "Tiga", "Empat"))

    rendition = social_channel("x").render(release, no_org_tags())

    assert lead.strip() in rendition.text
    assert rendition.text.endswith("#Satu")
    assert Notice("social.hashtags_left_out", {"tags": "#Dua #Tiga #Empat"}) in (
        rendition.warnings
    )


def test_a_single_long_sentence_is_cut_at_a_word_and_the_link_is_kept():
    lead = "kata " * 300 + "akhir."
    release = x_release(lead, tags=("PPID",))

    rendition = social_channel("x").render(release, no_org_tags())

    title, story, link = rendition.text.split("\n\n")
    assert story.endswith(f"kata{ELLIPSIS}") and link == release.public_url
    assert rendition.length <= 280
    assert Notice("social.lead_cut") in rendition.warnings


def test_a_headline_longer_than_the_post_is_cut_and_the_link_still_fits():
    release = x_release("Isi.", title="Judul " * 80)

    rendition = social_channel("x").render(release, no_org_tags())

    title, link = rendition.text.split("\n\n")
    assert title.endswith(ELLIPSIS) and link == release.public_url
    assert rendition.length <= 280


# --- threads --------------------------------------------------------------------------


def test_a_thread_is_numbered_with_the_link_first_and_hashtags_last():
    lead = " ".join(f"Kalimat ke-{n} memuat satu informasi penting." for n in range(20))
    release = x_release(lead, tags=("Bali", "PPID"))
    x = social_channel("x", thread=True)

    rendition = x.render(release, no_org_tags())
    posts = rendition.text.split(THREAD_BREAK)

    assert 2 <= len(posts) <= x.max_thread_posts
    for number, post in enumerate(posts, 1):
        assert post.endswith(f"\n\n{number}/{len(posts)}")
        assert x.count(post) <= 280
    assert release.public_url in posts[0]
    assert not any(release.public_url in p for p in posts[1:])
    assert "#Bali #PPID" in posts[-1] and "#" not in "".join(posts[:-1])
    assert rendition.length == max(x.count(p) for p in posts)
    assert x.parts(rendition.text) == posts


def test_a_thread_stops_after_its_most_posts_at_a_sentence():
    lead = " ".join(
        f"Kalimat ke-{n} memuat satu informasi penting." for n in range(200)
    )

    rendition = social_channel("bluesky", thread=True).render(
        x_release(lead), no_org_tags()
    )

    posts = rendition.text.split(THREAD_BREAK)
    assert len(posts) == 5 and posts[-1].endswith("penting.\n\n5/5")
    assert Notice("social.thread_truncated", {"most": 5}) in rendition.warnings


def test_a_short_release_is_one_post_even_with_threads_on():
    rendition = social_channel("mastodon", thread=True).render(
        x_release("Singkat."), no_org_tags()
    )

    assert THREAD_BREAK not in rendition.text and "1/" not in rendition.text


# --- overrides, delivery, settings ----------------------------------------------------


def test_fit_override_counts_like_the_network_and_checks_each_post():
    x = social_channel("x", thread=True)

    too_long = {"network": "X", "limit": 280, "unit": "weighted_characters"}
    assert x.fit_override("  ") == [Notice("override.empty")]
    assert x.fit_override("日" * 140) == []
    assert x.fit_override("日" * 141) == [
        Notice("social.too_long", {**too_long, "length": 282})
    ]
    assert x.fit_override("Satu.\n---\n" + "a" * 281) == [
        Notice(
            "social.thread_post_too_long",
            {**too_long, "length": 281, "post": 2, "posts": 2},
        )
    ]
    assert (
        social_channel("x").fit_override("Satu.\n---\nDua.") == []
    )  # no threads: one post


def test_an_override_is_measured_and_warned_like_a_generated_post():
    x = social_channel("x")
    release = short_release()
    generated = x.render(release, render_context())

    edited = x.apply_override(generated, "Teks baru 🎉", release, render_context())

    assert (edited.text, edited.length, edited.limit) == ("Teks baru 🎉", 12, 280)
    assert Notice("social.override_no_link") in edited.warnings


RENDER_ONLY = [name for name in SOCIAL if not NETWORKS[name].can_deliver]


@pytest.mark.parametrize("name", RENDER_ONLY)
def test_social_adapters_render_only_and_say_so(name):
    adapter = social_channel(name)

    assert (adapter.can_deliver, adapter.overridable) == (False, True)
    with pytest.raises(PermanentError) as refused:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")
    said = Notice("social.cannot_send", {"network": adapter.label})
    assert refused.value.notice == said
    assert adapter.check() == CheckResult(ok=False, notice=said)


@pytest.mark.parametrize("name", SOCIAL)
def test_a_bad_setting_does_not_echo_a_token(name):
    secret = "rahasia-token-yang-panjang"
    fields = NETWORKS[name].Settings.model_fields
    token = next(f for f in fields if "token" in f or "password" in f)

    with pytest.raises(ValidationError) as error:
        NETWORKS[name].validate_settings({token: secret, "paragraphs": "banyak"})
    assert secret not in str(error.value)
    settings = NETWORKS[name].validate_settings({token: secret})
    assert secret not in repr(settings)


def test_every_social_post_has_the_public_link_and_no_broken_hashtag():
    release = short_release()
    for name in SOCIAL:
        text = social_channel(name).render(release, render_context()).text
        assert release.public_url in text, name
        assert all(
            t in {"#BaliEraBaru", "#DiskominfosBali", "#KeterbukaanInformasi", "#PPID"}
            for t in regex.findall(r"(?<!\S)#\w+", text)
        ), name


def test_x_subclass_facts_are_plain_class_attributes():
    assert (XAdapter.limit, XAdapter.supports_threads, XAdapter.markup) == (
        280,
        True,
        PLAIN,
    )


def test_all_nine_networks_are_registered():

    assert {n: ADAPTERS[n] for n in SOCIAL} == NETWORKS


def test_a_line_of_dashes_in_the_release_is_not_a_break_between_posts():
    x = social_channel("x", thread=True)

    rendition = x.render(x_release("---", title="Pemprov"), no_org_tags())

    assert x.parts(rendition.text) == [rendition.text]
    assert rendition.text.startswith("Pemprov\n\n—\n\n")
