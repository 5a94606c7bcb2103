# ruff: noqa: F811 - fixtures from `undecided` are named again as test arguments
"""An editor on a phone (390 px wide) finds a delivery whose outcome is unknown and
resolves it, in real Chromium with CSRF on."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD
from undecided import clock, row, unknown, worker  # noqa: F401

pytestmark = pytest.mark.browser

LABEL = "Situs web mitra"
POST = "https://mitra.example/berita/rilis-123"
# Elements reaching past the phone's right edge, for the failure message.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392)
  .slice(0, 12)
  .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""


@pytest.fixture
def extra_channels(webhook_channel):
    """A partner's webhook at the local receiver, with a short read timeout."""
    return {"situs_web": {**webhook_channel, "label": LABEL, "timeout": [2, 0.3]}}


def test_an_editor_resolves_an_unknown_delivery_on_a_phone(
    page, unknown, database, receiver, tmp_path
):
    from playwright.sync_api import expect

    release_id, delivery_id = unknown
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.fill("#username", "editor")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))

    nav = page.get_by_role("link", name=re.compile("Perlu keputusan"))
    expect(nav).to_contain_text("1")
    nav.click()
    expect(page.get_by_role("heading", name="Perlu keputusan")).to_be_visible()
    page.get_by_role("link", name=re.compile("Putuskan")).click()
    page.wait_for_url(re.compile(rf"/releases/{release_id}#decide-{delivery_id}$"))

    panel = page.locator(f"#decide-{delivery_id}")
    expect(panel).to_contain_text("Hasil belum pasti")
    expect(panel).to_contain_text("dapat membuatnya tayang dua kali")
    # Resending without confirming the risk of a duplicate is not possible.
    panel.locator("textarea[name=reason]").first.fill("Belum dicek")
    panel.get_by_role("button", name=re.compile("^Kirim ulang")).click()
    expect(panel.locator("input[name=confirm_duplicate]")).to_be_visible()
    assert row(database, delivery_id).status == "unknown"

    page.screenshot(path=tmp_path / "deciding.png", full_page=True)
    # The editor finds the post on the partner's site and records it.
    sent = panel.locator("form[action$='/mark-sent']")
    sent.locator("input[name=remote_url]").fill(POST)
    sent.locator("textarea[name=reason]").fill("Sudah tayang di situs mitra")
    sent.get_by_role("button", name=re.compile("^Tandai terkirim")).click()
    expect(page.get_by_text("Pengiriman ditandai sebagai terkirim.")).to_be_visible()
    expect(page.locator("td .badge.sent")).to_have_text("Terkirim")
    link = page.get_by_role("link", name=f"Lihat di {LABEL}")
    expect(link).to_have_attribute("href", POST)
    expect(page.locator("td .decision-note")).to_contain_text(
        "Sudah tayang di situs mitra"
    )
    expect(page.locator(f"#decide-{delivery_id}")).to_have_count(0)
    nav = page.get_by_role("link", name=re.compile("Perlu keputusan"))
    expect(nav.locator(".count")).to_have_count(0)
    # Nothing is wider than the phone: the tables scroll inside their frame.
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert width <= 390, (width, wide)
    page.screenshot(path=tmp_path / "resolved.png", full_page=True)
    assert row(database, delivery_id).status == "sent"
    assert len(receiver.received) == 1  # only the first, unknown attempt
