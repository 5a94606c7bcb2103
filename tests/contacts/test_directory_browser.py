"""An editor on a 390 px phone adds a contact and imports a CSV, in real Chromium
against the real app (CSRF on); a mail client's one-click unsubscribe works too."""

from __future__ import annotations

import re
import urllib.request

import pytest
from conftest import PASSWORD

pytestmark = pytest.mark.browser

BAD_CSV = (
    "name,outlet,kind,email,region,groups\n"
    "Made Arsana,Radio Dewata,radio,arsana@dewata.example,Badung,radio\n"
    "Kadek Sari,Bali TV,televisi,sari@balitv.example,Denpasar,tv\n"
)
GOOD_CSV = BAD_CSV.replace("televisi", "tv")


def test_editor_adds_a_contact_and_imports_a_csv_on_a_phone(
    page, tmp_path, config, base_url
):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.fill("#username", "editor")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))

    page.get_by_role("link", name="Kontak media").click()
    page.get_by_role("link", name="Kontak baru").click()
    page.fill("#f-name", "Ni Luh Putu Ayu")
    page.fill("#f-outlet", "Bali Post")
    page.select_option("#f-kind", "print")
    page.fill("#f-email", "ayu@balipost.example")
    page.fill("#f-region", "Denpasar")
    page.fill("#f-groups", "harian; denpasar")
    page.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text("Kontak Ni Luh Putu Ayu telah ditambahkan.")
    ).to_be_visible()
    expect(page.locator("table.stacked tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Impor CSV").click()
    bad = tmp_path / "kontak-salah.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.set_input_files("#f-file", bad)
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("Tidak ada yang diimpor.", exact=False)).to_be_visible()
    problem = page.locator("table.problems tbody tr")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text("Jenis media")

    good = tmp_path / "kontak.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    page.set_input_files("#f-file", good)
    page.get_by_role("button", name="Periksa berkas").click()
    expect(
        page.get_by_text("Berkas sudah benar: 2 kontak baru, 0 diperbarui.")
    ).to_be_visible()
    page.get_by_role("button", name="Impor kontak ini").click()
    expect(
        page.get_by_text("Impor selesai: 2 kontak ditambahkan, 0 diperbarui.")
    ).to_be_visible()
    expect(page.locator("table.stacked tbody tr")).to_have_count(3)

    page.select_option("#kind", "tv")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("table.stacked tbody tr")).to_have_count(1)
    expect(page.locator("table.stacked tbody")).to_contain_text("Kadek Sari")
    # Nothing wider than the phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=tmp_path / "kontak.png", full_page=True)

    # A mail client's one-click unsubscribe: a POST without a session or CSRF token.
    from publisher.services import contacts

    link = contacts.unsubscribe_url(config, 1).removeprefix(
        config.organization.public_url
    )
    one_click = urllib.request.Request(
        base_url + link, data=b"List-Unsubscribe=One-Click", method="POST"
    )
    with urllib.request.urlopen(one_click, timeout=10) as answer:
        assert answer.status == 200
    page.goto("/contacts?q=balipost")
    expect(page.locator("table.stacked tbody")).to_contain_text("Berhenti berlangganan")
