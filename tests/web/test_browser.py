"""The whole newsroom flow in real Chromium against the real app, CSRF on."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
from conftest import PASSWORD

from publisher import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TITLE = "Pemprov Bali Gelar Forum Keterbukaan Informasi Publik di Denpasar"


@pytest.fixture
def base_url(config, database, accounts_) -> Iterator[str]:
    """The app served by waitress on a free port, exactly as in production (CSRF on)."""
    app = create_app(config)
    assert app.config.get("WTF_CSRF_ENABLED", True)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=5)
    app.extensions["publisher"].db.dispose()


@pytest.fixture
def page(base_url):
    """A fresh Chromium page; skipped when Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=base_url, locale="id-ID", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page, username: str) -> None:
    """Sign in through the login form."""
    page.goto("/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))


def test_drafter_writes_editor_approves_and_schedules(page, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, "penyusun")
    page.get_by_role("link", name="Rilis baru").first.click()
    page.fill("#f-title", TITLE)
    page.fill(
        "#f-lead",
        "Diskominfos Bali mengajak badan publik memperkuat layanan "
        "informasi yang cepat & tepat.",
    )
    page.fill(
        "#f-body",
        "Forum digelar di Gedung Dharma Negara Alaya.\n\n"
        "## Layanan daring\n\nSebanyak **120 peserta** hadir.",
    )
    page.fill("#f-tags", "PPID, KIP")
    page.fill("#f-contact_name", "I Made Dwi Prayana")
    page.fill("#f-contact_email", "publikasi@example.go.id")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Siaran pers disimpan sebagai draf.")).to_be_visible()

    page.get_by_role("link", name="Pratinjau").click()
    radio = page.locator("section.preview", has_text="NASKAH RADIO")
    expect(radio.locator("pre")).to_contain_text("cepat & tepat")  # never &amp;
    printed = page.frame_locator("iframe[title='Pratinjau Media cetak']")
    expect(printed.locator("h1")).to_have_text(TITLE)
    page.screenshot(path=tmp_path / "preview.png", full_page=True)

    page.get_by_role("button", name="Ajukan untuk persetujuan").click()
    expect(page.locator(".page-head .badge")).to_have_text("Menunggu persetujuan")
    page.get_by_role("button", name="Keluar").click()

    sign_in(page, "editor")
    page.get_by_role("link", name="Antrean persetujuan").click()
    page.get_by_role("link", name="Pratinjau dan setujui").click()
    page.get_by_role("button", name="Setujui revisi 1").click()
    expect(page.get_by_text("Revisi 1 disetujui.")).to_be_visible()

    page.get_by_role("link", name="Jadwalkan").click()
    expect(page.get_by_text("Waktu kirim (WITA)")).to_be_visible()
    page.get_by_role("button", name="Jadwalkan", exact=True).click()
    expect(page.get_by_text("Pengiriman dijadwalkan.")).to_be_visible()
    expect(page.locator("td .badge.scheduled")).to_have_count(3)
    expect(page.locator("td .badge.scheduled").first).to_have_text("Terjadwal")
    page.screenshot(path=tmp_path / "scheduled.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("td .badge.scheduled").first).to_have_text("Scheduled")
    assert (tmp_path / "preview.png").stat().st_size > 10_000
