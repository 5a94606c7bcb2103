"""The print adapter: a letterheaded "siaran pers" as PDF, DOCX and plain text."""

from __future__ import annotations

import dataclasses
import errno
import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pydantic import ValidationError

from channel_adapters import outbox
from channel_adapters.base import (
    Contact,
    PermanentError,
    ReleaseSnapshot,
    Rendition,
    RetryableError,
)
from channel_adapters.notice import Notice
from channel_adapters.print.adapter import PrintAdapter
from tests.channel_adapters.fixtures import (
    FIXTURES,
    english_release,
    long_release,
    organization,
    render_context,
    short_release,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Fonts the template names, and the Debian packages that carry them.
FONT_PACKAGES = {
    "Liberation Serif": "fonts-liberation2",
    "Liberation Sans": "fonts-liberation2",
    "Noto Serif Balinese": "fonts-noto-core",
    "Noto Sans Javanese": "fonts-noto-core",
    "Noto Color Emoji": "fonts-noto-color-emoji",
}


def adapter(data_dir: Path, **settings: object) -> PrintAdapter:
    """A print channel keeping its outbox under `data_dir`."""
    return PrintAdapter("koran", PrintAdapter.validate_settings(settings), data_dir)


def tool(name: str) -> str:
    """The path of a poppler tool, or skip the test."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The text a reader sees in the PDF, extracted by poppler's pdftotext."""
    flags = ["-layout"] if layout else []
    done = subprocess.run(
        [tool("pdftotext"), *flags, "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def flat(text: str) -> str:
    """`text` with every run of whitespace as one space, as a reader scans it."""
    return " ".join(text.split())


def file_of(rendition: Rendition, suffix: str) -> bytes:
    """The data of the rendition's file ending in `suffix`."""
    [data] = [f.data for f in rendition.files if f.name.endswith(suffix)]
    return data


def docx_text(data: bytes) -> str:
    """Every paragraph of a DOCX (body, tables, footer), read back with python-docx."""
    document = Document(io.BytesIO(data))
    cells = [
        paragraph
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    footer = document.sections[0].footer.paragraphs
    return "\n".join(p.text for p in [*cells, *document.paragraphs, *footer])


def essentials(release: ReleaseSnapshot) -> list[str]:
    """What every form of the siaran pers must show for one fixture release."""
    english = release.language == "en"
    if release.embargo_at:
        line = "EMBARGO hingga Selasa, 29 November 2022 pukul 10.00 WITA"
    else:
        line = "FOR IMMEDIATE RELEASE" if english else "UNTUK DISIARKAN SEGERA"
    number = f"No.: {release.number}" if english else f"Nomor: {release.number}"
    day = "Tuesday" if english else "Selasa"
    dateline = f"{release.dateline_city}, {day} (29/11/2022) –"
    return [number, line, dateline, release.title, "###"]


@pytest.fixture(scope="module")
def renditions(tmp_path_factory) -> dict[str, Rendition]:
    """Each fixture release rendered once with files (PDFs take a moment)."""
    printer = adapter(tmp_path_factory.mktemp("print"))
    return {
        name: printer.render(make(), render_context())
        for name, make in FIXTURES.items()
    }


# --- the three fixture releases -------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_plain_text_matches_the_golden_file(name, renditions, golden):
    golden(f"{name}.print.txt", renditions[name].text)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_pdf_holds_number_release_line_dateline_and_end_mark(name, renditions):
    rendition = renditions[name]

    text = flat(pdf_text(file_of(rendition, ".pdf")))

    for expected in essentials(FIXTURES[name]()):
        assert expected in text
    assert "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK PROVINSI BALI" in text


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_docx_holds_the_same_words(name, renditions):
    rendition = renditions[name]

    text = docx_text(file_of(rendition, ".docx"))

    for expected in essentials(FIXTURES[name]()):
        assert expected in text
    paragraphs = set(text.replace("\t", " ").splitlines())
    for paragraph in rendition.text.split("\n\n"):
        for line in paragraph.splitlines():
            line = line.strip("[]")  # picture captions are bracketed in plain text
            assert line.lstrip("> ") in paragraphs or line.startswith("- ")


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_text_file_is_the_plain_text(name, renditions):
    rendition = renditions[name]

    assert file_of(rendition, ".txt") == rendition.text.encode()


def test_a_long_release_numbers_its_pages(renditions):
    data = file_of(renditions["panjang"], ".pdf")

    text = pdf_text(data)

    pages = int(re.search(r"Halaman 1 dari (\d+)", text).group(1))
    assert pages >= 2
    assert f"Halaman {pages} dari {pages}" in text
    assert text.count("Halaman ") == pages
    # Continuation pages name the release they belong to.
    assert "SIARAN PERS · Nomor: 013/HM/DISKOMINFOS/XI/2022" in text


def test_a_one_page_release_has_no_page_numbers(renditions):
    text = pdf_text(file_of(renditions["pendek"], ".pdf"))

    assert "Halaman" not in text and "\f" not in text.rstrip("\f")


def test_the_docx_footer_counts_pages_with_word_fields(renditions):
    data = file_of(renditions["panjang"], ".docx")

    footer = Document(io.BytesIO(data)).sections[0].footer
    codes = [node.text.strip() for node in footer._element.iter() if node.text]

    assert "PAGE" in codes and "NUMPAGES" in codes
    pages = pdf_text(file_of(renditions["panjang"], ".pdf")).count("Halaman ")
    assert footer.paragraphs[0].text == f"Halaman 1 dari {pages}"


def test_every_pdf_font_is_embedded(renditions):
    data = file_of(renditions["panjang"], ".pdf")

    done = subprocess.run(
        [tool("pdffonts"), "-"], input=data, capture_output=True, check=True
    )
    rows = [line.split() for line in done.stdout.decode().splitlines()[2:]]

    assert rows, "the PDF names no fonts"
    # Columns: name, type (one or two words), encoding, emb, sub, uni, object id.
    assert all(row[-5] == "yes" for row in rows), done.stdout.decode()
    names = " ".join(row[0] for row in rows)
    assert "Liberation-Serif" in names and "Liberation-Sans-Bold" in names


def test_the_fonts_the_template_names_are_installed():
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    listed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, check=True, text=True
    ).stdout

    missing = {
        f"{family} ({package})"
        for family, package in FONT_PACKAGES.items()
        if family not in listed
    }
    assert not missing, f"install the font packages: {sorted(missing)}"


def test_pictures_are_printed_with_caption_and_credit(renditions, tmp_path):
    rendition = renditions["panjang"]
    pdf = tmp_path / "siaran-pers.pdf"
    pdf.write_bytes(file_of(rendition, ".pdf"))

    listing = subprocess.run(
        [tool("pdfimages"), "-list", str(pdf)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    document = Document(io.BytesIO(file_of(rendition, ".docx")))

    captions = (
        "Peserta Forum Keterbukaan Informasi Publik di Wantilan DPRD Provinsi Bali. "
        "(Foto: Diskominfos Bali/Made Arya)",
        "Pantai Sanur, salah satu lokasi Festival Ekonomi Kreatif Bali 2022. "
        "(Foto: Diskominfos Bali)",
    )
    images = [row for row in listing.splitlines()[2:] if row.split()[2] == "image"]
    assert len(images) == 3  # the logo and two pictures (a logo's alpha is a smask)
    # The lead picture floats beside the text, so pdftotext interleaves its caption.
    assert captions[1] in flat(pdf_text(pdf.read_bytes()))
    for caption in captions:
        assert caption in docx_text(file_of(rendition, ".docx"))
        assert f"[{caption}]" in rendition.text
    assert len(document.inline_shapes) == 3
    assert all(shape.height <= Cm(8) for shape in document.inline_shapes)
    # The preview shows the web size in the browser; the PDF used the local original.
    assert 'src="https://rilis.baliprov.example/media/1/web.jpg"' in rendition.html


def test_links_print_as_text_and_address(renditions):
    rendition = renditions["panjang"]
    shown = "lapor.go.id (https://www.lapor.go.id)"

    assert shown in rendition.text
    assert shown in flat(pdf_text(file_of(rendition, ".pdf")))
    assert shown in docx_text(file_of(rendition, ".docx"))
    assert "href" not in rendition.html  # nothing to click on paper


def test_an_english_release_is_labelled_in_english(renditions):
    rendition = renditions["english"]

    for text in (rendition.text, docx_text(file_of(rendition, ".docx"))):
        assert "PRESS RELEASE" in text and "Contact:" in text
        assert "About Diskominfos Bali" in text
        assert organization().about_en in text
        assert "Sanur, Tuesday (29/11/2022) –" in text
        assert "SIARAN PERS" not in text and "Narahubung" not in text
        assert "Tentang" not in text


def test_an_english_release_without_english_boilerplate_is_flagged(tmp_path):
    org = dataclasses.replace(organization(), about_en="")

    rendition = adapter(tmp_path).render(
        english_release(), render_context(with_files=False, org=org)
    )

    assert "About Diskominfos" not in rendition.text
    assert Notice("print.no_english_about") in rendition.warnings


def test_the_subtitle_follows_the_headline(renditions):
    text = renditions["panjang"].text

    headline = long_release().title
    subtitle = long_release().subtitle
    assert f"{headline}\n{subtitle}\n" in text


def test_renditions_are_reproducible_to_the_byte(tmp_path):
    printer = adapter(tmp_path)

    first = printer.render(short_release(), render_context())
    second = printer.render(short_release(), render_context())

    assert [f.data for f in first.files] == [f.data for f in second.files]
    with zipfile.ZipFile(io.BytesIO(file_of(first, ".docx"))) as archive:
        assert archive.testzip() is None


# --- dates, labels and settings -------------------------------------------------------


def test_the_dateline_uses_the_approval_day_in_local_time(tmp_path):
    # 16.30 UTC on Monday is already Tuesday 00.30 in Denpasar.
    approved = datetime(2022, 11, 28, 16, 30, tzinfo=UTC)
    release = dataclasses.replace(short_release(), approved_at=approved)

    rendition = adapter(tmp_path).render(release, render_context(with_files=False))

    assert "Denpasar, Selasa (29/11/2022) –" in rendition.text


def test_an_unapproved_preview_is_dated_today_without_a_number(tmp_path):
    release = dataclasses.replace(short_release(), approved_at=None, number="")

    rendition = adapter(tmp_path).render(release, render_context(with_files=False))

    assert "Denpasar, Selasa (29/11/2022) –" in rendition.text
    assert "Nomor" not in rendition.text


def test_embargo_line_names_the_local_time_and_zone(tmp_path):
    embargo = datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    release = dataclasses.replace(short_release(), embargo_at=embargo)

    rendition = adapter(tmp_path).render(release, render_context())

    line = "EMBARGO hingga Rabu, 30 November 2022 pukul 10.00 WITA"
    assert line in rendition.text and line in rendition.html
    assert line in flat(pdf_text(file_of(rendition, ".pdf")))
    assert line in docx_text(file_of(rendition, ".docx"))
    assert "UNTUK DISIARKAN SEGERA" not in rendition.text


def test_files_are_named_after_release_revision_and_title(renditions):
    rendition = renditions["pendek"]

    stem = "101-r1-diskominfos-bali-ajak-warga-manfaatkan-hak-atas-informasi-pu"
    assert [(f.name, f.media_type) for f in rendition.files] == [
        (f"{stem}.pdf", "application/pdf"),
        (f"{stem}.docx", DOCX_TYPE),
        (f"{stem}.txt", "text/plain; charset=utf-8"),
    ]


def test_the_logo_is_printed_when_the_file_exists(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "red").save(logo)
    org = dataclasses.replace(organization(), logo_path=logo)
    release = dataclasses.replace(short_release(), images=())

    rendition = adapter(tmp_path).render(release, render_context(org=org))

    assert f'src="{logo.as_uri()}"' in rendition.html
    document = Document(io.BytesIO(file_of(rendition, ".docx")))
    assert len(document.inline_shapes) == 1


def test_a_missing_logo_file_is_left_out(tmp_path):
    org = dataclasses.replace(organization(), logo_path=tmp_path / "hilang.png")
    release = dataclasses.replace(short_release(), images=())

    rendition = adapter(tmp_path).render(release, render_context(org=org))

    assert "<img" not in rendition.html
    assert len(Document(io.BytesIO(file_of(rendition, ".docx"))).inline_shapes) == 0


def test_a_picture_without_a_file_is_left_out_with_a_warning(tmp_path):
    release = short_release()
    gone = dataclasses.replace(
        release.images[0], variants={"original": tmp_path / "hilang.jpg"}
    )
    release = dataclasses.replace(release, images=(gone,))

    rendition = adapter(tmp_path).render(release, render_context(with_files=False))

    assert "<img" not in rendition.html.split("</header>")[1]
    assert "[Peserta Forum" not in rendition.text
    assert any(w.code == "print.photo_not_printable" for w in rendition.warnings)


@pytest.mark.parametrize("damage", ["not a picture", "missing original"])
def test_a_bad_original_falls_back_to_the_web_size(damage, tmp_path):
    release = short_release()
    web = release.images[0].variants["web"]
    original = tmp_path / "asli.jpg"
    if damage == "not a picture":
        original.write_bytes(b"bukan gambar")
    picture = dataclasses.replace(
        release.images[0], variants={"original": original, "web": web}
    )
    release = dataclasses.replace(release, images=(picture,))

    rendition = adapter(tmp_path).render(release, render_context())

    assert not rendition.warnings
    assert "[Peserta Forum" in rendition.text
    assert len(Document(io.BytesIO(file_of(rendition, ".docx"))).inline_shapes) == 2


def test_f4_paper_is_laid_out_as_folio(tmp_path):
    rendition = adapter(tmp_path, page_size="F4").render(
        short_release(), render_context()
    )

    assert "size: 215mm 330mm;" in rendition.html
    section = Document(io.BytesIO(file_of(rendition, ".docx"))).sections[0]
    assert abs(section.page_width - Cm(21.5)) < Cm(0.01)
    assert abs(section.page_height - Cm(33)) < Cm(0.01)
    with pytest.raises(ValidationError):
        adapter(tmp_path, page_size="A3")


def test_a_preview_without_files_makes_no_pdf(tmp_path):
    rendition = adapter(tmp_path).render(
        short_release(), render_context(with_files=False)
    )

    assert rendition.files == () and "SIARAN PERS" in rendition.text


def test_drafters_are_warned_about_a_missing_lead_and_contact(tmp_path):
    release = dataclasses.replace(short_release(), lead="", contact=Contact())

    rendition = adapter(tmp_path).render(release, render_context(with_files=False))

    assert rendition.warnings == (
        Notice("print.lead_empty"),
        Notice("print.no_contact"),
    )
    assert "Narahubung" not in rendition.text


# --- bad input ------------------------------------------------------------------------

CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
PARAGRAPH = (
    "Warga Denpasar menghadiri forum keterbukaan informasi publik di Renon pada "
    "Selasa (29/11/2022) pukul 10.00 WITA bersama perangkat daerah dan KIM. "
)
ODD_BODIES = {
    "empty": "",
    "only a heading": "# Pengumuman",
    "emoji": "Festival layang-layang 🪁🎉 di Pantai Padang Galak 🌊 👨‍👩‍👧 🙏🏽",
    "javanese and balinese script": "ꦱꦸꦒꦼꦁ ꦫꦮꦸꦃ. Om Swastyastu ᬒᬁᬲ᭄ᬯᬲ᭄ᬢ᭄ᬬᬲ᭄ᬢᬸ ᬩᬮᬶ",
    "html and script tags": (
        "<script>alert('x')</script>\n\n<iframe src='https://x.example'></iframe>\n\n"
        "Teks <b>tebal</b> & <i>miring</i> <img src=x onerror=alert(1)> "
        "<style>p{display:none}</style>\n\n[klik](javascript:alert(1))"
    ),
    "odd numbers": "Rp. 1.000,- · 1,000.50 · 10:00 · 1e9 · ½ · ٣ · ² · -0 · 0,5%",
    "control characters": "awal\x00\x07\x0b\x1b[31m\x7f\x85\ufffe\uffff akhir",
    "a very long word": "https://" + "a" * 400 + ".example/" + "b" * 300,
    "deep nesting": "\n".join("  " * n + "- butir" for n in range(12))
    + "\n\n"
    + ("> " * 20 + "kutipan"),
}


@pytest.mark.parametrize("edge", sorted(ODD_BODIES))
def test_odd_bodies_still_make_all_three_files(edge, tmp_path):
    release = dataclasses.replace(
        short_release(),
        title=f"Uji {edge} <b>&</b> \x0b🎉",
        body_markdown=ODD_BODIES[edge],
        subtitle="\x00sub\x1f",
    )

    rendition = adapter(tmp_path).render(release, render_context())

    html = rendition.html.lower()
    for unsafe in (
        "<script",
        "<iframe",
        "onerror",
        'href="javascript:',
        "<b>",
        "display:none",
    ):
        assert unsafe not in html
    assert "Uji " in flat(pdf_text(file_of(rendition, ".pdf")))
    assert "###" in docx_text(file_of(rendition, ".docx"))  # python-docx reads it
    assert not re.search(CONTROL, rendition.text)


def test_raw_html_is_left_out_with_a_warning(tmp_path):
    release = dataclasses.replace(
        short_release(), body_markdown=ODD_BODIES["html and script tags"]
    )

    rendition = adapter(tmp_path).render(release, render_context(with_files=False))

    assert Notice("print.html_left_out") in rendition.warnings
    assert "alert('x')" not in rendition.text and "display:none" not in rendition.text
    assert "Teks tebal & miring" in rendition.text


def test_pictures_in_the_body_are_never_fetched(tmp_path):
    release = dataclasses.replace(
        short_release(), body_markdown="![pelacak](https://pelacak.example/x.png)"
    )

    rendition = adapter(tmp_path).render(release, render_context())

    assert "pelacak.example" not in rendition.html
    assert Notice("print.picture_left_out") in rendition.warnings


def test_a_twenty_thousand_word_body_is_printed_with_a_warning(tmp_path):
    body = "\n\n".join([PARAGRAPH * 10] * 101)  # 101 paragraphs of 200 words
    release = dataclasses.replace(short_release(), body_markdown=body)

    rendition = adapter(tmp_path).render(release, render_context())

    assert any(w.code == "print.body_long" for w in rendition.warnings)
    assert len(rendition.text.split()) > 20_000
    text = pdf_text(file_of(rendition, ".pdf"))
    assert "Halaman 1 dari" in text and "###" in text


MARKDOWN_PIECES = (
    "# ", "## ", "- ", "1. ", "> ", "**", "_", "`", "```\n", "\n\n", "[a](", ")",
    "![b](", "<script>", "</script>", "<b>", "&amp;", "\x00", "\x0b", "\ufffe", "🎉",
    "ᬩᬮᬶ", "ꦗꦮ", "Rp 5.000.000", "   ",
)  # fmt: skip
# Rendering touches nothing under data_dir; only delivery does.
PREVIEW = adapter(Path("/nonexistent-print-data"))
markdown_text = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(MARKDOWN_PIECES),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=120), lead=st.text(max_size=200), body=markdown_text)
def test_render_never_raises_on_any_text(title, lead, body):
    release = dataclasses.replace(
        short_release(), title=title, lead=lead, body_markdown=body
    )

    rendition = PREVIEW.render(release, render_context(with_files=False))

    assert "<script" not in rendition.html
    assert rendition.text.rstrip().endswith("###")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(max_size=60), body=markdown_text)
def test_render_with_files_never_raises_on_any_text(title, body):
    release = dataclasses.replace(short_release(), title=title, body_markdown=body)

    rendition = PREVIEW.render(release, render_context())

    Document(io.BytesIO(file_of(rendition, ".docx")))
    assert file_of(rendition, ".pdf").startswith(b"%PDF")


# --- delivery -------------------------------------------------------------------------


def test_delivery_writes_all_three_files_into_the_outbox(tmp_path, renditions):
    printer = adapter(tmp_path)
    rendition = renditions["pendek"]

    result = printer.deliver(rendition, "key-1")

    folder = tmp_path / "outbox" / "koran"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f.name for f in rendition.files
    )  # and no half-written temporary files left behind
    assert {p.suffix for p in folder.iterdir()} == {".pdf", ".docx", ".txt"}
    for file in rendition.files:
        assert (folder / file.name).read_bytes() == file.data
    pdf_path = folder / rendition.files[0].name
    assert result.remote_id == str(pdf_path)
    assert result.remote_url == pdf_path.as_uri()


def test_redelivery_overwrites_the_same_files(tmp_path, renditions):
    printer = adapter(tmp_path, outbox_dir=str(tmp_path / "meja-redaksi"))
    first = renditions["pendek"]
    printer.deliver(first, "key-1")
    corrected = dataclasses.replace(
        first, files=tuple(dataclasses.replace(f, data=b"koreksi") for f in first.files)
    )

    printer.deliver(corrected, "key-1")

    folder = tmp_path / "meja-redaksi"
    assert len(list(folder.iterdir())) == 3
    assert all(path.read_bytes() == b"koreksi" for path in folder.iterdir())


def test_an_outbox_that_cannot_exist_is_a_permanent_error(tmp_path, renditions):
    (tmp_path / "berkas").write_text("bukan folder")
    printer = adapter(tmp_path, outbox_dir=str(tmp_path / "berkas" / "outbox"))

    with pytest.raises(PermanentError) as caught:
        printer.deliver(renditions["pendek"], "key-1")

    assert "berkas" in caught.value.detail
    assert not printer.check().ok


def test_a_full_disk_is_worth_retrying(tmp_path, renditions, monkeypatch):
    def full(folder, name, data, *mode_and_group):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outbox, "write_atomic", full)
    printer = adapter(tmp_path)

    with pytest.raises(RetryableError) as caught:
        printer.deliver(renditions["pendek"], "key-1")

    assert "No space left" in caught.value.detail


def test_delivering_a_rendition_without_files_is_refused(tmp_path):
    printer = adapter(tmp_path)
    rendition = printer.render(short_release(), render_context(with_files=False))

    with pytest.raises(PermanentError):
        printer.deliver(rendition, "key-1")


def test_check_creates_the_outbox_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "baru" / "outbox"

    result = adapter(tmp_path, outbox_dir=str(folder)).check()

    assert result.ok
    assert folder.is_dir() and list(folder.iterdir()) == []
