"""The TV adapter: a VIDEO | AUDIO script with voice-over, supers and visuals."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from channel_adapters.base import Rendition
from channel_adapters.broadcast.tv import TvAdapter, speakers
from channel_adapters.notice import Notice
from channel_adapters.registry import ADAPTERS
from tests.channel_adapters.broadcast.test_radio import BODY, PARAGRAPH, SENTENCE
from tests.channel_adapters.fixtures import (
    FIXTURES,
    english_release,
    long_release,
    render_context,
    short_release,
)


def adapter(data_dir: Path = Path("/nonexistent"), **settings: object) -> TvAdapter:
    """A TV channel keeping its outbox under `data_dir`."""
    return TvAdapter("tvri", TvAdapter.validate_settings(settings), data_dir)


def review(rendition: Rendition) -> str:
    """A rendition as a reviewer reads it: the script, its length and warnings."""
    lines = [
        rendition.text,
        f"=== {rendition.adapter}: {rendition.length} s / {rendition.limit} ===",
        *(f"! {warning}" for warning in rendition.warnings),
    ]
    return "\n".join(lines) + "\n"


def pdf_text(data: bytes) -> str:
    """The text a reader sees in the PDF, extracted by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def video_of(rendition: Rendition) -> list[str]:
    """The VIDEO column of the text rendition, one cue per entry."""
    cues: list[str] = []
    table = rendition.text.split("-+-", 1)[1].splitlines()[1:]
    for line in table:
        left = line.split(" | ")[0].rstrip(" |")
        if left.startswith("  ") and cues:
            cues[-1] += " " + left.strip()
        elif left.strip():
            cues.append(left.strip())
    return cues


# --- golden files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_script_matches_the_golden_files(name, golden):
    rendition = adapter().render(FIXTURES[name](), render_context(with_files=False))

    golden(f"{name}.tv.txt", review(rendition))
    golden(f"{name}.tv.html", rendition.html)


def test_the_tv_adapter_is_registered():
    assert ADAPTERS["tv"] is TvAdapter
    assert TvAdapter.label == "Televisi"


# --- the two columns ------------------------------------------------------------------


def test_the_presenter_reads_the_lead_and_a_voice_over_the_rest():
    rendition = adapter().render(short_release(), render_context(with_files=False))

    [presenter, *voice_overs] = rendition.html.split('<td class="video">')[1:]
    assert "PRESENTER (ON CAM)" in presenter
    assert "Forum Keterbukaan Informasi Publik dua ribu dua puluh dua." in presenter
    assert all("<p>VO</p>" in row for row in voice_overs)
    assert "pukul delapan sampai lima belas Waktu Indonesia Tengah." in rendition.html


def test_supers_name_the_place_and_the_people_quoted():
    rendition = adapter().render(long_release(), render_context(with_files=False))

    supers = [cue for cue in video_of(rendition) if cue.startswith("SUPER:")]
    assert supers == [
        "SUPER: Denpasar",
        "SUPER: Kepala Diskominfos Bali",
        "SUPER: I Gusti Ayu Putri Suryani, Kepala Bidang Informasi dan Komunikasi "
        "Publik",
    ]


def test_the_location_super_falls_back_to_the_office_city():
    release = dataclasses.replace(short_release(), dateline_city="")

    rendition = adapter().render(release, render_context(with_files=False))

    assert "SUPER: Denpasar" in video_of(rendition)
    assert "Lokasi: Denpasar" in rendition.text.splitlines()


def test_visuals_come_from_the_photos_then_generic_shots():
    rendition = adapter().render(long_release(), render_context(with_files=False))

    visuals = [cue for cue in video_of(rendition) if cue.startswith("VISUAL:")]
    assert visuals[:3] == [
        "VISUAL: foto 1 — Peserta Forum Keterbukaan Informasi Publik di Wantilan DPRD "
        "Provinsi Bali.",
        "VISUAL: foto 2 — Pantai Sanur, salah satu lokasi Festival Ekonomi Kreatif "
        "Bali 2022.",
        "VISUAL: gambar suasana kegiatan",
    ]


def test_a_release_without_photos_gets_generic_visuals_in_english_too():
    release = dataclasses.replace(english_release(), images=())

    rendition = adapter().render(release, render_context(with_files=False))

    visuals = [cue for cue in video_of(rendition) if cue.startswith("VISUAL:")]
    assert visuals[0] == "VISUAL: shots of the event"
    assert rendition.text.splitlines()[0].startswith("TV SCRIPT | ")
    assert "ANCHOR (ON CAM)" in rendition.text


def test_the_text_rendition_fits_80_columns():
    rendition = adapter().render(long_release(), render_context(with_files=False))

    assert max(len(line) for line in rendition.text.splitlines()) <= 80
    assert "VIDEO                        | AUDIO" in rendition.text


def test_html_is_escaped_and_the_audio_has_no_markup():
    release = dataclasses.replace(
        short_release(),
        title="Uji <b>tebal</b> & <script>alert(1)</script>",
        lead="Warga <i>hadir</i> & senang.",
        body_markdown="<script>alert('x')</script>\n\n**Tebal** dan [tautan](https://x.id).",
    )

    rendition = adapter().render(release, render_context(with_files=False))

    assert "<script" not in rendition.html and "<b>tebal" not in rendition.html
    assert "Warga hadir &amp; senang." in rendition.html
    assert "Tebal dan tautan." in rendition.text


# --- explicit attribution and the super heuristics ------------------------------------


def test_an_explicit_quote_in_markdown_gets_a_super_and_is_said_attributed():
    release = dataclasses.replace(
        short_release(),
        body_markdown=(
            '> "Data terbuka membuat warga percaya." — I Made Suarjana, Kepala '
            "Diskominfos Bali"
        ),
    )

    rendition = adapter().render(release, render_context(with_files=False))

    assert "SUPER: I Made Suarjana, Kepala Diskominfos Bali" in video_of(rendition)
    assert (
        "&#34;Data terbuka membuat warga percaya,&#34; kata I Made Suarjana, Kepala "
        "Diskominfos [dis-kominfos] Bali.</td>" in rendition.html
    )


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (
            '"Kami siap melayani," ujar Kepala Diskominfos Bali, I Made Suarjana.',
            ["I Made Suarjana, Kepala Diskominfos Bali"],
        ),
        (
            '"Kami siap melayani," kata I Made Suarjana, Kepala Diskominfos Bali.',
            ["I Made Suarjana, Kepala Diskominfos Bali"],
        ),
        (
            '"Setiap warga berhak tahu," kata Kepala Diskominfos Bali saat membuka.',
            ["Kepala Diskominfos Bali"],
        ),
        ('"Terima kasih," ujar Ni Luh Putu Ayu.', ["Ni Luh Putu Ayu"]),
        ('"Terima kasih," ujarnya.', []),
        (
            "Kepala Bidang IKP, I Gusti Ayu Putri Suryani, S.Sos., M.Si., menambahkan "
            "bahwa layanan buka.",
            ["I Gusti Ayu Putri Suryani, Kepala Bidang IKP"],
        ),
        (
            "Dalam kesempatan itu, Gubernur Bali Wayan Koster mengatakan bahwa semua "
            "siap.",
            ["Gubernur Bali Wayan Koster"],
        ),
        ("Ia mengatakan semua siap.", []),
        ("Warga mengatakan layanan cepat.", ["Warga"]),
        (
            '"A clean beach matters," said the head of the Sanur village.',
            ["Head of the Sanur village"],
        ),
        (
            '"We are ready," said Made Wirawan, spokesperson for the province.',
            ["Made Wirawan"],
        ),
        ('"We are ready," he said.', []),
        ("Tidak ada kutipan di sini.", []),
    ],
)
def test_speakers_are_found_in_common_attribution_forms(text, who):
    assert speakers(text) == who


# --- timing, header, warnings ---------------------------------------------------------


def test_the_duration_counts_the_audio_column_as_said(release, context):
    release = dataclasses.replace(
        release, lead="Hadiah Rp 2.750.000.000.", body_markdown="Selesai."
    )

    rendition = adapter(words_per_minute_id=60).render(release, context)

    assert rendition.length == 9 + 1
    assert "Durasi perkiraan: 10 detik (60 kata/menit)" in rendition.text


def test_planned_time_embargo_and_slot_are_shown():
    planned = datetime(2022, 11, 29, 11, 0, tzinfo=UTC)
    release = dataclasses.replace(long_release(), planned_at={"tvri": planned})

    rendition = adapter(slot_seconds=120).render(
        release, render_context(with_files=False)
    )

    lines = rendition.text.splitlines()
    assert "Jadwal tayang: Selasa, 29 November 2022 pukul 19.00 WITA" in lines
    assert (
        "EMBARGO: jangan ditayangkan sebelum Selasa, 29 November 2022 pukul 10.00 WITA"
        in lines
    )
    assert rendition.limit == 120
    assert any(
        w.code == "radio.longer_than_slot" and w.params["slot"] == 120
        for w in rendition.warnings
    )
    assert Notice("radio.unknown_abbreviations", {"terms": "SMS, KTP, NPWP"}) in (
        rendition.warnings
    )


def test_replace_mode_says_the_glossary_pronunciation():
    rendition = adapter(pronunciation="replace").render(
        short_release(), render_context(with_files=False)
    )

    assert "pe-pe-i-de" in rendition.text and "[" not in rendition.text
    assert "Tanda [ ]" not in rendition.text


# --- files and delivery ---------------------------------------------------------------


def test_approval_adds_a_pdf_and_a_text_file(tmp_path):
    rendition = adapter(tmp_path).render(long_release(), render_context())

    pdf, txt = rendition.files
    assert pdf.name.startswith("102-r3-festival-ekonomi-kreatif-bali")
    assert pdf.name.endswith(".pdf") and pdf.media_type == "application/pdf"
    assert txt.name == pdf.name.removesuffix(".pdf") + ".txt"
    assert txt.data.decode() == rendition.text
    assert pdf.data.startswith(b"%PDF")
    text = pdf_text(pdf.data)
    for expected in ("NASKAH TV", "VIDEO", "AUDIO", "SUPER: Denpasar", "VO"):
        assert expected in text


def test_the_pdf_can_be_portrait(tmp_path):
    rendition = adapter(tmp_path, orientation="portrait").render(
        short_release(), render_context()
    )

    assert "size: A4 portrait" in rendition.html
    assert rendition.files[0].data.startswith(b"%PDF")


def test_a_preview_has_no_files():
    rendition = adapter().render(short_release(), render_context(with_files=False))

    assert rendition.files == () and rendition.html


def test_delivery_puts_both_files_in_the_outbox(tmp_path):
    tv = adapter(tmp_path)
    rendition = tv.render(short_release(), render_context())

    result = tv.deliver(rendition, "key-1")
    tv.deliver(rendition, "key-1")

    written = sorted(p.name for p in (tmp_path / "outbox" / "tvri").iterdir())
    assert written == sorted(f.name for f in rendition.files)
    assert result.remote_id.endswith(".pdf")
    assert tv.check().ok


@pytest.mark.parametrize(
    "raw",
    [{"orientation": "sideways"}, {"words_per_minute_id": 0}, {"slot": 30}],
)
def test_impossible_settings_are_a_config_error(raw):
    with pytest.raises(ValidationError):
        TvAdapter.validate_settings(raw)


# --- properties -----------------------------------------------------------------------


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    title=st.one_of(SENTENCE, st.text(max_size=40)),
    lead=st.one_of(PARAGRAPH, st.text(max_size=80)),
    body=BODY,
    language=st.sampled_from(["id", "en"]),
)
def test_any_release_renders_within_80_columns(release, title, lead, body, language):
    release = dataclasses.replace(
        release, title=title, lead=lead, body_markdown=body, language=language
    )

    rendition = adapter().render(release, render_context(with_files=False))

    assert "<script" not in rendition.html
    assert rendition.length is not None and rendition.length >= 0
    table = rendition.text.split("-+-", 1)[1]
    assert max(len(line) for line in table.splitlines()) <= 80
