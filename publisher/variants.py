"""Each outlet's picture: cut around a focal point, sized, in sRGB, under its limit.

Works on an upright picture that has no metadata left (see `uploads.decode`). The
variants are resized from the smallest picture already made that has enough pixels,
so a 12-megapixel photo takes a fraction of a second.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageCms

from .models import crop_key

# Anything a broken colour profile can make Little CMS or Pillow raise.
PROFILE_ERRORS = (ImageCms.PyCMSError, OSError, ValueError, TypeError)


@dataclass(frozen=True)
class Made:
    """A file ready to store: the bytes and what they are."""

    purpose: str
    data: bytes
    media_type: str
    width: int | None = None
    height: int | None = None
    crop: str = ""

    @property
    def extension(self) -> str:
        """The file name extension of this media type."""
        return EXTENSIONS[self.media_type]


EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class VariantSpec:
    """One outlet's picture: its size, the shapes it takes, and a byte limit.

    `fit`: the longest side at most this (never enlarged); `width`: exactly this wide
    (enlarged if need be). A picture whose width/height ratio lies outside `ratios`
    is cut to the nearest allowed ratio around the focal point.
    """

    purpose: str
    fit: int | None = None
    width: int | None = None
    ratios: tuple[float, float] | None = None
    max_bytes: int | None = None
    quality: int = 85
    keeps_alpha: bool = False  # PNG when the picture is transparent, else JPEG


# Each network's published constraints; the sizes are the ones they display best.
VARIANTS = (
    VariantSpec("web", fit=1600, quality=82, keeps_alpha=True),
    VariantSpec("thumbnail", fit=400, quality=80, keeps_alpha=True),
    # Open Graph (Facebook, WhatsApp, LinkedIn link cards): 1200×630.
    VariantSpec("og", width=1200, ratios=(1200 / 630, 1200 / 630)),
    # X: at most 5 MB; very tall or very wide pictures are cut to 3:4 … 16:9.
    VariantSpec("x", fit=1600, ratios=(3 / 4, 16 / 9), max_bytes=5_000_000),
    # Bluesky: a blob of at most 1,000,000 bytes; the app shows up to 2000 px.
    VariantSpec("bluesky", fit=2000, max_bytes=1_000_000),
    # Instagram: JPEG, 4:5 to 1.91:1, 1080 px wide, at most 8 MB.
    VariantSpec("instagram", width=1080, ratios=(4 / 5, 1.91), max_bytes=8_000_000),
)
SPECS = {spec.purpose: spec for spec in VARIANTS}
# The working copy every variant is cut from, unless a crop needs more pixels.
WORK_SIZE = max(spec.fit or spec.width or 0 for spec in VARIANTS)


def make_variants(
    image: Image.Image,
    focal: tuple[float, float],
    purposes: Iterable[str] | None = None,
) -> list[Made]:
    """Each outlet's picture from an upright, metadata-free image."""
    specs = [SPECS[p] for p in purposes] if purposes is not None else list(VARIANTS)
    full = _workable(image)
    # Whole pictures already made, smallest first: each variant is resized from the
    # smallest one that still has enough pixels, which keeps a 12 MP photo fast.
    sources = [_shrink(full, WORK_SIZE), full]
    to_srgb = _srgb_transform(full)
    made = []
    for spec in specs:
        picture, crop = _cut(sources, spec, focal)
        if not crop and all(picture is not s for s in sources):
            sources = sorted([*sources, picture], key=lambda s: s.width)
        made.append(_encode(spec, _finish(picture, to_srgb, spec), crop))
    return made


def _workable(image: Image.Image) -> Image.Image:
    """A mode that resizes well: RGB, RGBA, L or CMYK (converted later)."""
    if image.mode in ("RGB", "RGBA", "L", "CMYK"):
        return image
    if image.mode.startswith("I"):
        # 16-bit greyscale: keep the top 8 bits.
        scaled = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
        scaled.info = image.info
        return scaled
    converted = image.convert("RGBA" if has_alpha(image) else "RGB")
    converted.info = image.info
    return converted


def _shrink(image: Image.Image, longest: int) -> Image.Image:
    """A working copy whose longest side is at least `longest`, cheap to resize."""
    factor = max(image.size) // longest
    if factor >= 2:  # whole-pixel box reduction: fast even on 50 megapixels
        return image.reduce(factor)
    if max(image.size) > longest:
        scale = longest / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _cut(
    sources: list[Image.Image], spec: VariantSpec, focal: tuple[float, float]
) -> tuple[Image.Image, str]:
    """The variant's pixels, cropped around `focal` if its ratio must change.

    `sources` are the whole picture at several sizes, smallest first, the last
    one at full size.
    """
    width, height = sources[-1].size
    ratio = width / height
    box: tuple[float, float, float, float] = (0, 0, width, height)
    crop = ""
    wanted = _allowed_ratio(spec, width, height)
    if wanted is not None:
        box = _crop_box(width, height, wanted, focal)
        ratio = wanted
        crop = crop_key(*focal)
    box_w, box_h = box[2] - box[0], box[3] - box[1]
    if spec.width is not None:
        size = (spec.width, max(1, round(spec.width / ratio)))
    else:
        scale = min(1.0, (spec.fit or 0) / max(box_w, box_h))
        size = (max(1, round(box_w * scale)), max(1, round(box_h * scale)))
    # The smallest picture with enough pixels; the full one when enlarging.
    source = next(
        (s for s in sources if box_w * s.width / width >= size[0] - 0.5), sources[-1]
    )
    factor = source.width / width
    scaled = (
        max(0.0, box[0] * factor),
        max(0.0, box[1] * factor),
        min(float(source.width), box[2] * factor),
        min(float(source.height), box[3] * factor),
    )
    if size == source.size and not crop:
        return source, crop
    picture = source.resize(
        size, Image.Resampling.LANCZOS, box=scaled, reducing_gap=3.0
    )
    return picture, crop


def _allowed_ratio(spec: VariantSpec, width: int, height: int) -> float | None:
    """The ratio to cut the picture to for `spec`, or None if it fits as it is."""
    if spec.ratios is None:
        return None
    ratio = width / height
    wanted = min(max(ratio, spec.ratios[0]), spec.ratios[1])
    return None if math.isclose(wanted, ratio, rel_tol=0.005) else wanted


def cropped_purposes(width: int, height: int) -> list[str]:
    """The variants of a `width`×`height` picture that depend on the focal point."""
    return [s.purpose for s in VARIANTS if _allowed_ratio(s, width, height)]


def _crop_box(
    width: int, height: int, ratio: float, focal: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The largest box of `ratio` inside the picture, centred on the focal point."""
    if width / height > ratio:
        box_w, box_h = height * ratio, float(height)
    else:
        box_w, box_h = float(width), width / ratio
    left = min(max(focal[0] * width - box_w / 2, 0), width - box_w)
    top = min(max(focal[1] * height - box_h / 2, 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def profile(icc: bytes) -> ImageCms.ImageCmsProfile | None:
    """The ICC colour profile in `icc`, or None if Little CMS cannot read it."""
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except PROFILE_ERRORS:
        return None


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    """The sRGB profile every variant is converted to."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _srgb_transform(image: Image.Image) -> ImageCms.ImageCmsTransform | None:
    """A transform from the picture's colour profile to sRGB, if it has one."""
    icc = image.info.get("icc_profile")
    source = profile(icc) if icc else None
    if source is None:
        return None
    out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        return ImageCms.buildTransform(source, _srgb(), image.mode, out_mode)
    except PROFILE_ERRORS:
        return None


def _finish(
    picture: Image.Image,
    to_srgb: ImageCms.ImageCmsTransform | None,
    spec: VariantSpec,
) -> Image.Image:
    """sRGB pixels in RGB (or RGBA where transparency is kept), no profile needed."""
    if to_srgb is not None:
        try:
            picture = ImageCms.applyTransform(picture, to_srgb) or picture
        except PROFILE_ERRORS:
            pass  # an unusable profile: the plain conversion below will do
    if has_alpha(picture):
        if spec.keeps_alpha:
            return picture.convert("RGBA")
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", picture.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return picture.convert("RGB")


def _encode(spec: VariantSpec, picture: Image.Image, crop: str) -> Made:
    """JPEG (or PNG for kept transparency), smaller until it fits `max_bytes`."""
    if picture.mode == "RGBA":
        out = io.BytesIO()
        picture.save(out, "PNG", compress_level=6)
        return Made(spec.purpose, out.getvalue(), "image/png", *picture.size, crop)
    quality = spec.quality
    while True:
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality)
        data = out.getvalue()
        if spec.max_bytes is None or len(data) <= spec.max_bytes:
            return Made(spec.purpose, data, "image/jpeg", *picture.size, crop)
        if quality > 60:
            quality -= 8
        else:  # quality alone was not enough: 80 % of the size, and try again
            size = (round(picture.width * 0.8), round(picture.height * 0.8))
            picture = picture.resize(size, Image.Resampling.LANCZOS)
            quality = spec.quality


def has_alpha(image: Image.Image) -> bool:
    """Whether the picture has transparent parts (an alpha band or palette index)."""
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
