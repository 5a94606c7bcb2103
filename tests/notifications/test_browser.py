"""In real Chromium: the editor sees the bell's count, reads the notification,
opens the release and chooses what to receive (CSRF on, Bahasa Indonesia)."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD

from publisher.models import User
from publisher.services import drafting, workflow

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:
    """Sign in through the login form."""
    page.goto("/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))


def test_the_editor_reads_a_notification_and_chooses_e_mail(page, database):
    from playwright.sync_api import expect

    with database.session() as session:
        drafter = session.query(User).filter_by(username="penyusun").one()
        release = drafting.create_release(
            session,
            drafter,
            drafting.ReleaseContent(
                title="Rapat Koordinasi KIM", lead="Ringkasan.", body="Isi."
            ),
        )
        workflow.submit(session, drafter, release.id)
        release_id = release.id
    sign_in(page, "editor")
    bell = page.get_by_role("link", name=re.compile("^Notifikasi"))
    expect(bell.locator(".count")).to_have_text("1")
    expect(bell.locator(".count")).to_have_attribute("aria-label", "1 belum dibaca")
    bell.click()
    expect(page.get_by_role("heading", name="Notifikasi")).to_be_visible()
    expect(page.locator(".notification.unread")).to_contain_text(
        "mengajukan “Rapat Koordinasi KIM” untuk ditinjau (revisi 1)"
    )
    page.get_by_role("button", name="Buka rilis").click()
    page.wait_for_url(re.compile(rf"/releases/{release_id}$"))
    expect(bell.locator(".count")).to_have_count(0)

    page.goto("/notifications")
    page.get_by_role("link", name="Pengaturan notifikasi").click()
    page.fill("#f-email", "editor@diskominfos.example.go.id")
    page.get_by_label("Pengiriman gagal · Lewat surel").uncheck()
    page.get_by_label(re.compile("^Ringkasan harian")).check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".flash")).to_contain_text("Pengaturan notifikasi Anda")
    expect(page.locator("#f-email")).to_have_value("editor@diskominfos.example.go.id")
    expect(page.get_by_label("Pengiriman gagal · Lewat surel")).not_to_be_checked()
    expect(page.get_by_label("Pengiriman gagal · Di aplikasi")).to_be_checked()
    expect(page.get_by_label(re.compile("^Ringkasan harian"))).to_be_checked()
