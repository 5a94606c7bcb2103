"""Rules every network keeps on the fixture releases (golden files), the long-form
networks (WhatsApp, Facebook, LinkedIn) and bad input; each network's own rules are
in test_<network>.py."""

from __future__ import annotations

import dataclasses

import pytest

from channel_adapters.social.telegram import TELEGRAM_HTML
from tests.channel_adapters.fixtures import (
    FIXTURES,
    SOCIAL_NETWORKS,
    english_release,
    long_release,
    render_context,
    review,
    short_release,
    social_channel,
)

NETWORKS = SOCIAL_NETWORKS
SOCIAL = sorted(NETWORKS)
THREADED = sorted(n for n in SOCIAL if NETWORKS[n].supports_threads)


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", SOCIAL)
def test_rendition_matches_the_golden_file(name, fixture, golden):
    rendition = social_channel(name).render(FIXTURES[fixture](), render_context())

    golden(f"{fixture}.{name}.txt", review(rendition))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", THREADED)
def test_thread_matches_the_golden_file(name, fixture, golden):
    rendition = social_channel(name, thread=True).render(
        FIXTURES[fixture](), render_context()
    )

    golden(f"{fixture}.{name}-thread.txt", review(rendition))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize("name", SOCIAL)
def test_fixture_posts_fit_and_carry_headline_and_link(name, fixture):
    release = FIXTURES[fixture]()
    adapter = social_channel(name)

    rendition = adapter.render(release, render_context(with_files=False))

    visible = TELEGRAM_HTML.visible(rendition.text)
    assert rendition.length == adapter.count(rendition.text) <= rendition.limit
    assert release.title in visible and release.public_url in visible
    assert adapter.fit_override(rendition.text) == []


# --- WhatsApp, Facebook, LinkedIn -----------------------------------------------------


def test_whatsapp_uses_its_own_bold_and_italic():
    release = dataclasses.replace(
        long_release(), title="Festival *Ekonomi* Kreatif", subtitle="Untuk _semua_"
    )

    text = social_channel("whatsapp").render(release, render_context()).text

    assert text.startswith("*Festival Ekonomi Kreatif*\n\n_Untuk semua_\n\n")


@pytest.mark.parametrize("name", ["facebook", "linkedin", "whatsapp", "telegram"])
def test_long_form_networks_take_body_paragraphs_as_set(name):
    release = english_release()

    none = social_channel(name, paragraphs=0).render(release, render_context()).text
    more = social_channel(name, paragraphs=5).render(release, render_context()).text

    assert "Around 40 volunteers" not in none and "Around 40 volunteers" in more
    assert "provincial portal (https://baliprov.example/bersih-pantai)" in more


def test_facebook_is_readable_not_the_whole_release():
    rendition = social_channel("facebook").render(long_release(), render_context())

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
    adapter = social_channel(name, **({"thread": True} if name in THREADED else {}))

    rendition = adapter.render(release, render_context())

    assert all(adapter.fits(p) for p in adapter.parts(rendition.text))
    assert release.public_url in TELEGRAM_HTML.visible(rendition.text)


@pytest.mark.parametrize("name", SOCIAL)
def test_javanese_and_balinese_text_without_spaces_is_cut_between_graphemes(name):
    script = "ꦱꦸꦒꦼꦁꦫꦮꦸꦃ" * 400 + "ᬒᬁᬲ᭄ᬯᬲ᭄ᬢ᭄ᬬᬲ᭄ᬢᬸ" * 400
    release = dataclasses.replace(short_release(), lead=script, title=script[:40])
    adapter = social_channel(name)

    rendition = adapter.render(release, render_context())

    assert adapter.fits(rendition.text)
    story = rendition.text.split("\n\n")[1]
    if story.endswith("…"):
        assert script.startswith(story[:-1])
