"""Review in the web UI: the comment thread, the changes page, and deciding from
the preview page, through Flask's test client."""

from __future__ import annotations

import re

import pytest
from webforms import RELEASE, login, logout, submitted_release

from publisher.models import Comment


@pytest.fixture
def extra_channels():
    """An X account besides the base print, radio and RSS channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def _rejected_and_resubmitted(client) -> int:
    """Rejected for one wrong number; the drafter fixes it and submits again.
    Nobody is signed in afterwards."""
    release_id = submitted_release(client)
    login(client, "editor")
    client.post(f"/releases/{release_id}/reject", data={"reason": "Cek angka."})
    logout(client)
    login(client, "penyusun")
    fixed = {**RELEASE, "lead": RELEASE["lead"].replace("memperkuat", "meningkatkan")}
    assert client.post(f"/releases/{release_id}/edit", data=fixed).status_code == 303
    assert client.post(f"/releases/{release_id}/submit").status_code == 303
    logout(client)
    return release_id


def test_a_comment_with_a_mention_shows_in_the_thread(client, app, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    response = client.post(
        f"/releases/{release_id}/comments",
        data={"text": "Mohon @penyusun cek kutipan; @tamu tidak ada.", "revision": "1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/releases/{release_id}#comments")
    page = client.get(f"/releases/{release_id}").text
    assert "Komentar Anda telah dikirim." in page
    thread = page[page.index('id="comments"') :]
    assert '<strong class="mention">@penyusun</strong>' in thread
    assert "@tamu tidak ada" in thread and 'class="mention">@tamu' not in thread
    assert "tentang revisi 1" in thread
    assert "Disebut: penyusun" in thread
    assert "Komentar dikirim" in page  # the audit trail
    with app.app_context():
        session = app.extensions["publisher"].db.sessions()
        stored = session.query(Comment).one()
        assert [u.username for u in stored.mentioned_users] == ["penyusun"]
        session.close()


def test_hostile_comment_text_is_shown_as_text_and_links_are_safe(client, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    hostile = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "javascript:alert(2) https://diskominfos.example.go.id/a?b=1&c=2. "
        'http://x.example/"onmouseover="alert(3)'
    )
    client.post(f"/releases/{release_id}/comments", data={"text": hostile})
    page = client.get(f"/releases/{release_id}").text
    thread = page[page.index('id="comments"') :]
    assert "<script>alert" not in thread and "<img src=x" not in thread
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in thread
    assert 'href="javascript' not in thread
    assert (
        '<a href="https://diskominfos.example.go.id/a?b=1&amp;c=2" '
        'rel="nofollow noopener noreferrer">'
    ) in thread
    links = re.findall(r'<a href="([^"]*)"', thread)
    assert all(
        link.startswith("https://") or link.startswith("http://") for link in links
    )
    assert 'onmouseover="alert' not in thread


def test_only_those_who_write_may_comment(client, accounts_):
    release_id = submitted_release(client)
    anonymous = client.post(f"/releases/{release_id}/comments", data={"text": "Hai"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for name in ("penyusun", "editor", "admin"):
        login(client, name)
        posted = client.post(f"/releases/{release_id}/comments", data={"text": name})
        assert posted.status_code == 303, name
        logout(client)
    login(client, "editor")
    page = client.get(f"/releases/{release_id}").text
    assert page.count('<li class="comment"') == 3
    empty = client.post(
        f"/releases/{release_id}/comments", data={"text": "  "}, follow_redirects=True
    )
    assert "Teks: Wajib diisi." in empty.text
    assert client.post("/releases/999/comments", data={"text": "?"}).status_code == 404


def test_the_rejection_reason_is_part_of_the_thread(client, accounts_):
    release_id = _rejected_and_resubmitted(client)
    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}").text
    thread = _section(page, "comments")
    assert 'class="comment rejection"' in thread and "Cek angka." in thread
    submitted = "Diajukan untuk persetujuan"
    assert thread.count(submitted) == 2
    assert (
        thread.index(submitted) < thread.index("Cek angka.") < thread.rindex(submitted)
    )


def test_the_changes_page_marks_the_changed_words_in_text_and_on_x(client, accounts_):
    release_id = _rejected_and_resubmitted(client)
    login(client, "editor")
    page = client.get(f"/releases/{release_id}/diff").text
    assert "Revisi 2 dibandingkan dengan revisi 1." in page
    lead = _section(page, "diff-lead")
    assert _marked(lead) == (["memperkuat"], ["meningkatkan"])
    assert '<span class="visually-hidden">dihapus: </span>memperkuat' in lead
    assert '<span class="visually-hidden">ditambahkan: </span>meningkatkan' in lead
    x = _section(page, "diff-ch-x_bali")
    assert "X Diskominfos" in x
    assert _marked(x) == (["memperkuat"], ["meningkatkan"])
    printed = _section(page, "diff-ch-koran")  # the letterhead is folded away
    assert re.search(r'<span class="skipped">⋯ \d+ baris tidak berubah ⋯', printed)
    assert _marked(printed) == (["memperkuat"], ["meningkatkan"])
    unchanged = page[page.index("Tidak berubah:") :].split("</p>")[0]
    assert "Judul" in unchanged and "Isi" in unchanged
    assert 'id="diff-title"' not in page and 'id="diff-body"' not in page
    picker = page[page.index('class="panel inline-form revision-picker"') :]
    assert '<option value="1" selected>' in picker.replace("\n", "").replace("  ", "")


def test_the_review_queue_links_a_resubmitted_release_to_its_changes(client, accounts_):
    first = submitted_release(client)
    again = _rejected_and_resubmitted(client)
    login(client, "editor")
    queue = client.get("/review").text
    assert f"/releases/{again}/diff" in queue
    assert f"/releases/{first}/diff" not in queue  # one revision: nothing to compare


def test_the_picker_and_a_wrong_revision(client, accounts_):
    release_id = _rejected_and_resubmitted(client)
    login(client, "editor")
    same = client.get(f"/releases/{release_id}/diff?from=2&to=2").text
    assert "Kedua sisi memuat revisi yang sama" in same
    assert "<ins>" not in same.split('class="diff-legend')[1].split("</p>", 1)[1]
    wrong = client.get(f"/releases/{release_id}/diff?from=1&to=9")
    assert wrong.status_code == 422
    assert "Sampai revisi: Siaran pers ini tidak memiliki revisi 9." in wrong.text
    assert "Revisi 2 dibandingkan dengan revisi 1." in wrong.text  # the default
    assert client.get(f"/releases/{release_id}/diff?from=abc").status_code == 200


def test_a_comment_posted_from_the_changes_page_returns_there(client, accounts_):
    release_id = _rejected_and_resubmitted(client)
    login(client, "editor")
    response = client.post(
        f"/releases/{release_id}/comments",
        data={
            "text": "Angka sudah benar.",
            "revision": "2",
            "back": "diff",
            "from": "1",
            "to": "2",
        },
    )
    assert response.headers["Location"].endswith(
        f"/releases/{release_id}/diff?from=1&to=2#comments"
    )
    sneaky = client.post(
        f"/releases/{release_id}/comments",
        data={"text": "x", "back": "https://evil.example/"},
    )
    assert sneaky.headers["Location"].endswith(f"/releases/{release_id}#comments")


def test_approve_from_the_preview_page(client, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    page = client.get(f"/releases/{release_id}/preview").text
    assert "Setujui revisi 1" in page and "Tolak revisi 1" in page
    form = page[page.index(f'action="/releases/{release_id}/approve"') :]
    assert 'name="revision" value="1"' in form.split("</form>")[0]
    approved = client.post(
        f"/releases/{release_id}/approve", data={"revision": "1"}, follow_redirects=True
    )
    assert "Revisi 1 disetujui." in approved.text
    assert "Setujui revisi" not in client.get(f"/releases/{release_id}/preview").text


def test_reject_from_the_preview_page_needs_a_reason(client, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    page = client.get(f"/releases/{release_id}/preview").text
    reject = page[page.index(f'action="/releases/{release_id}/reject"') :]
    assert re.search(
        r'<textarea id="preview-reject-reason" name="reason"[^>]* required', reject
    )
    refused = client.post(
        f"/releases/{release_id}/reject", data={"reason": " "}, follow_redirects=True
    )
    assert "Alasan: Wajib diisi." in refused.text
    assert "Menunggu persetujuan" in refused.text
    rejected = client.post(
        f"/releases/{release_id}/reject",
        data={"reason": "Kutipan belum dikonfirmasi."},
        follow_redirects=True,
    )
    assert "Siaran pers dikembalikan kepada penyusunnya." in rejected.text
    assert "Kutipan belum dikonfirmasi." in rejected.text


def test_the_preview_offers_no_decision_to_those_who_may_not_decide(client, accounts_):
    release_id = submitted_release(client)
    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}/preview").text
    assert "Setujui revisi" not in page and "Tolak revisi" not in page
    logout(client)
    login(client, "editor")
    mine = _own_submitted(client)
    page = client.get(f"/releases/{mine}/preview").text
    assert "Setujui revisi" not in page
    assert "editor lain yang harus" in page
    assert (
        "Tolak revisi 1" in page
    )  # rejecting one's own is allowed, as on the release page


def _own_submitted(client) -> int:
    response = client.post("/releases/new", data=RELEASE)
    release_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    client.post(f"/releases/{release_id}/submit")
    return release_id


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def _marked(html: str) -> tuple[list[str], list[str]]:
    """(removed, added) words as a reader sees them, screen-reader labels aside."""

    def words(tag: str) -> list[str]:
        found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
        return [re.sub(r"<span[^>]*>.*?</span>", "", f).strip() for f in found]

    return words("del"), words("ins")
