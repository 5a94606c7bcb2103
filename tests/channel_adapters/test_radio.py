"""The radio adapter: a script an announcer can read aloud, with an honest duration."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from channel_adapters.radio import RadioAdapter


def adapter(data_dir: Path, **settings: object) -> RadioAdapter:
    """A radio channel keeping its outbox under `data_dir`."""
    return RadioAdapter("rri", RadioAdapter.validate_settings(settings), data_dir)


def sentences(words: int, per_sentence: int = 10) -> str:
    """`words` words of filler, in sentences short enough for one breath."""
    out, left = [], words
    while left:
        size = min(per_sentence, left)
        out.append(" ".join(["kata"] * size) + ".")
        left -= size
    return " ".join(out)


def test_script_matches_the_golden_file(tmp_path, release, context, golden):
    rendition = adapter(tmp_path).render(release, context)

    golden("siaran-pers-forum-kip.radio.txt", rendition.text)


def test_an_ampersand_is_said_not_escaped(tmp_path, release, context):
    release = dataclasses.replace(
        release,
        title="Festival Seni & Budaya Denpasar",
        lead="Dinas Kebudayaan & Pariwisata mengundang warga.",
        body_markdown="Tiket gratis untuk pelajar &amp; mahasiswa <3.",
    )

    text = adapter(tmp_path).render(release, context).text

    assert "Festival Seni & Budaya" in text
    assert "pelajar & mahasiswa <3." in text
    assert "&amp;" not in text and "&lt;" not in text


def test_no_markdown_symbols_are_left_for_the_announcer(tmp_path, release, context):
    release = dataclasses.replace(
        release,
        body_markdown=(
            "# Jadwal Layanan\n\n"
            "Layanan buka **setiap hari** kerja, _pukul delapan pagi_.\n\n"
            "Informasi lengkap di [laman PPID](https://ppid.denpasarkota.example).\n\n"
            "- Senin sampai Kamis\n- Jumat setengah hari\n\n"
            "> Warga dilayani tanpa biaya.\n\n"
            "---\n"
        ),
    )

    text = adapter(tmp_path).render(release, context).text
    read = text.split("-" * 40, 1)[1]  # the part the announcer reads aloud

    for symbol in ("**", "#", "_pukul", "](", "https://", "- Senin", "> ", "---"):
        assert symbol not in read
    for spoken in ("Jadwal Layanan", "setiap hari", "laman PPID", "Jumat setengah"):
        assert spoken in read


@pytest.mark.parametrize(
    ("body_words", "words_per_minute", "language", "said"),
    [
        # 156 words of body + 2 of title + 2 of "Sumber: Diskominfo" = 160 words.
        (156, 120, "id", "Durasi perkiraan: 1 menit 20 detik"),
        (156, 120, "en", "Estimated duration: 1 minute 20 seconds"),
        (116, 120, "id", "Durasi perkiraan: 1 menit"),
        (86, 120, "id", "Durasi perkiraan: 45 detik"),
        (278, 140, "id", "Durasi perkiraan: 2 menit 1 detik"),
    ],
)
def test_duration_follows_the_word_count_and_reading_pace(
    tmp_path, release, context, body_words, words_per_minute, language, said
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

    rendition = adapter(tmp_path, words_per_minute=words_per_minute).render(
        release, context
    )

    assert said in rendition.text.splitlines()
    assert rendition.length == round((body_words + 4) * 60 / words_per_minute)
    assert rendition.warnings == ()


def test_a_sentence_too_long_for_one_breath_is_flagged(tmp_path, release, context):
    long_one = "Pemerintah Kota Denpasar " + " ".join(["terus"] * 30) + " berbenah."
    release = dataclasses.replace(
        release, body_markdown=f"{sentences(30, 30)}\n\n{long_one} Lalu selesai."
    )

    rendition = adapter(tmp_path).render(release, context)

    [warning] = rendition.warnings
    assert "too long to read in one breath" in warning
    assert "“Pemerintah Kota Denpasar terus" in warning


def test_a_script_longer_than_its_slot_is_flagged(tmp_path, release, context):
    rendition = adapter(tmp_path, slot_seconds=30).render(release, context)

    assert (rendition.length, rendition.limit) == (65, 30)
    assert any("longer than the 30 s slot" in w for w in rendition.warnings)


def test_an_embargoed_script_says_when_it_may_go_on_air(tmp_path, release, context):
    embargo = datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    release = dataclasses.replace(release, embargo_at=embargo)

    text = adapter(tmp_path).render(release, context).text

    assert (
        "EMBARGO: jangan disiarkan sebelum Rabu, 30 November 2022 pukul 10.00 WITA"
        in text.splitlines()
    )


def test_the_script_file_is_utf8_text(tmp_path, release, context):
    release = dataclasses.replace(release, title="Puri Agung ᬩᬮᬶ & Warga")

    rendition = adapter(tmp_path).render(release, context)

    [file] = rendition.files
    assert file.name == "42-r2-puri-agung-warga.txt"
    assert file.media_type == "text/plain; charset=utf-8"
    assert file.data.decode("utf-8") == rendition.text


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
    "raw", [{"words_per_minute": 0}, {"slot_seconds": -5}, {"speed": 140}]
)
def test_impossible_settings_are_a_config_error(raw):
    with pytest.raises(ValidationError):
        RadioAdapter.validate_settings(raw)


def test_a_line_wrapped_paragraph_keeps_its_spaces(tmp_path, release, context):
    release = dataclasses.replace(
        release, body_markdown="Warga Denpasar\nhadir dalam forum."
    )

    text = adapter(tmp_path).render(release, context).text

    assert "Warga Denpasar hadir dalam forum." in text
