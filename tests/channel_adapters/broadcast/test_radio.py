"""The radio adapter: a script for the ear, with an honest duration and timed cuts."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from channel_adapters.base import Rendition
from channel_adapters.broadcast.radio import RadioAdapter
from channel_adapters.notice import Notice
from channel_adapters.text.spoken import word_count
from tests.channel_adapters.fixtures import FIXTURES, render_context

RULE = "=" * 40


def adapter(data_dir: Path = Path("/nonexistent"), **settings: object) -> RadioAdapter:
    """A radio channel keeping its outbox under `data_dir`."""
    return RadioAdapter("rri", RadioAdapter.validate_settings(settings), data_dir)


def sentences(words: int, per_sentence: int = 10) -> str:
    """`words` words of filler, in sentences short enough for one breath."""
    out, left = [], words
    while left:
        size = min(per_sentence, left)
        out.append(" ".join(["Kata", *["kata"] * (size - 1)]) + ".")
        left -= size
    return " ".join(out)


def review(rendition: Rendition) -> str:
    """A rendition as a reviewer reads it: the script, its length and warnings."""
    lines = [
        rendition.text,
        f"=== {rendition.adapter}: {rendition.length} s / {rendition.limit} ===",
        *(f"! {warning}" for warning in rendition.warnings),
    ]
    return "\n".join(lines) + "\n"


def sections(text: str) -> dict[str, str]:
    """The script's read-aloud blocks by heading (`NASKAH LENGKAP (…)` → its text)."""
    blocks = {}
    for block in text.split(RULE)[1:]:
        heading, _, body = block.strip().partition("\n" + "-" * 40 + "\n")
        blocks[re.sub(r" \(.*\)$", "", heading)] = body.strip()
    return blocks


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_script_matches_the_golden_file(name, golden):
    rendition = adapter().render(FIXTURES[name](), render_context(with_files=False))

    golden(f"{name}.radio.txt", review(rendition))


def test_the_forum_script_matches_its_golden_file(release, context, golden):
    rendition = adapter().render(release, context)

    golden("siaran-pers-forum-kip.radio.txt", rendition.text)


# --- what the announcer reads ---------------------------------------------------------


def test_numbers_money_dates_and_times_are_written_as_said(release, context):
    release = dataclasses.replace(
        release,
        lead="Pendaftaran dibuka 29/11/2022 pukul 10.00 WITA.",
        body_markdown=(
            "Hadiah Rp 5.000.000 bagi 1.250 peserta, naik 12,5%. Penyelenggaraan ke-3 "
            "ini dapat ditanyakan ke (0361) 223344 atau ppid@denpasarkota.go.id."
        ),
    )

    full = sections(adapter().render(release, context).text)["NASKAH LENGKAP"]

    for said in (
        "Pendaftaran dibuka dua puluh sembilan November dua ribu dua puluh dua pukul "
        "sepuluh Waktu Indonesia Tengah.",
        "Hadiah lima juta rupiah bagi seribu dua ratus lima puluh peserta, naik dua "
        "belas koma lima persen.",
        "Penyelenggaraan ketiga ini dapat ditanyakan ke kosong tiga enam satu, dua dua "
        "tiga tiga empat empat atau ppid et denpasarkota titik go titik id.",
    ):
        assert said in full


def test_an_ampersand_is_said_not_escaped(release, context):
    release = dataclasses.replace(
        release,
        title="Festival Seni & Budaya Denpasar",
        lead="Dinas Kebudayaan & Pariwisata mengundang warga.",
        body_markdown="Tiket gratis untuk pelajar &amp; mahasiswa.",
    )

    text = adapter().render(release, context).text

    assert "Festival Seni & Budaya" in text
    assert "pelajar & mahasiswa." in text
    assert "&amp;" not in text and "&lt;" not in text


def test_no_markup_is_left_and_lists_are_said_as_one_sentence(release, context):
    release = dataclasses.replace(
        release,
        body_markdown=(
            "# Jadwal Layanan\n\n"
            "Layanan buka **setiap hari** kerja, _pukul delapan pagi_.\n\n"
            "Informasi lengkap di [laman PPID](https://ppid.denpasarkota.example).\n\n"
            "Syaratnya:\n\n- membawa KTP,\n- mengisi formulir,\n- menunggu antrean.\n\n"
            "> Warga dilayani tanpa biaya.\n\n"
            "---\n\n<script>alert('x')</script> Selesai."
        ),
    )

    full = sections(adapter().render(release, context).text)["NASKAH LENGKAP"]

    for symbol in ("**", "#", "_pukul", "](", "https://", "- ", "> ", "---", "<script"):
        assert symbol not in full
    assert "Jadwal Layanan" not in full  # a subheading is for the eye only
    assert "Syaratnya: membawa KTP, mengisi formulir, dan menunggu antrean." in full
    assert "Informasi lengkap di laman PPID." in full


def test_glossary_terms_get_a_guide_once_per_block(release, context):
    context = dataclasses.replace(context, glossary={"PPID": "pe-pe-i-de"})
    release = dataclasses.replace(
        release, lead="PPID melayani warga.", body_markdown="PPID buka setiap hari."
    )

    text = adapter().render(release, context).text

    assert "Tanda [ ] = cara membaca singkatan, tidak dibacakan." in text
    for block in sections(text).values():
        assert block.count("PPID [pe-pe-i-de]") == 1


def test_glossary_terms_can_be_replaced_instead(release, context):
    context = dataclasses.replace(context, glossary={"PPID": "pe-pe-i-de"})
    release = dataclasses.replace(release, lead="PPID melayani warga.")

    text = adapter(pronunciation="replace").render(release, context).text

    assert "pe-pe-i-de melayani warga." in text
    assert "PPID" not in text.split(RULE, 1)[1] and "Tanda [ ]" not in text


def test_unknown_abbreviations_are_named_for_the_glossary(release, context):
    release = dataclasses.replace(release, lead="DPRD dan BPBD hadir bersama PPID.")
    context = dataclasses.replace(context, glossary={"PPID": "pe-pe-i-de"})

    warnings = adapter().render(release, context).warnings

    assert Notice("radio.unknown_abbreviations", {"terms": "DPRD, BPBD"}) in warnings


# --- timing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body_words", "settings", "language", "said"),
    [
        # 156 words of body + 2 of title + 2 of "Sumber: Diskominfo" = 160 words.
        (156, {"words_per_minute_id": 120}, "id", "1 menit 20 detik (120 kata/menit)"),
        (156, {"words_per_minute_en": 120}, "en", "1 minute 20 seconds (120 words a"),
        (116, {"words_per_minute_id": 120}, "id", "1 menit (120 kata/menit)"),
        (86, {"words_per_minute_id": 120}, "id", "45 detik (120 kata/menit)"),
        (278, {}, "id", "2 menit 1 detik (140 kata/menit)"),
        (306, {}, "en", "2 minutes (155 words a minute)"),
    ],
)
def test_duration_follows_the_spoken_words_and_the_language_pace(
    release, context, body_words, settings, language, said
):
    release = dataclasses.replace(
        release,
        title="Layanan Informasi",
        lead="",
        language=language,
        body_markdown=sentences(body_words),
    )
    context = dataclasses.replace(
        context,
        organization=dataclasses.replace(context.organization, name="Diskominfo"),
    )

    rendition = adapter(**settings).render(release, context)

    [line] = [
        line
        for line in rendition.text.splitlines()
        if line.startswith(("Durasi", "Estimated"))
    ]
    assert said in line
    wpm = settings.get(f"words_per_minute_{language}", 140 if language == "id" else 155)
    assert rendition.length == round((body_words + 4) * 60 / wpm)
    assert rendition.warnings == ()


def test_duration_counts_numbers_as_said(release, context):
    release = dataclasses.replace(
        release, title="Hadiah", lead="", body_markdown="Hadiah Rp 2.750.000.000."
    )
    context = dataclasses.replace(
        context,
        organization=dataclasses.replace(context.organization, name="Diskominfo"),
    )

    rendition = adapter(words_per_minute_id=60).render(release, context)

    # Hadiah + Hadiah dua miliar tujuh ratus lima puluh juta rupiah + Sumber: Diskominfo
    assert rendition.length == 1 + 9 + 2


def test_cuts_keep_whole_sentences_in_news_order(release, context):
    release = dataclasses.replace(
        release,
        title="Layanan Informasi",
        lead=sentences(20),  # 2 + 20 words: 9 s at 140 a minute
        body_markdown="\n\n".join(sentences(20) for _ in range(10)),
    )

    blocks = sections(adapter().render(release, context).text)

    # 30 s is 70 words: title, lead and four 10-word sentences (64 words).
    assert word_count(blocks["VERSI 30 DETIK"]) == 62
    # 60 s is 140 words: title, lead and eleven sentences (132 words).
    assert word_count(blocks["VERSI 60 DETIK"]) == 132
    assert blocks["VERSI 60 DETIK"].startswith(blocks["VERSI 30 DETIK"])
    assert blocks["NASKAH LENGKAP"].startswith(blocks["VERSI 60 DETIK"])


def test_a_lead_too_long_for_the_cut_stops_the_cut_at_the_lead(release, context):
    release = dataclasses.replace(
        release, title="Layanan", lead=sentences(80), body_markdown=sentences(10)
    )

    rendition = adapter().render(release, context)

    blocks = sections(rendition.text)
    assert blocks["VERSI 30 DETIK"].endswith(sentences(80))
    assert blocks["VERSI 60 DETIK"].endswith(sentences(10))
    assert rendition.warnings == (
        Notice("radio.cut_runs_over", {"seconds": 35, "budget": 30}),
    )


def test_a_sentence_too_long_for_one_breath_is_flagged(release, context):
    long_one = "Pemerintah Kota Denpasar " + " ".join(["terus"] * 22) + " berbenah."
    release = dataclasses.replace(
        release,
        lead="Singkat saja.",
        body_markdown=f"{sentences(25, 25)}\n\n{long_one} Lalu Rp 5.000.000 cair.",
    )

    rendition = adapter().render(release, context)

    [warning] = rendition.warnings
    assert warning == Notice(
        "radio.sentence_too_long",
        {
            "words": 26,
            "sentence": "Pemerintah Kota Denpasar terus terus terus terus terus",
        },
    )


def test_a_20000_word_body_renders_with_a_short_list_of_warnings(release, context):
    sentence = "Warga " + " ".join(["hadir"] * 29) + " tepat waktu."  # 32 words
    release = dataclasses.replace(
        release, body_markdown="\n\n".join([sentence] * 625), lead="Singkat."
    )

    rendition = adapter().render(release, context)

    # 625 sentences, the 7-word title, the lead, "Sumber: …" (8 words)
    assert rendition.length == round((625 * 32 + 7 + 1 + 8) * 60 / 140)
    breath = [w for w in rendition.warnings if "sentence" in w.code]
    assert len(breath) == 11
    assert breath[-1] == Notice("radio.more_long_sentences", {"count": 615})


def test_a_script_longer_than_its_slot_is_flagged(release, context):
    rendition = adapter(slot_seconds=30).render(release, context)

    assert (rendition.length, rendition.limit) == (66, 30)
    assert any(
        w.code == "radio.longer_than_slot" and w.params["slot"] == 30
        for w in rendition.warnings
    )


# --- header ---------------------------------------------------------------------------


def test_the_planned_air_time_is_shown_in_the_office_zone(release, context):
    planned = datetime(2022, 11, 30, 23, 30, tzinfo=UTC)
    release = dataclasses.replace(release, planned_at={"rri": planned})

    lines = adapter().render(release, context).text.splitlines()

    elsewhere = dataclasses.replace(release, planned_at={"other": planned})
    assert "Jadwal siar: Kamis, 1 Desember 2022 pukul 07.30 WITA" in lines
    assert "Jadwal siar: segera" in adapter().render(elsewhere, context).text


def test_an_embargoed_script_says_when_it_may_go_on_air(release, context):
    embargo = datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    release = dataclasses.replace(release, embargo_at=embargo)

    text = adapter().render(release, context).text

    assert (
        "EMBARGO: jangan disiarkan sebelum Rabu, 30 November 2022 pukul 10.00 WITA"
        in text.splitlines()
    )


def test_an_english_release_gets_an_english_script(release, context):
    release = dataclasses.replace(
        release,
        language="en",
        title="Beach Clean-Up",
        lead="Volunteers met at 07.00 WITA on 29/11/2022.",
        body_markdown="",
    )

    text = adapter().render(release, context).text

    assert text.splitlines()[:3] == [
        "RADIO SCRIPT | Dinas Komunikasi, Informatika dan Statistik Kota Denpasar",
        "Slug: BEACH CLEAN-UP",
        "Air time: as soon as possible",
    ]
    assert (
        "Volunteers met at seven a.m. Central Indonesia Time on the twenty-ninth of "
        "November twenty twenty-two." in text
    )
    assert "60-SECOND VERSION" in text and "Source: Dinas Komunikasi" in text


# --- files and delivery ---------------------------------------------------------------


def test_the_script_file_is_utf8_text(tmp_path, release, context):
    release = dataclasses.replace(release, title="Puri Agung ᬩᬮᬶ & Warga")

    rendition = adapter(tmp_path).render(release, context)

    [file] = rendition.files
    assert file.name == "42-r2-puri-agung-warga.txt"
    assert file.media_type == "text/plain; charset=utf-8"
    assert file.data.decode("utf-8") == rendition.text


def test_a_preview_has_no_files(release, context):
    context = dataclasses.replace(context, with_files=False)

    assert adapter().render(release, context).files == ()


def test_delivery_puts_the_script_in_the_outbox_and_redelivery_overwrites(
    tmp_path, release, context
):
    radio = adapter(tmp_path)
    rendition = radio.render(release, context)

    radio.deliver(rendition, "key-1")
    result = radio.deliver(rendition, "key-1")

    [path] = (tmp_path / "outbox" / "rri").iterdir()
    assert path.read_bytes() == rendition.files[0].data
    assert result.remote_url == path.as_uri()


@pytest.mark.parametrize(
    "raw",
    [
        {"words_per_minute_id": 0},
        {"words_per_minute_en": -1},
        {"slot_seconds": -5},
        {"pronunciation": "spell"},
        {"words_per_minute": 140},  # the old single pace: now one per language
    ],
)
def test_impossible_settings_are_a_config_error(raw):
    with pytest.raises(ValidationError):
        RadioAdapter.validate_settings(raw)


def test_a_line_wrapped_paragraph_keeps_its_spaces(release, context):
    release = dataclasses.replace(
        release, body_markdown="Warga Denpasar\nhadir dalam forum."
    )

    text = adapter().render(release, context).text

    assert "Warga Denpasar hadir dalam forum." in text


# --- properties -----------------------------------------------------------------------

WORDS = st.sampled_from(
    "warga Denpasar hadir 1.250 Rp5 juta 12,5% 29/11/2022 pukul 10.00 WITA ke-3 KIM "
    "PPID DPRD 🎉 ᬩᬮᬶ <b> & 0361 123456 a@b.id lapor.go.id 1.2.3 00:00 10%% Rp "
    'SP4N-LAPOR! H-7 — " ( )'.split()
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=35).map(lambda w: " ".join(w) + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
BODY = st.lists(
    st.one_of(
        PARAGRAPH,
        PARAGRAPH.map(lambda p: f"- {p}"),
        PARAGRAPH.map(lambda p: f"> {p}"),
        PARAGRAPH.map(lambda p: f"## {p}"),
        st.text(max_size=60),
    ),
    max_size=8,
).map("\n\n".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    title=st.one_of(SENTENCE, st.text(max_size=40)),
    lead=st.one_of(PARAGRAPH, st.text(max_size=80)),
    body=BODY,
    language=st.sampled_from(["id", "en"]),
    wpm=st.integers(min_value=60, max_value=220),
)
def test_any_release_renders_and_cuts_fit_their_time(
    release, title, lead, body, language, wpm
):
    release = dataclasses.replace(
        release, title=title, lead=lead, body_markdown=body, language=language
    )
    pace = {f"words_per_minute_{language}": wpm}
    radio = adapter(pronunciation="replace", **pace)
    context = render_context(with_files=False)

    rendition = radio.render(release, context)

    blocks = list(sections(rendition.text).items())
    assert len(blocks) == 3
    for (heading, text), budget in zip(blocks[1:], (60, 30), strict=True):
        assert str(budget) in heading
        over = [w for w in rendition.warnings if w.code == "radio.cut_runs_over"]
        if not any(w.params["budget"] == budget for w in over):
            assert word_count(text) * 60 <= budget * wpm
