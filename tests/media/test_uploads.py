"""Uploads are judged by content: bad files are refused by name, good ones cleaned."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, ImageFile

from channel_adapters.notice import Notice
from publisher.config import MediaConfig
from publisher.notices import CATALOG, render
from publisher.uploads import MediaRefused, Upload, check, read_upload
from tests.media import pictures

LIMITS = MediaConfig()
CENTRE = (0.5, 0.5)


def refused(name: str, data: bytes, limits: MediaConfig = LIMITS) -> MediaRefused:
    """The refusal of `data` uploaded as `name` (the test fails if it is accepted)."""
    with pytest.raises(MediaRefused) as caught:
        name, data = read_upload(Upload(name, io.BytesIO(data)), limits)
        check(name, data, limits, CENTRE)
    return caught.value


def opened(data: bytes) -> Image.Image:
    """A stored file, decoded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_gps_and_all_other_metadata_are_gone_from_every_file():
    source = pictures.photo_with_gps()
    # The test photo really carries what must disappear.
    assert opened(source).getexif().get_ifd(0x8825)
    for trace in pictures.location_traces():
        assert any(pattern in source for pattern in trace), trace

    checked = check("kunjungan.jpg", source, LIMITS, CENTRE)

    assert {m.purpose for m in checked.made} == {
        "original",
        "web",
        "thumbnail",
        "og",
        "x",
        "bluesky",
        "instagram",
    }
    for made in checked.made:
        image = opened(made.data)
        assert len(image.getexif()) == 0, made.purpose
        assert not image.getexif().get_ifd(0x8825), made.purpose
        assert "xmp" not in image.info and "comment" not in image.info, made.purpose
        for trace in pictures.location_traces():
            assert not any(p in made.data for p in trace), (made.purpose, trace)


def test_a_sideways_phone_photo_comes_out_upright():
    checked = check("hp.jpg", pictures.rotated_phone_photo(), LIMITS, CENTRE)
    assert (checked.width, checked.height) == (600, 800)
    for purpose in ("original", "web", "thumbnail", "bluesky"):
        image = opened(next(m.data for m in checked.made if m.purpose == purpose))
        width, height = image.size
        assert height > width, purpose
        left = image.getpixel((width // 10, height // 2))
        right = image.getpixel((width * 9 // 10, height // 2))
        assert left[2] > 150 and left[0] < 80, (purpose, left)  # blue on the left
        assert right[0] > 150 and right[2] < 80, (purpose, right)  # red on the right
        assert image.getexif().get(0x0112) is None, purpose


def test_heic_from_a_phone_is_accepted_and_cleaned():
    checked = check("IMG_0001.HEIC", pictures.heic_photo(), LIMITS, CENTRE)
    assert checked.media_type == "image/heic"
    original = next(m for m in checked.made if m.purpose == "original")
    # The print desk gets a JPEG it can open, without the location.
    assert original.media_type == "image/jpeg"
    assert opened(original.data).size == (640, 480)
    for made in checked.made:
        assert pictures.SECRET_PLACE.encode() not in made.data
        assert not opened(made.data).getexif().get_ifd(0x8825)


def test_a_png_named_jpg_is_taken_for_what_it_is():
    data = pictures.encode(pictures.scene((800, 600)), "PNG")
    checked = check("foto.jpg", data, LIMITS, CENTRE)
    assert checked.filename == "foto.jpg"
    assert checked.media_type == "image/png"
    original = next(m for m in checked.made if m.purpose == "original")
    assert original.media_type == "image/png" and original.extension == "png"
    assert opened(original.data).format == "PNG"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script></html>", "unsupported"),
        ("foto.png", b"GIF89a" + bytes(200), "unsupported"),
        ("gambar.jpg", pictures.plain_zip(), "unsupported"),
        ("kosong.jpg", b"", "empty"),
        ("rusak.jpg", pictures.truncated_jpeg(), "damaged"),
        ("bom.png", pictures.decompression_bomb(), "too_many_pixels"),
        ("lampiran.pdf", pictures.pdf()[:-400], "damaged"),
        ("makro.docx", pictures.docx_with_macros(), "macros"),
    ],
)
def test_bad_files_are_refused_by_name_with_the_reason(name, data, reason):
    error = refused(name, data)
    assert error.refusal.reason == reason
    assert error.refusal.filename == name
    assert error.notice.params["name"] == name
    assert error.fields == {"file": error.notice}
    assert error.notice.code in CATALOG


def test_a_truncated_jpeg_says_it_is_incomplete():
    error = refused("rusak.jpg", pictures.truncated_jpeg())
    assert error.notice.code == "media.damaged"


def test_the_bomb_is_refused_before_its_pixels_are_decoded():
    data = pictures.decompression_bomb()
    assert len(data) < 100_000  # a tiny file …
    error = refused("bom.png", data)  # … refused without allocating 182 MP
    assert error.notice == Notice(
        "media.too_many_pixels", {"name": "bom.png", "limit_megapixels": 50.0}
    )


def test_the_configured_pixel_limit_names_the_size():
    limits = MediaConfig(max_pixels=4_000_000)
    data = pictures.encode(Image.new("L", (3000, 2000)), "PNG")
    error = refused("besar.png", data, limits)
    assert error.refusal.reason == "too_many_pixels"
    assert error.notice.params == {
        "name": "besar.png",
        "megapixels": 6.0,
        "width": 3000,
        "height": 2000,
        "limit_megapixels": 4.0,
    }
    assert render(error.notice) == (
        "besar.png: the picture has 6 megapixels (3000×2000); "
        "at most 4 megapixels are accepted."
    )


def test_an_oversized_file_is_refused_before_it_is_decoded():
    limits = MediaConfig(max_image_bytes=100_000, max_document_bytes=300_000)
    data = pictures.encode(pictures.noisy((400, 400)), "PNG")
    error = refused("besar.png", data, limits)
    assert error.refusal.reason == "too_large"
    assert error.refusal.params == {"size": len(data), "limit": 100_000}
    assert error.notice.params["limit_bytes"] == 100_000


def test_documents_are_stored_cleaned_under_their_own_type():
    for name, data, media_type in (
        ("jadwal.pdf", pictures.pdf(), "application/pdf"),
        (
            "jadwal.docx",
            pictures.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ):
        checked = check(name, data, LIMITS, CENTRE)
        assert checked.kind == "attachment"
        [made] = checked.made
        assert (made.purpose, made.media_type) == ("file", media_type)
        assert checked.size == len(made.data)  # the cleaned file is what is kept


def test_a_transparent_logo_keeps_its_transparency_on_the_web():
    logo = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    logo.paste((11, 79, 138, 255), (100, 100, 500, 200))
    checked = check("logo.png", pictures.encode(logo, "PNG"), LIMITS, CENTRE)
    files = {m.purpose: m for m in checked.made}
    assert files["original"].media_type == "image/png"
    assert files["web"].media_type == "image/png"
    assert opened(files["web"].data).getpixel((5, 5))[3] == 0
    # Social networks get a JPEG on white.
    instagram = opened(files["instagram"].data)
    assert instagram.format == "JPEG" and instagram.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("mode", ["P", "L", "I;16", "CMYK", "LA"])
def test_unusual_picture_modes_still_give_every_variant(mode):
    image = pictures.scene((500, 400)).convert("RGB")
    if mode == "I;16":
        image = image.convert("L").point(lambda v: v * 256).convert("I;16")
    else:
        image = image.convert(mode)
    kind = "JPEG" if mode == "CMYK" else "PNG"
    checked = check("x." + kind.lower(), pictures.encode(image, kind), LIMITS, CENTRE)
    for made in checked.made:
        if made.purpose != "original":
            assert opened(made.data).mode in ("RGB", "RGBA"), made.purpose


def test_variants_are_converted_to_srgb_and_carry_no_profile():
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))
    source = pictures.encode(
        pictures.scene((500, 400)), "JPEG", icc_profile=lab.tobytes()
    )
    checked = check("lab.jpg", source, LIMITS, CENTRE)
    for made in checked.made:
        info = opened(made.data).info
        if made.purpose == "original":  # the print desk keeps the colour profile
            assert info.get("icc_profile") == lab.tobytes()
        else:
            assert "icc_profile" not in info, made.purpose


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_a_cut_off_upload_is_refused_even_where_pillow_would_pad_it(kind, monkeypatch):
    # WeasyPrint sets this for the whole process; Pillow then pads cut pictures.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    if kind == "HEIF":
        pictures.heic_photo()  # registers the HEIF encoder
    whole = pictures.encode(pictures.noisy((600, 400)), kind)
    assert check("utuh", whole, LIMITS, CENTRE).kind == "image"
    error = refused("terpotong", whole[: len(whole) * 7 // 10])
    assert error.refusal.reason == "damaged"
