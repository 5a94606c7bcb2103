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
