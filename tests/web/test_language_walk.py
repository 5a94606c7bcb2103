"""Every message the UI shows speaks the reader's language: a walk in real Chromium.

A drafter and an editor go through the main pages in Bahasa Indonesia, hitting the
messages people meet in a first week: field errors, a refused upload, preview
warnings, a refused approval, a channel that cannot send, a delivery a partner
refused and its retry. No English sentence may show outside user content and a
remote's own words (marked `.remote`). The same walk in English shows every
message in English.
"""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD
from support import Reply

from publisher.db import Database
from publisher.dispatcher import Dispatcher

pytestmark = pytest.mark.browser

# Words of English grammar that Indonesian text does not use; a line with two of
# them is an English sentence.
ENGLISH = frozenset(
    "the is are was were cannot will would should has have this that these with "
    "from your you of to for and not after before please only which when there "
    "been be must could into than".split()
)
# The same for Indonesian, to check the English walk.
INDONESIAN = frozenset(
    "yang dan tidak untuk dengan ini itu akan sudah belum dari pada atau harus "
    "dapat telah sebelum setelah hanya belum oleh karena".split()
)
WORD = re.compile(r"[a-z]+")

# The messages the product wrote on the page (flashes, field errors, warnings,
# notices, delivery errors), without the words they quote (`<q>`: user content or
# a remote's message).
MESSAGES = """(selectors) => {
  const out = [];
  for (const el of document.querySelectorAll(selectors)) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('q, .remote').forEach((q) => q.remove());
    const text = copy.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out;
}"""
MESSAGE_SELECTORS = ".flash li, .error-text, .warnings li, .notice, td.delivery-error"

# Visible text of the page, one entry per line, outside user content and quotes of
# a remote (`.remote`), the rendition previews' frames, and form fields' values.
VISIBLE_LINES = """() => {
  const skip = 'iframe, textarea, script, style, q, .remote, [data-user-content]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const lines = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    for (const line of node.textContent.split('\\n')) {
      if (line.trim()) lines.push(line.trim());
    }
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    if (el.closest(skip)) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) {
      if (el.getAttribute(a)) lines.push(el.getAttribute(a));
    }
  }
  return lines;
}"""

BODY = (
    "Pemerintah Provinsi Bali melalui Dinas Komunikasi, Informatika dan Statistik "
    "menggelar forum keterbukaan informasi publik yang dihadiri oleh seratus dua "
    "puluh peserta dari badan publik se-Bali pada Senin pagi di Denpasar untuk "
    "membahas layanan informasi yang cepat, tepat, dan dapat dipertanggungjawabkan "
    "kepada masyarakat luas di seluruh kabupaten dan kota.\n\n"
    "Sebanyak **120 peserta** hadir."
)


@pytest.fixture
def extra_channels(receiver):
    """A partner's webhook that refuses (in English) and an X account."""
    receiver.default = Reply(400, {"error": "Invalid payload: signature mismatch"})
    return {
        "situs_mitra": {
            "adapter": "webhook",
            "label": "Situs mitra",
            "url": receiver.url,
            "secret": "rahasia-uji-yang-panjang",
            "allow_networks": ["127.0.0.0/8"],
        },
        "x_bali": {"adapter": "x", "label": "X Diskominfos"},
    }


@pytest.fixture
def dispatcher(config, database: Database):
    """The dispatcher, in this process, as `publisher run` has it."""
    worker = Dispatcher(config, database)
    worker.start()
    yield worker
    worker.shutdown()


def foreign_lines(page, language: str) -> list[str]:
    """Lines of the page written in the other language."""
    other = ENGLISH if language == "id" else INDONESIAN
    found = []
    for line in page.evaluate(VISIBLE_LINES):
        words = set(WORD.findall(line.lower()))
        if len(words & other) >= 2:
            found.append(line)
    return found


class Walk:
    """Visits pages and records any line in the wrong language, with the page."""

    def __init__(self, page, language: str) -> None:
        self.page = page
        self.language = language
        self.problems: dict[str, list[str]] = {}
        self.messages: list[str] = []

    def check(self, where: str) -> None:
        """Look at the page as it is now: in Indonesian every visible line outside
        user content; in either language every message the product wrote."""
        if self.language == "id":
            lines = foreign_lines(self.page, self.language)
            if lines:
                self.problems[where] = lines
        self.messages.extend(self.page.evaluate(MESSAGES, MESSAGE_SELECTORS))

    def sign_in(self, username: str) -> None:
        """Sign in (and choose the walk's language once)."""
        page = self.page
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/(dashboard)?$"))
        current = page.locator("html").get_attribute("lang")
        if current != self.language:
            label = "English" if self.language == "en" else "Bahasa Indonesia"
            page.get_by_role("button", name=label).click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == self.language

    def sign_out(self) -> None:
        """Sign out through the header's form."""
        self.page.locator("form[action='/logout'] button").click()


def walk(page, receiver, language: str) -> Walk:
    """The first week of an office, in `language`; returns what was seen."""
    w = Walk(page, language)
    w.sign_in("penyusun")
    w.check("list")
    page.goto("/releases/new")
    w.check("new release form")
    page.fill("#f-contact_email", "bukan-surel")
    page.locator("form.panel button[type=submit]").click()
    w.check("new release form with errors")
    page.fill("#f-title", "Forum Keterbukaan Informasi Publik di Denpasar")
    page.fill("#f-lead", "Diskominfos Bali mengajak badan publik memperkuat layanan.")
    page.fill("#f-body", BODY)
    page.fill("#f-contact_email", "publikasi@example.go.id")
    page.locator("form.panel button[type=submit]").click()
    page.wait_for_url(re.compile(r"/releases/\d+$"))
    release_url = page.url
    w.check("release page")

    page.goto(release_url + "/media")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"bukan foto"}],
    )
    page.locator("form[enctype='multipart/form-data'] button.primary").click()
    w.check("media page with a refused upload")

    page.goto(release_url + "/preview")
    w.check("preview with warnings")
    page.goto(release_url)
    page.locator("form[action$='/submit'] button").first.click()
    w.check("submitted")
    w.sign_out()

    w.sign_in("editor")
    page.goto("/review")
    w.check("review queue")
    page.goto(release_url + "/preview")
    w.check("preview for the editor")
    page.locator("form[action$='/approve'] button").first.click()
    w.check("approved")

    page.goto(release_url + "/schedule")
    w.check("schedule form")
    # A channel that cannot send by itself is offered, explained, but not ticked.
    x_box = page.locator("input[name=channel][value=x_bali]")
    assert x_box.is_disabled() and not x_box.is_checked()
    w.messages.extend(page.locator(".preview-only").all_inner_texts())
    for box in page.locator("input[name=channel]:not([disabled])").all():
        if box.get_attribute("value") != "situs_mitra":
            box.uncheck()
    page.locator("input[name=channel][value=situs_mitra]").check()
    page.locator("button[name=when][value=now]").click()
    page.wait_for_url(re.compile(r"/releases/\d+$"))
    receiver.wait_for(1)
    for _ in range(50):
        page.reload()
        if page.locator("td .badge.failed").count():
            break
        page.wait_for_timeout(200)
    w.check("release page with a failed delivery")
    page.locator("form[action*='/retry'] button").first.click()
    w.check("retried")
    return w


def test_the_first_week_in_indonesian_shows_no_english(page, receiver, dispatcher):
    seen = walk(page, receiver, "id")
    assert seen.problems == {}
    assert len(seen.messages) >= 6, seen.messages  # the walk met real messages


def test_the_same_walk_in_english_shows_english(page, receiver, dispatcher):
    seen = walk(page, receiver, "en")
    assert seen.problems == {}
    indonesian = [
        m for m in seen.messages if len(set(WORD.findall(m.lower())) & INDONESIAN) >= 2
    ]
    assert indonesian == []
