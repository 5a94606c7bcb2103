"""An editor on a phone (390 px) reads what changed since the rejection, comments
to the drafter and approves from the preview page, in real Chromium, CSRF on."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD

from publisher.models import Comment, Release, User
from publisher.services import drafting, workflow

pytestmark = pytest.mark.browser

TITLE = "Pemprov Bali Gelar Forum Keterbukaan Informasi Publik di Denpasar"
LEAD = "Diskominfos Bali mengajak badan publik memperkuat layanan informasi."
# Elements reaching past the phone's right edge, for the failure message.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 392)
  .slice(0, 12)
  .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""


@pytest.fixture
def extra_channels():
    """An X account besides the base print, radio and RSS channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


@pytest.fixture
def resubmitted(database, accounts_) -> int:
    """Rejected for its verb; the drafter changes one word and submits again."""
    with database.session() as session:
        drafter = session.query(User).filter_by(username="penyusun").one()
        editor = session.query(User).filter_by(username="editor").one()
        release = drafting.create_release(
            session,
            drafter,
            drafting.ReleaseContent(
                title=TITLE, lead=LEAD, body="Forum digelar di Denpasar.", tags=["KIP"]
            ),
        )
        workflow.submit(session, drafter, release.id)
        workflow.reject(
            session, editor, release.id, "Pilih kata kerja yang lebih tepat."
        )
        drafting.update_release(
            session,
            drafter,
            release.id,
            drafting.ReleasePatch(lead=LEAD.replace("memperkuat", "meningkatkan")),
        )
        workflow.submit(session, drafter, release.id)
        return release.id


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (page.url, width, page.evaluate(WIDER_THAN_THE_SCREEN))


def test_an_editor_reads_the_changes_comments_and_approves_on_a_phone(
    page, database, resubmitted, tmp_path
):
    from playwright.sync_api import expect

    release_id = resubmitted
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.fill("#username", "editor2")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"/releases/{release_id}")
    thread = page.locator("#comments")
    expect(thread.locator(".rejection")).to_contain_text(
        "Pilih kata kerja yang lebih tepat."
    )
    page.get_by_role("link", name="Perubahan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perubahan")
    expect(page.get_by_text("Revisi 2 dibandingkan dengan revisi 1.")).to_be_visible()
    lead = page.locator("#diff-lead")
    expect(lead.locator("del")).to_have_text("dihapus: memperkuat")
    expect(lead.locator("ins")).to_have_text("ditambahkan: meningkatkan")
    # Not colour alone: struck through and underlined.
    assert "line-through" in lead.locator("del").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert "underline" in lead.locator("ins").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    x = page.locator("#diff-ch-x_bali")
    expect(x).to_contain_text("X Diskominfos")
    expect(x.locator("ins")).to_have_text("ditambahkan: meningkatkan")
    expect(page.locator("#pick-from")).to_have_value("1")
    expect(page.locator("#pick-to")).to_have_value("2")
    _fits_the_phone(page)
    page.screenshot(path=tmp_path / "diff.png", full_page=True)

    page.fill("#comment-text", "Sudah tepat, @penyusun. Terima kasih.")
    page.get_by_role("button", name="Kirim komentar").click()
    expect(page.get_by_text("Komentar Anda telah dikirim.")).to_be_visible()
    assert re.search(r"/diff\?from=1&to=2#comments$", page.url)
    comment = page.locator("#comments li.comment").last
    expect(comment.locator(".mention")).to_have_text("@penyusun")
    expect(comment).to_contain_text("tentang revisi 2")
    _fits_the_phone(page)

    page.get_by_role("link", name="Pratinjau").first.click()
    decision = page.locator(".preview-decision")
    expect(decision.get_by_role("button", name="Tolak revisi 2")).to_be_hidden()
    decision.get_by_role("button", name="Setujui revisi 2").click()
    expect(page.get_by_text("Revisi 2 disetujui.")).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("Disetujui")
    _fits_the_phone(page)
    page.screenshot(path=tmp_path / "approved.png", full_page=True)

    with database.session() as session:
        release = session.get(Release, release_id)
        assert release.approved_revision == 2
        assert release.approved_by.username == "editor2"
        stored = session.query(Comment).one()
        assert [u.username for u in stored.mentioned_users] == ["penyusun"]
