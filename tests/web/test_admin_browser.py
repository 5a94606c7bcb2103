"""An administrator in real Chromium, on a desktop and on a 390 px phone: creates
a user and an API token and tests a channel's connection, all in Indonesian."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD

pytestmark = pytest.mark.browser

TEMPORARY = "Sementara-Bedugul-4821"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_admin_creates_a_user_and_a_token_and_tests_a_channel(page, width, tmp_path):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("link", name="Administrasi").click()
    expect(page.get_by_role("heading", name="Pengguna", exact=True)).to_be_visible()
    page.fill("#new-username", "niluh")
    page.fill("#new-display", "Ni Luh Ayu")
    page.select_option("#new-role", "viewer")
    page.fill("#new-password", TEMPORARY)
    page.get_by_role("button", name="Buat pengguna").click()
    expect(page.get_by_text("Pengguna niluh dibuat.")).to_be_visible()
    expect(page.locator("#user-niluh")).to_contain_text("Ni Luh Ayu")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"users-{width}.png", full_page=True)

    page.get_by_role("link", name="Token API").click()
    page.fill("#token-label", "Situs web kantor")
    page.select_option("#token-user", "niluh")
    page.get_by_role("button", name="Buat token").click()
    expect(page.get_by_text("token hanya ditampilkan sekali")).to_be_visible()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("prp_")
    expect(page.locator("table.tokens")).to_contain_text("Situs web kantor")
    expect(page.locator("table.tokens")).to_contain_text("read")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="Kanal").first.click()
    row = page.locator("#ch-koran")
    row.get_by_role("button", name=re.compile("^Uji koneksi")).click()
    expect(page.locator("#ch-koran .check-result")).to_contain_text(
        re.compile("Koneksi (berhasil|bermasalah)")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"channels-{width}.png", full_page=True)

    page.get_by_role("link", name="Riwayat aktivitas").first.click()
    expect(page.locator("#chain")).to_contain_text("Rantai utuh")
    expect(page.locator("table.audit")).to_contain_text("token.created")
    expect(page.locator("table.audit")).to_contain_text("user.created")
