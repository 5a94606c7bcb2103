"""Documents that travel to newsrooms are cleaned or refused before they are stored."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pikepdf
import pytest
from docx import Document
from PIL import Image

from publisher.config import MediaConfig
from publisher.notices import CATALOG
from publisher.uploads import MediaRefused, Upload, check, read_upload
from tests.media import pictures

LIMITS = MediaConfig()
CENTRE = (0.5, 0.5)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stored(name: str, data: bytes, limits: MediaConfig = LIMITS) -> bytes:
    """The bytes that would be stored and passed on for an upload."""
    name, data = read_upload(Upload(name, io.BytesIO(data)), limits)
    [made] = check(name, data, limits, CENTRE).made
    return made.data


def refusal(name: str, data: bytes, limits: MediaConfig = LIMITS) -> MediaRefused:
    """The refusal of an upload (the test fails if it is accepted)."""
    with pytest.raises(MediaRefused) as caught:
        stored(name, data, limits)
    error = caught.value
    assert error.notice.params["name"] == name
    assert error.notice.code in CATALOG
    return error


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def everything(data: bytes) -> bytes:
    """All the bytes of a DOCX's parts, unpacked, for searching."""
    return b"\n".join(parts(data).values())


# --- DOCX ----------------------------------------------------------------------------


def test_a_docx_loses_author_company_template_path_rsids_and_custom_properties():
    source = pictures.docx_with_metadata()
    unpacked = everything(source)
    for trace in (pictures.AUTHOR, pictures.COMPANY, "kop-surat.dotm", "00A1B2C3"):
        assert trace.encode() in unpacked, trace  # the test file really carries it

    clean = stored("jadwal.docx", source)

    unpacked = everything(clean)
    for trace in (pictures.AUTHOR, pictures.COMPANY, "kop-surat.dotm", "00A1B2C3"):
        assert trace.encode() not in unpacked, trace
    assert b"w:rsid" not in unpacked
    assert "docProps/custom.xml" not in parts(clean)
    assert b"custom.xml" not in unpacked  # no relationship or content type left
    # Word (python-docx here) still opens it, with its text and title.
    document = Document(io.BytesIO(clean))
    assert document.paragraphs[0].text == "Lampiran siaran pers: jadwal kegiatan."
    assert document.core_properties.title == "Jadwal kegiatan"
    assert document.core_properties.author == ""
    assert document.core_properties.last_modified_by == ""


def test_a_remote_template_is_stripped_and_the_document_still_opens():
    source = pictures.docx_with_remote_template()
    assert pictures.TEMPLATE_URL.encode() in everything(source)

    clean = stored("undangan.docx", source)

    unpacked = everything(clean)
    assert pictures.TEMPLATE_URL.encode() not in unpacked
    assert b"attachedTemplate" not in unpacked
    assert b'TargetMode="External"' not in unpacked
    Document(io.BytesIO(clean))


def test_a_plain_hyperlink_stays():
    clean = stored("tautan.docx", pictures.docx_with_hyperlink())
    rels = parts(clean)["word/_rels/document.xml.rels"].decode()
    assert pictures.HYPERLINK in rels and 'TargetMode="External"' in rels
    assert b"situs resmi" in parts(clean)["word/document.xml"]


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("gambar-jauh.docx", pictures.docx_with_remote_picture, "external_content"),
        ("ole.docx", pictures.docx_with_ole_object, "embedded_objects"),
        ("activex.docx", pictures.docx_with_activex, "embedded_objects"),
        ("makro.docx", pictures.docx_with_macros, "macros"),
        ("bom.docx", pictures.docx_zip_bomb, "compression_ratio"),
    ],
)
def test_hostile_docx_is_refused_with_a_notice_naming_the_file(name, make, reason):
    error = refusal(name, make())
    assert error.notice.code == f"media.{reason}"


def test_the_remote_picture_refusal_names_where_it_would_fetch_from():
    error = refusal("gambar-jauh.docx", pictures.docx_with_remote_picture())
    assert error.notice.params["target"] == "http://203.0.113.9/pixel.png"


def test_a_docx_that_unpacks_too_large_is_refused_by_the_configured_limit():
    limits = MediaConfig(max_document_unpacked_bytes=2_000_000)
    data = pictures.edit_zip(
        pictures.docx(), {"word/media/photo.bin": bytes(range(256)) * 8000}
    )
    error = refusal("besar.docx", data, limits)
    assert error.notice.code == "media.unpacks_too_large"
    assert error.notice.params["limit_bytes"] == 2_000_000
    assert error.notice.params["unpacked_bytes"] > 2_000_000


def test_the_ratio_limit_is_configurable():
    bomb = pictures.docx_zip_bomb(megabytes=2)
    assert stored("besar.docx", bomb, MediaConfig(max_compression_ratio=5000))
    refusal("besar.docx", bomb, MediaConfig(max_compression_ratio=100))


def test_the_same_docx_gives_the_same_cleaned_bytes():
    source = pictures.docx_with_metadata()
    assert stored("a.docx", source) == stored("b.docx", source)


# --- PDF -----------------------------------------------------------------------------


def test_a_pdf_loses_scripts_actions_attachments_and_metadata():
    source = pictures.hostile_pdf()
    with pikepdf.open(io.BytesIO(source)) as pdf:  # it really carries all of it
        assert "/OpenAction" in pdf.Root and "/JavaScript" in pdf.Root.Names
        assert pdf.attachments and pdf.docinfo["/Author"] == pictures.AUTHOR

    clean = stored("jadwal.pdf", source)

    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert not pdf.attachments
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        page = pdf.pages[0].obj
        assert "/AA" not in page
        actions = [str(a.A.S) for a in page.Annots if "/A" in a]
        subtypes = [str(a.Subtype) for a in page.Annots]
        assert actions == ["/URI"]  # the web link stays, the launch is gone
        assert "/FileAttachment" not in subtypes
        [comment] = [a for a in page.Annots if a.Subtype == "/Text"]
        assert "/T" not in comment  # the comment stays, its author's name goes
        assert str(comment.Contents) == "Periksa tanggalnya."
        texts = b"".join(
            obj.read_bytes()
            if isinstance(obj, pikepdf.Stream)
            else bytes(repr(obj), "utf-8")
            for obj in pdf.objects
        )
    for trace in (b"pwned", b"cmd.exe", b"MZ payload", pictures.AUTHOR.encode()):
        assert trace not in texts and trace not in clean, trace
    assert pictures.COMPANY.encode() not in clean


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_cleaned_pdf_still_reads_as_text():
    clean = stored("jadwal.pdf", pictures.hostile_pdf())
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=clean, capture_output=True, check=True
    ).stdout
    assert b"Jadwal kegiatan Gubernur" in text


def test_a_password_protected_pdf_is_refused():
    source = pictures.pdf_with_text()
    with pikepdf.open(io.BytesIO(source)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="x"))
    assert refusal("kunci.pdf", out.getvalue()).notice.code == "media.encrypted"


def test_a_pdf_that_qpdf_cannot_read_is_refused_as_damaged():
    junk = b"%PDF-1.7\nnot a pdf at all\n%%EOF\n"
    assert refusal("rusak.pdf", junk).notice.code == "media.damaged"


def test_photos_inside_a_docx_lose_their_location_but_not_a_pixel():
    source = pictures.docx_with_photo()
    [name] = [n for n in parts(source) if n.startswith("word/media/")]
    before = parts(source)[name]

    after = parts(stored("foto.docx", source))[name]

    for trace in pictures.location_traces():
        assert any(p in before for p in trace), trace
        assert not any(p in after for p in trace), trace
    assert b"xmpmeta" not in after
    old, new = Image.open(io.BytesIO(before)), Image.open(io.BytesIO(after))
    assert old.tobytes() == new.tobytes()  # the same pixels: nothing re-encoded


def test_a_sideways_photo_in_a_docx_keeps_only_its_orientation():
    source = pictures.docx_with_photo(pictures.rotated_phone_photo())
    [name] = [n for n in parts(source) if n.startswith("word/media/")]

    after = parts(stored("foto.docx", source))[name]

    exif = Image.open(io.BytesIO(after)).getexif()
    assert dict(exif) == {0x0112: 6}
    assert not exif.get_ifd(0x8825)


def test_png_metadata_chunks_are_cut_out():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", pictures.AUTHOR)
    png = pictures.encode(pictures.scene((300, 200)), "PNG", pnginfo=info)
    source = pictures.docx_with_photo(png)
    [name] = [n for n in parts(source) if n.startswith("word/media/")]

    after = parts(stored("logo.docx", source))[name]

    assert pictures.AUTHOR.encode() not in after and b"tEXt" not in after
    assert Image.open(io.BytesIO(after)).tobytes() == (
        Image.open(io.BytesIO(png)).tobytes()
    )
