"""The dashboard and the release list on a 390 px phone, in real Chromium: what an
editor sees first, and nothing that makes the page scroll sideways."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from tests.web.test_desk import busy_day, write  # noqa: F401  (fixture by name)

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_dashboard_and_list_fit_a_phone(page, busy_day, database):  # noqa: F811
    from playwright.sync_api import expect

    write(database, "Rilis menunggu tinjauan " + "panjang" * 12, submit=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login")
    page.fill("#username", "editor")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dashboard$"))

    expect(page.get_by_role("heading", name="Dasbor")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Antrean persetujuan"))
    ).to_contain_text("1")
    expect(page.locator("#attention")).to_contain_text("Lomba desa wisata")
    expect(
        page.get_by_role("link", name=re.compile("Lihat kiriman di kanal"))
    ).to_have_attribute("href", "https://mitra.example/berita/mangrove")
    assert page.evaluate(NO_SIDEWAYS)

    page.get_by_role("link", name="Semua siaran pers").click()
    page.fill("#q", "lomba")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("table")).to_contain_text("1 gagal")
    expect(page.locator("table")).not_to_contain_text("Peresmian pasar rakyat")
    assert page.evaluate(NO_SIDEWAYS)
    page.goto("/")
    expect(page.locator("table")).to_contain_text("Peresmian pasar rakyat")
    assert page.evaluate(NO_SIDEWAYS)
