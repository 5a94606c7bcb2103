"""The print adapter: a letterheaded "siaran pers" as HTML, text and PDF."""

from __future__ import annotations

import dataclasses
import errno
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError

from channel_adapters import outbox
from channel_adapters.base import PermanentError, Rendition, RetryableError
from channel_adapters.print import PrintAdapter


def adapter(data_dir: Path, **settings: object) -> PrintAdapter:
    """A print channel keeping its outbox under `data_dir`."""
    return PrintAdapter("koran", PrintAdapter.validate_settings(settings), data_dir)


def pdf_text(data: bytes) -> str:
    """The text a reader sees in the PDF, extracted by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def the_pdf(rendition: Rendition) -> bytes:
    """The rendition's PDF file."""
    [pdf] = [f for f in rendition.files if f.media_type == "application/pdf"]
    return pdf.data


def test_the_pdf_is_a_complete_siaran_pers(tmp_path, release, context):
    rendition = adapter(tmp_path).render(release, context)

    data = the_pdf(rendition)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "DINAS KOMUNIKASI, INFORMATIKA DAN STATISTIK KOTA",  # letterhead, upper-cased
        "SIARAN PERS",
        "Nomor: 045/SP/Diskominfos/XI/2022",
        "UNTUK DISIARKAN SEGERA",
        "Denpasar, Selasa (29/11/2022) – Pemerintah Kota Denpasar",
        "Narahubung:",
        "Ni Luh Putu Ayu Lestari",
        "Telp. 0812-3456-7890",
        "###",
        "Halaman 1 dari",
    ):
        assert expected in text


def test_files_are_named_after_release_revision_and_title(tmp_path, release, context):
    rendition = adapter(tmp_path).render(release, context)

    stem = "42-r2-diskominfos-denpasar-gelar-forum-keterbukaan-informasi-publi"
    assert [(f.name, f.media_type) for f in rendition.files] == [
        (f"{stem}.pdf", "application/pdf"),
        (f"{stem}.txt", "text/plain; charset=utf-8"),
    ]
    assert rendition.file(f"{stem}.txt").data == rendition.text.encode()


def test_plain_text_matches_the_golden_file(tmp_path, release, context, golden):
    rendition = adapter(tmp_path).render(release, context)

    golden("siaran-pers-forum-kip.print.txt", rendition.text)


def test_the_dateline_uses_the_approval_day_in_local_time(tmp_path, release, context):
    # 16.30 UTC on Monday is already Tuesday 00.30 in Denpasar.
    approved = datetime(2022, 11, 28, 16, 30, tzinfo=UTC)
    release = dataclasses.replace(release, approved_at=approved)

    rendition = adapter(tmp_path).render(release, context)

    assert "Denpasar, Selasa (29/11/2022) –" in rendition.text


def test_an_unapproved_preview_is_dated_today(tmp_path, release, context):
    release = dataclasses.replace(release, approved_at=None)

    rendition = adapter(tmp_path).render(release, context)

    assert "Denpasar, Selasa (29/11/2022) –" in rendition.text


def test_embargo_line_names_the_local_time_and_zone(tmp_path, release, context):
    embargo = datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    release = dataclasses.replace(release, embargo_at=embargo)

    rendition = adapter(tmp_path).render(release, context)

    line = "EMBARGO hingga Rabu, 30 November 2022 pukul 10.00 WITA"
    assert line in rendition.text and line in rendition.html
    text = pdf_text(the_pdf(rendition))
    assert "EMBARGO" in text and "WITA" in text
    assert "UNTUK DISIARKAN SEGERA" not in text


def test_an_english_release_is_labelled_in_english(tmp_path, release, context):
    release = dataclasses.replace(
        release, language="en", embargo_at=datetime(2022, 11, 30, 2, 0, tzinfo=UTC)
    )

    text = adapter(tmp_path).render(release, context).text

    assert "PRESS RELEASE" in text and "Contact:" in text
    assert "EMBARGOED UNTIL Wednesday, 30 November 2022" in text
    assert "Denpasar, Tuesday (29/11/2022) –" in text
    assert "SIARAN PERS" not in text and "Narahubung" not in text


def test_script_in_the_markdown_never_reaches_the_html(tmp_path, release, context):
    release = dataclasses.replace(
        release,
        title="Rilis <b>penting</b>",
        body_markdown=(
            "<script>alert('x')</script>\n\n"
            '<img src="https://pelacak.example/x.png" onerror="alert(1)">\n\n'
            "[klik di sini](javascript:alert(1))"
        ),
    )

    rendition = adapter(tmp_path).render(release, context)

    assert "<script" not in rendition.html
    assert "<img" not in rendition.html
    assert 'href="javascript:' not in rendition.html  # left as harmless text
    assert "Rilis &lt;b&gt;penting&lt;/b&gt;" in rendition.html


def test_the_logo_is_printed_when_the_file_exists(tmp_path, release, context):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), "red").save(logo)
    context = dataclasses.replace(
        context, organization=dataclasses.replace(context.organization, logo_path=logo)
    )

    rendition = adapter(tmp_path).render(release, context)

    assert f'src="{logo.as_uri()}"' in rendition.html
    if shutil.which("pdfimages"):
        pdf = tmp_path / "siaran-pers.pdf"
        pdf.write_bytes(the_pdf(rendition))
        listing = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
        ).stdout
        assert len(listing.strip().splitlines()) == 3  # two header lines, one image


def test_a_missing_logo_file_is_left_out(tmp_path, release, context):
    context = dataclasses.replace(
        context,
        organization=dataclasses.replace(
            context.organization, logo_path=tmp_path / "hilang.png"
        ),
    )

    rendition = adapter(tmp_path).render(release, context)

    assert "<img" not in rendition.html


def test_f4_paper_is_laid_out_as_folio(tmp_path, release, context):
    rendition = adapter(tmp_path, page_size="F4").render(release, context)

    assert "size: 215mm 330mm;" in rendition.html
    with pytest.raises(ValidationError):
        adapter(tmp_path, page_size="A3")


def test_a_preview_without_files_makes_no_pdf(tmp_path, release, context):
    context = dataclasses.replace(context, with_files=False)

    rendition = adapter(tmp_path).render(release, context)

    assert rendition.files == () and "SIARAN PERS" in rendition.text


def test_drafters_are_warned_about_a_missing_lead_and_contact(
    tmp_path, release, context
):
    release = dataclasses.replace(release, lead="", contact=type(release.contact)())

    rendition = adapter(tmp_path).render(release, context)

    assert len(rendition.warnings) == 2
    assert any("lead" in warning for warning in rendition.warnings)


def test_delivery_writes_exact_bytes_into_the_outbox(tmp_path, release, context):
    printer = adapter(tmp_path)
    rendition = printer.render(release, context)

    result = printer.deliver(rendition, "key-1")

    folder = tmp_path / "outbox" / "koran"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f.name for f in rendition.files
    )  # and no half-written temporary files left behind
    for file in rendition.files:
        assert (folder / file.name).read_bytes() == file.data
    pdf_path = folder / rendition.files[0].name
    assert result.remote_id == str(pdf_path)
    assert result.remote_url == pdf_path.as_uri()


def test_redelivery_overwrites_the_same_files(tmp_path, release, context):
    printer = adapter(tmp_path, outbox_dir=str(tmp_path / "meja-redaksi"))
    first = printer.render(release, context)
    printer.deliver(first, "key-1")
    corrected = dataclasses.replace(
        first, files=tuple(dataclasses.replace(f, data=b"koreksi") for f in first.files)
    )

    printer.deliver(corrected, "key-1")

    folder = tmp_path / "meja-redaksi"
    assert len(list(folder.iterdir())) == 2
    assert all(path.read_bytes() == b"koreksi" for path in folder.iterdir())


def test_an_outbox_that_cannot_exist_is_a_permanent_error(tmp_path, release, context):
    (tmp_path / "berkas").write_text("bukan folder")
    printer = adapter(tmp_path, outbox_dir=str(tmp_path / "berkas" / "outbox"))

    with pytest.raises(PermanentError) as caught:
        printer.deliver(printer.render(release, context), "key-1")

    assert "berkas" in caught.value.detail
    assert not printer.check().ok


def test_a_full_disk_is_worth_retrying(tmp_path, release, context, monkeypatch):
    def full(folder, name, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outbox, "write_atomic", full)
    printer = adapter(tmp_path)

    with pytest.raises(RetryableError) as caught:
        printer.deliver(printer.render(release, context), "key-1")

    assert "No space left" in caught.value.detail


def test_delivering_a_rendition_without_files_is_refused(tmp_path, release, context):
    printer = adapter(tmp_path)
    rendition = printer.render(release, dataclasses.replace(context, with_files=False))

    with pytest.raises(PermanentError):
        printer.deliver(rendition, "key-1")


def test_check_creates_the_outbox_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "baru" / "outbox"

    result = adapter(tmp_path, outbox_dir=str(folder)).check()

    assert result.ok
    assert folder.is_dir() and list(folder.iterdir()) == []
