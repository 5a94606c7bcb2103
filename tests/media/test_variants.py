"""Each outlet's picture meets that outlet's published constraints."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from publisher.variants import cropped_purposes, make_variants
from tests.media import pictures

# Shapes a drafter uploads: landscape 4:3, a tall phone portrait, a wide panorama,
# a square, and a small picture that has to be enlarged.
SHAPES = {
    "landscape": (2400, 1800),
    "portrait": (1080, 2340),
    "panorama": (4000, 1000),
    "square": (1500, 1500),
    "small": (640, 480),
}


def variants(size, focal=(0.5, 0.5)) -> dict[str, Image.Image]:
    """Every variant of a scene of `size`, decoded, with its byte count in .info."""
    made = make_variants(pictures.scene(size), focal)
    decoded = {}
    for item in made:
        image = Image.open(io.BytesIO(item.data))
        image.load()
        image.info["bytes"] = len(item.data)
        assert image.size == (item.width, item.height)
        decoded[item.purpose] = image
    return decoded


@pytest.fixture(scope="module", params=list(SHAPES))
def shape(request) -> tuple[str, dict[str, Image.Image]]:
    """The variants of one shape (made once per shape)."""
    return request.param, variants(SHAPES[request.param])


def test_open_graph_is_exactly_1200_by_630(shape):
    _, made = shape
    assert made["og"].size == (1200, 630)
    assert made["og"].format == "JPEG"


def test_instagram_is_1080_wide_jpeg_between_4_5_and_1_91(shape):
    _, made = shape
    image = made["instagram"]
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.width == 1080
    assert 4 / 5 - 0.01 <= image.width / image.height <= 1.91 + 0.01
    assert image.info["bytes"] <= 8_000_000


def test_x_is_under_5_mb_and_between_3_4_and_16_9(shape):
    _, made = shape
    image = made["x"]
    assert image.info["bytes"] <= 5_000_000
    assert max(image.size) <= 1600
    assert 3 / 4 - 0.01 <= image.width / image.height <= 16 / 9 + 0.01


def test_bluesky_fits_its_1_000_000_byte_blob_limit(shape):
    _, made = shape
    assert made["bluesky"].info["bytes"] <= 1_000_000
    assert max(made["bluesky"].size) <= 2000


def test_web_and_thumbnail_keep_the_shape_and_never_grow(shape):
    name, made = shape
    width, height = SHAPES[name]
    for purpose, longest in (("web", 1600), ("thumbnail", 400)):
        image = made[purpose]
        assert max(image.size) == min(longest, max(width, height)), purpose
        assert abs(image.width / image.height - width / height) < 0.01, purpose


def test_a_noisy_photo_is_squeezed_under_the_bluesky_limit():
    made = {
        m.purpose: m for m in make_variants(pictures.noisy((2400, 1800)), (0.5, 0.5))
    }
    assert len(made["bluesky"].data) <= 1_000_000
    assert len(made["x"].data) <= 5_000_000
    # Still a real picture, not a postage stamp.
    assert made["bluesky"].width >= 1000


def test_the_crop_keeps_the_focal_point_in_view():
    # A wide photo with the speaker (a red disc) near the left edge.
    image = Image.new("RGB", (3000, 1000), "#808080")
    ImageDraw.Draw(image).ellipse((150, 400, 350, 600), fill="#ff0000")

    def red_in_instagram(focal) -> bool:
        made = {m.purpose: m for m in make_variants(image, focal)}
        crop = Image.open(io.BytesIO(made["instagram"].data)).convert("RGB")
        return any(
            crop.getpixel((x, crop.height // 2))[0] > 200
            and crop.getpixel((x, crop.height // 2))[1] < 80
            for x in range(0, crop.width, 4)
        )

    assert not red_in_instagram((0.5, 0.5))  # the centre crop loses the speaker
    assert red_in_instagram((0.08, 0.5))  # the drafter's focal point keeps them


def test_only_pictures_that_need_cutting_depend_on_the_focal_point():
    assert cropped_purposes(1200, 630) == ["x"]  # wider than 16:9
    assert cropped_purposes(1600, 1200) == ["og"]
    assert cropped_purposes(1000, 3000) == ["og", "x", "instagram"]
