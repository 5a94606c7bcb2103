"""Judge an uploaded file by its content and make every file stored for it.

Nothing here touches the database or the storage: bytes in, `Checked` out, or a
`MediaRefused` that names the file and the reason. Images are decoded completely by
Pillow (JPEG, PNG, WebP, HEIC), turned upright (EXIF orientation) and leave every
piece of metadata behind (EXIF with GPS, XMP, comments); a PDF must start with
`%PDF-` and end with `%%EOF`; a DOCX must be a zip holding `word/document.xml`.
Documents are then cleaned by `documents` (scripts, outward links, metadata), and
the cleaned bytes are what is stored, hashed and passed on.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from channel_adapters.notice import Notice

from . import documents
from .config import MediaConfig
from .models import MediaKind
from .services.errors import InvalidInput
from .variants import Made, has_alpha, make_variants, profile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The Pillow decoders an upload may reach; nothing else is even tried.
OPENERS = ("JPEG", "PNG", "WEBP", "HEIF")
# Pillow's name for each accepted image format (MPO: a phone's JPEG with extra
# pictures, such as a depth map, opened by the JPEG decoder; the first is used).
IMAGE_TYPES = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "HEIF": "image/heic",
}
# Anything a malformed file can make a decoder raise; turned into "damaged".
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError)


@dataclass(frozen=True)
class Refusal:
    """Why one file was not accepted; `reason` is a code the UI translates."""

    filename: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def notice(self) -> Notice:
        """The refusal as a notice (`media.<reason>`), naming the file."""
        p = self.params
        code = f"media.{self.reason}"
        params: dict[str, Any] = {"name": self.filename}
        if "size" in p:
            params["size_bytes"] = p["size"]
        if self.reason == "too_large":
            params["limit_bytes"] = p.get("limit", 0)
        if self.reason == "too_many_pixels":
            params["limit_megapixels"] = round(p.get("limit", 0) / 1e6, 1)
            if p.get("pixels"):  # decoded far enough to know the size
                code = "media.too_many_pixels_counted"
                params["megapixels"] = round(p["pixels"] / 1e6, 1)
                params["width"], params["height"] = p.get("width"), p.get("height")
        if self.reason == "unpacks_too_large":
            params["unpacked_bytes"] = p.get("unpacked", 0)
            params["limit_bytes"] = p.get("limit", 0)
        if self.reason == "compression_ratio":
            params["ratio"], params["limit"] = p.get("ratio", 0), p.get("limit", 0)
        if self.reason == "external_content":
            params["target"] = p.get("target", "")
        if "detail" in p:
            params["detail"] = p["detail"]
        return Notice(code, params)


class MediaRefused(InvalidInput):
    """A file was refused; `refusal` says which and why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.notice, fields={"file": refusal.notice})
        self.refusal = refusal


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the uploader gave it and its bytes."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class Checked:
    """An accepted upload: what it is, and every file to store for it."""

    kind: str
    filename: str
    media_type: str
    size: int
    width: int | None
    height: int | None
    made: tuple[Made, ...]
    # What cleaning took out of a document (for the audit trail); empty for images.
    removed: tuple[str, ...] = ()


def clean_filename(name: str | None) -> str:
    """The uploader's file name without folders or control characters, for display."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot else name[:200]
    return name or "berkas"


def read_upload(upload: Upload, limits: MediaConfig) -> tuple[str, bytes]:
    """(clean name, bytes), refusing an empty or too large file before decoding."""
    name = clean_filename(upload.filename)
    ceiling = max(limits.max_image_bytes, limits.max_document_bytes)
    data = upload.stream.read(ceiling + 1)
    if not data:
        raise MediaRefused(Refusal(name, "empty"))
    is_document = data.startswith((b"%PDF-", b"PK\x03\x04"))
    limit = limits.max_document_bytes if is_document else limits.max_image_bytes
    if len(data) > limit:
        size = len(data)
        if size > ceiling:  # the rest was not read; say how big it is if we can
            size += _remaining(upload.stream)
        raise MediaRefused(Refusal(name, "too_large", {"size": size, "limit": limit}))
    return name, data


def _remaining(stream: BinaryIO) -> int:
    """How many bytes are left in `stream`, if it can tell."""
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        return end - here
    except (OSError, ValueError):
        return 0


def check(
    name: str, data: bytes, limits: MediaConfig, focal: tuple[float, float]
) -> Checked:
    """Judge a file by its content and make everything stored for it.

    Raises MediaRefused naming the file and the reason.
    """
    if data.startswith(b"%PDF-"):
        # Readers require %%EOF within the last 1024 bytes (PDF 1.7, annex H);
        # without it the upload was cut short.
        if b"%%EOF" not in data[-1024:]:
            raise MediaRefused(Refusal(name, "damaged", {"detail": "no end of file"}))
        return _document(name, PDF, lambda: documents.clean_pdf(data))
    if data.startswith(b"PK\x03\x04"):
        _check_docx(name, data)
        return _document(name, DOCX, lambda: documents.clean_docx(data, limits))
    return _image(name, data, limits, focal)


def _document(
    name: str, media_type: str, clean: Callable[[], documents.Cleaned]
) -> Checked:
    """A document as it will be stored and passed on: cleaned, or refused by name."""
    try:
        cleaned = clean()
    except documents.Refused as exc:
        raise MediaRefused(Refusal(name, exc.reason, dict(exc.params))) from None
    return Checked(
        kind=MediaKind.ATTACHMENT,
        filename=name,
        media_type=media_type,
        size=len(cleaned.data),
        width=None,
        height=None,
        made=(Made("file", cleaned.data, media_type),),
        removed=cleaned.removed,
    )


def _check_docx(name: str, data: bytes) -> None:
    """A Word document: a zip with word/document.xml and no macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise MediaRefused(Refusal(name, "unsupported"))
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise MediaRefused(Refusal(name, "macros"))
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1_000_000:
                raise MediaRefused(Refusal(name, "damaged", {"detail": "not a DOCX"}))
            types = archive.read(info)
    except KeyError:
        raise MediaRefused(
            Refusal(name, "damaged", {"detail": "no [Content_Types].xml"})
        ) from None
    except (zipfile.BadZipFile, *DECODE_ERRORS) as exc:
        raise MediaRefused(Refusal(name, "damaged", {"detail": str(exc)})) from None
    if b"macroEnabled" in types:
        raise MediaRefused(Refusal(name, "macros"))
    if b"wordprocessingml.document.main+xml" not in types:
        raise MediaRefused(Refusal(name, "unsupported"))


@lru_cache(maxsize=1)
def _register_heif() -> None:
    """Teach Pillow to open HEIC photos (once, on first use)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def _image(
    name: str, data: bytes, limits: MediaConfig, focal: tuple[float, float]
) -> Checked:
    """A picture: the private original and every variant."""
    image, media_type = decode(name, data, limits)
    made = [_original(image, media_type)]
    made += make_variants(image, focal)
    width, height = image.size
    return Checked(
        kind=MediaKind.IMAGE,
        filename=name,
        media_type=media_type,
        size=len(data),
        width=width,
        height=height,
        made=tuple(made),
    )


def decode(name: str, data: bytes, limits: MediaConfig) -> tuple[Image.Image, str]:
    """The picture fully decoded, upright, with no metadata but its colour profile.

    The pixel count is checked from the header before any pixel is decoded.
    """
    _register_heif()
    formats = list(OPENERS)
    try:
        with Image.open(io.BytesIO(data), formats=formats) as probe:
            width, height = probe.size
            if width * height > limits.max_pixels:
                raise MediaRefused(
                    Refusal(
                        name,
                        "too_many_pixels",
                        {
                            "pixels": width * height,
                            "width": width,
                            "height": height,
                            "limit": limits.max_pixels,
                        },
                    )
                )
            probe.verify()
            if not _complete(data, probe.format or ""):
                raise MediaRefused(
                    Refusal(name, "damaged", {"detail": "the file ends too early"})
                )
        image = Image.open(io.BytesIO(data), formats=formats)
        media_type = IMAGE_TYPES[image.format or ""]
        image.load()
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused(
            Refusal(name, "too_many_pixels", {"limit": limits.max_pixels})
        ) from None
    except UnidentifiedImageError:
        raise MediaRefused(Refusal(name, "unsupported")) from None
    except DECODE_ERRORS as exc:
        raise MediaRefused(Refusal(name, "damaged", {"detail": str(exc)})) from None
    # Whatever came with the file stays behind: EXIF (GPS too), XMP, comments. The
    # colour profile and a palette's transparent index are part of the picture.
    kept = {"icc_profile": icc} if icc and profile(icc) else {}
    if "transparency" in upright.info:
        kept["transparency"] = upright.info["transparency"]
    upright.info = kept
    return upright, media_type


def _complete(data: bytes, kind: str) -> bool:
    """Whether the file ends where its own structure says it does.

    Pillow cannot be trusted to notice a cut-off upload here: WeasyPrint (the print
    PDFs) sets `ImageFile.LOAD_TRUNCATED_IMAGES` for the whole process, and Pillow
    then fills the missing part with grey instead of failing.
    """
    if kind in ("JPEG", "MPO"):  # the end-of-image marker after the last scan
        return data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda")
    if kind == "PNG":  # the IEND chunk, with its fixed CRC
        return b"\x00\x00\x00\x00IEND\xaeB`\x82" in data
    if kind == "WEBP":  # the RIFF size in the header
        return int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return _boxes_complete(data)  # HEIF: ISO base media boxes


def _boxes_complete(data: bytes) -> bool:
    """Whether the top-level boxes of an ISO media file (HEIF) fill it exactly."""
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position : position + 4], "big")
        if size == 0:  # the last box runs to the end of the file
            return True
        if size == 1:  # a 64-bit size follows the box type
            size = int.from_bytes(data[position + 8 : position + 16], "big")
        if size < 8:
            return False
        position += size
    return position == len(data)


def _original(image: Image.Image, media_type: str) -> Made:
    """Full size for the print desk: JPEG for photos, PNG for PNG or transparency."""
    icc = image.info.get("icc_profile")
    out = io.BytesIO()
    if media_type == "image/png" or has_alpha(image):
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", compress_level=6, icc_profile=icc)
        kind = "image/png"
    else:
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=95, icc_profile=icc)
        kind = "image/jpeg"
    return Made("original", out.getvalue(), kind, image.width, image.height)
