"""The media page in real Chromium: drop a photo, see it, click its focal point."""

from __future__ import annotations

import base64
import re

import pytest
from conftest import PASSWORD

from tests.media import pictures

pytestmark = pytest.mark.browser


def test_drop_a_photo_describe_it_and_set_its_focal_point(page, draft):
    from playwright.sync_api import expect

    release_id = draft()
    page.goto("/login")
    page.fill("#username", "penyusun")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"/releases/{release_id}/media")

    photo = pictures.encode(pictures.scene((1200, 800)), quality=88)
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], name, {type: "image/jpeg"}));
            const zone = document.querySelector("[data-dropzone]");
            const drop = new DragEvent("drop", {dataTransfer: files, bubbles: true});
            zone.dispatchEvent(drop);
        }""",
        ["pasar-badung.jpg", base64.b64encode(photo).decode()],
    )
    expect(page.locator("[data-chosen]")).to_have_text("pasar-badung.jpg")
    page.fill("#m-alt", "Pedagang menata sayur di Pasar Badung")
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("1 berkas ditambahkan.")).to_be_visible()

    thumbnail = page.locator("img[data-focal-for]")
    expect(thumbnail).to_have_attribute("alt", "Pedagang menata sayur di Pasar Badung")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 400

    box = thumbnail.bounding_box()
    thumbnail.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    focal_x = page.locator("[data-focal-x]")
    assert abs(float(focal_x.input_value()) - 0.25) <= 0.02
    page.get_by_role("button", name=re.compile("^Simpan")).click()
    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    assert abs(float(page.locator("[data-focal-y]").input_value()) - 0.75) <= 0.02
