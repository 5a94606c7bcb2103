"""The whole newsroom flow in real Chromium against the real app, CSRF on."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Pemprov Bali Gelar Forum Keterbukaan Informasi Publik di Denpasar"


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
    expect(page.get_by_text("Dijadwalkan untuk")).to_be_visible()
    expect(page.locator("td .badge.scheduled")).to_have_count(3)
    expect(page.locator("td .badge.scheduled").first).to_have_text("Terjadwal")
    page.screenshot(path=tmp_path / "scheduled.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("td .badge.scheduled").first).to_have_text("Scheduled")
    assert (tmp_path / "preview.png").stat().st_size > 10_000
