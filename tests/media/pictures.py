"""Real files for the media tests, made here with Pillow (and python-docx)."""

from __future__ import annotations

import io
import struct
import zipfile

from docx import Document
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

# What a phone writes into a photo taken at the governor's office in Renon.
SECRET_PLACE = "LOKASI-RAHASIA Renon"
LATITUDE_SECONDS = (123_457, 10_000)  # 12.3457″ as a rational in lowest terms
LONGITUDE_SECONDS = (789_013, 10_000)
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'exif:GPSLatitude="8,40.2058S" exif:GPSLongitude="115,13.1315E"/>'
    "</rdf:RDF></x:xmpmeta>"
)


def scene(size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """A picture with shapes and gradients, like a photo but made here."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 10, height // 5, width // 2, height // 2), fill="#c03020")
    draw.ellipse(
        (width // 2, height // 3, width * 9 // 10, height * 9 // 10), "#2050a0"
    )
    return image


def noisy(size: tuple[int, int]) -> Image.Image:
    """Pure noise: the hardest picture to compress."""
    bands = [Image.effect_noise(size, 90) for _ in range(3)]
    return Image.merge("RGB", bands)


def encode(image: Image.Image, kind: str = "JPEG", **options) -> bytes:
    """The picture as file bytes."""
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: where, with what, which way up."""
    exif = Image.Exif()
    exif[0x010E] = SECRET_PLACE  # ImageDescription
    exif[0x010F] = "Telepon Dinas"  # Make
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (IFDRational(8, 1), IFDRational(40, 1), IFDRational(*LATITUDE_SECONDS))
    gps[3] = "E"
    gps[4] = (
        IFDRational(115, 1),
        IFDRational(13, 1),
        IFDRational(*LONGITUDE_SECONDS),
    )
    return exif


def photo_with_gps(size: tuple[int, int] = (1200, 900)) -> bytes:
    """A JPEG carrying GPS in EXIF and XMP, and the place in its comment."""
    return encode(
        scene(size),
        quality=90,
        exif=gps_exif(),
        xmp=XMP.encode(),
        comment=SECRET_PLACE,
    )


def location_traces() -> list[tuple[bytes, ...]]:
    """Byte patterns that betray the location; each a tuple of alternatives
    (the seconds of latitude and longitude in either byte order)."""
    traces = [(SECRET_PLACE.encode(),), (b"GPSLatitude",), (b"Exif\x00\x00",)]
    for numerator, denominator in (LATITUDE_SECONDS, LONGITUDE_SECONDS):
        traces.append(
            (
                struct.pack("<II", numerator, denominator),
                struct.pack(">II", numerator, denominator),
            )
        )
    return traces


def rotated_phone_photo() -> bytes:
    """Stored sideways (red top, blue bottom) with EXIF orientation 6.

    Upright it is portrait: blue on the left, red on the right.
    """
    image = Image.new("RGB", (800, 600), "#d01010")
    ImageDraw.Draw(image).rectangle((0, 300, 800, 600), fill="#1010d0")
    return encode(image, quality=92, exif=gps_exif(orientation=6))


def heic_photo() -> bytes:
    """An iPhone-style HEIC with GPS in its EXIF."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    return encode(scene((640, 480)), "HEIF", quality=80, exif=gps_exif().tobytes())


def truncated_jpeg() -> bytes:
    """A JPEG whose upload stopped at 60 %."""
    data = encode(noisy((900, 700)), quality=90)
    return data[: len(data) * 6 // 10]


def decompression_bomb() -> bytes:
    """A few kilobytes of PNG that would decode to 182 megapixels."""
    return encode(Image.new("1", (13_500, 13_500)), "PNG")


def pdf() -> bytes:
    """A real one-page PDF."""
    return encode(scene((600, 800)), "PDF")


def docx() -> bytes:
    """A real Word document."""
    document = Document()
    document.add_paragraph("Lampiran siaran pers: jadwal kegiatan.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_macros() -> bytes:
    """A Word document that carries a VBA project."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip that is not a Word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("foto.jpg", b"not really")
    return out.getvalue()


# --- hostile and talkative documents -------------------------------------------------

AUTHOR = "Made Sukerta"  # a person's name that must not travel with the file
COMPANY = "Dinas Rahasia Renon"
TEMPLATE_URL = "http://203.0.113.9/templates/kop.dotm"
HYPERLINK = "https://diskominfos.example.go.id/siaran/12"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_PROPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
    '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
    f'pid="2" name="Pemilik"><vt:lpwstr>{AUTHOR}</vt:lpwstr></property></Properties>'
)


def edit_zip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with parts replaced or added (bytes) or removed (None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in changes:
                target.writestr(item, source.read(item))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def _part(data: bytes, name: str) -> str:
    """One part of a zip, as text."""
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def _add_relationship(data: bytes, rels: str, rel: str) -> bytes:
    """A DOCX with one more relationship in `rels` (created when missing)."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    xml = (
        _part(data, rels)
        if rels in names
        else f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
        "</Relationships>"
    )
    return edit_zip(
        data, {rels: xml.replace("</Relationships>", rel + "</Relationships>")}
    )


def docx_with_metadata() -> bytes:
    """A Word document that says who wrote it, for whom, and how it was edited."""
    document = Document()
    paragraph = document.add_paragraph("Lampiran siaran pers: jadwal kegiatan.")
    paragraph._p.set(f"{{{W_NS}}}rsidR", "00A1B2C3")
    paragraph._p.set(f"{{{W_NS}}}rsidRDefault", "00A1B2C3")
    core = document.core_properties
    core.author = AUTHOR
    core.last_modified_by = AUTHOR
    core.comments = f"draf {AUTHOR}"
    core.revision = 42
    core.title = "Jadwal kegiatan"
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Template>C:\\Users\\made\\kop-surat.dotm</Template>'
        f"<Company>{COMPANY}</Company><Manager>{AUTHOR}</Manager>"
        "<TotalTime>93</TotalTime><Application>Microsoft Office Word</Application>"
        "</Properties>"
    )
    settings = _part(data, "word/settings.xml").replace(
        "</w:settings>",
        '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/></w:rsids>'
        "</w:settings>",
    )
    types = _part(data, "[Content_Types].xml").replace(
        "</Types>",
        '<Override PartName="/docProps/custom.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
    )
    data = edit_zip(
        data,
        {
            "docProps/app.xml": app.encode(),
            "docProps/custom.xml": CUSTOM_PROPS.encode(),
            "word/settings.xml": settings.encode(),
            "[Content_Types].xml": types.encode(),
        },
    )
    return _add_relationship(
        data,
        "_rels/.rels",
        '<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/custom-properties" '
        'Target="docProps/custom.xml"/>',
    )


def docx_with_remote_template() -> bytes:
    """A Word document that fetches its template from a server when opened."""
    data = docx_with_metadata()
    settings = _part(data, "word/settings.xml").replace(
        "</w:settings>",
        f'<w:attachedTemplate xmlns:r="{R_NS}" r:id="rIdTpl"/></w:settings>',
    )
    data = edit_zip(data, {"word/settings.xml": settings.encode()})
    return _add_relationship(
        data,
        "word/_rels/settings.xml.rels",
        '<Relationship Id="rIdTpl" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/attachedTemplate" Target="{TEMPLATE_URL}" '
        'TargetMode="External"/>',
    )


def docx_with_hyperlink() -> bytes:
    """A Word document with an ordinary web link in its text."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = Document()
    paragraph = document.add_paragraph("Baca selengkapnya: ")
    rid = document.part.relate_to(HYPERLINK, RELATIONSHIP_TYPE.HYPERLINK, True)
    link = paragraph._p.makeelement(f"{{{W_NS}}}hyperlink", {f"{{{R_NS}}}id": rid})
    run = link.makeelement(f"{{{W_NS}}}r", {})
    text = run.makeelement(f"{{{W_NS}}}t", {})
    text.text = "situs resmi"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_remote_picture() -> bytes:
    """A Word document whose picture is fetched from a server when it is opened."""
    return _add_relationship(
        docx(),
        "word/_rels/document.xml.rels",
        '<Relationship Id="rIdPic" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/image" '
        'Target="http://203.0.113.9/pixel.png" TargetMode="External"/>',
    )


def docx_with_ole_object() -> bytes:
    """A Word document with an embedded OLE object (a classic exploit carrier)."""
    data = edit_zip(
        docx(), {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
    )
    return _add_relationship(
        data,
        "word/_rels/document.xml.rels",
        '<Relationship Id="rIdOle" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/oleObject" '
        'Target="embeddings/oleObject1.bin"/>',
    )


def docx_with_activex() -> bytes:
    """A Word document with an ActiveX control."""
    return edit_zip(docx(), {"word/activeX/activeX1.xml": b"<ax:ocx/>"})


def docx_zip_bomb(megabytes: int = 8) -> bytes:
    """A Word document with a part of zeros: tiny packed, `megabytes` unpacked."""
    return edit_zip(docx(), {"word/media/filler.bin": bytes(megabytes << 20)})


def pdf_with_text(text: str = "Jadwal kegiatan Gubernur") -> bytes:
    """A one-page PDF with real text in it (so pdftotext can read it)."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Helvetica"
        )
    )
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def hostile_pdf() -> bytes:
    """A PDF that runs JavaScript, launches a program, carries a file and names its
    author in the document information and in XMP."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_with_text()))
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('pwned');")
    )
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    attached = pikepdf.AttachedFileSpec(pdf, b"MZ payload", filename="setup.exe")
    pdf.attachments["setup.exe"] = attached
    pdf.Root.Names.JavaScript = pikepdf.Dictionary(
        Names=pikepdf.Array([pikepdf.String("init"), script])
    )
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=script)
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[72, 700, 300, 740],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="cmd.exe"),
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[72, 600, 300, 640],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=HYPERLINK),
    )
    clip = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[72, 500, 90, 520],
        FS=attached.obj,
    )
    comment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[300, 700, 320, 720],
        Contents="Periksa tanggalnya.",
        T=AUTHOR,
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([launch, link, clip, comment]))
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Producer"] = COMPANY
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
        meta["pdf:Producer"] = COMPANY
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def docx_with_photo(photo: bytes | None = None) -> bytes:
    """A Word document with a phone photo (GPS in EXIF and XMP) on its page."""
    document = Document()
    document.add_paragraph("Foto kegiatan.")
    document.add_picture(io.BytesIO(photo or photo_with_gps()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
