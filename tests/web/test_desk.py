"""The dashboard per role, the menu's review count, and the release list's
search, pages and failed-delivery marker, through the Flask test client."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from webforms import login

from publisher.models import Delivery, DeliveryStatus, Release, ReleaseStatus, User
from publisher.services import drafting, workflow
from tests.conftest import plan

WITA = ZoneInfo("Asia/Makassar")


def text_of(html: str) -> str:
    """The page's words, without tags and with single spaces."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, heading_id: str) -> str:
    """The words of one dashboard section (from its heading to the next one)."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return text_of(html[start : end if end != -1 else len(html)])


def write(database, title: str, *, submit: bool = False, username="penyusun") -> int:
    """A draft by `username` (sent to review with `submit`); its id."""
    with database.session() as session:
        author = session.query(User).filter_by(username=username).one()
        content = drafting.ReleaseContent(title=title, lead="Ringkas.", body="Isi.")
        release = drafting.create_release(session, author, content)
        if submit:
            workflow.submit(session, author, release.id)
        return release.id


def change(database, delivery_id: int, **values) -> None:
    """Set a delivery's fields as the dispatcher would have left them."""
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        for name, value in values.items():
            setattr(delivery, name, value)


def tomorrow_noon() -> datetime:
    """12:00 tomorrow in the office's zone."""
    day = datetime.now(WITA).date() + timedelta(days=1)
    return datetime.combine(day, time(12), tzinfo=WITA)


@pytest.fixture
def busy_day(database, config, accounts_, approved_release):
    """Deliveries in every state the desk shows."""
    release_id = approved_release("Peresmian pasar rakyat")
    koran, radio, online = plan(
        database, config, release_id, tomorrow_noon(), "koran", "radio", "mitra_online"
    )
    change(database, radio, planned_at=datetime.now(UTC) - timedelta(minutes=5))
    other = approved_release("Lomba desa wisata")
    failed, unknown = plan(database, config, other, tomorrow_noon(), "koran", "radio")
    change(database, failed, status=DeliveryStatus.FAILED)
    change(database, unknown, status=DeliveryStatus.UNKNOWN)
    sent_release = approved_release("Penanaman mangrove")
    noon = tomorrow_noon()
    posted, odd = plan(database, config, sent_release, noon, "koran", "radio")
    now = datetime.now(UTC)
    change(
        database,
        posted,
        status=DeliveryStatus.SENT,
        sent_at=now,
        remote_url="https://mitra.example/berita/mangrove",
    )
    change(
        database,
        odd,
        status=DeliveryStatus.SENT,
        sent_at=now,
        remote_url="javascript:alert(1)",
    )
    return {"pasar": release_id, "lomba": other, "online": online}


def test_editor_desk_shows_review_problems_plan_and_posts(client, database, busy_day):
    write(database, "Rilis menunggu tinjauan", submit=True)
    login(client, "editor")
    page = client.get("/dashboard").text
    review = section(page, "review-h")
    assert "Menunggu tinjauan Anda (1)" in review
    assert "Rilis menunggu tinjauan" in review
    attention = section(page, "attention-h")
    assert "Lomba desa wisata" in attention
    assert "Gagal" in attention and "Hasil belum pasti" in attention
    assert 'href="/decisions"' in page
    today = section(page, "day-1")
    assert "Radio · Peresmian pasar rakyat" in today
    tomorrow = section(page, "day-2")
    assert "Media cetak · Peresmian pasar rakyat" in tomorrow
    assert "12.00" in tomorrow or "12:00" in tomorrow
    recent = section(page, "recent-h")
    assert "Penanaman mangrove" in recent
    assert 'href="https://mitra.example/berita/mangrove"' in page
    assert "javascript:" not in page
    # The editor's menu counts what awaits review.
    menu = re.search(
        r'href="/review"[^>]*>([^<]*)<span class="count"[^>]*>(\d+)<',
        page,
    )
    assert menu and menu.group(1).strip() == "Antrean persetujuan"
    assert menu.group(2) == "1"


def test_drafter_desk_shows_own_drafts_and_returned_work(client, database, accounts_):
    draft = write(database, "Draf pengumuman CPNS")
    returned = write(database, "Rilis yang perlu diperbaiki", submit=True)
    write(database, "Draf orang lain", username="editor")
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        workflow.reject(session, editor, returned, "Lengkapi kutipan kepala dinas.")
    login(client, "penyusun")
    page = client.get("/dashboard").text
    mine = section(page, "mine-h")
    assert "Draf pengumuman CPNS" in mine and "Rilis yang perlu diperbaiki" in mine
    assert "Lengkapi kutipan kepala dinas." in mine
    assert "Draf orang lain" not in mine
    assert 'id="review-h"' not in page and 'id="attention-h"' not in page
    assert f'href="/releases/{draft}"' in page
    # No review count for a drafter (the notifications bell may count the rejection).
    assert not re.search(r'class="count" aria-label="\d+ menunggu"', page)
    assert 'aria-label="1 belum dibaca"' in page


def test_sign_in_lands_on_the_dashboard(client, accounts_):
    response = client.post(
        "/login", data={"username": "editor", "password": "kata-sandi-uji-123"}
    )
    assert response.headers["Location"] == "/dashboard"
    assert "<h1>Dasbor</h1>" in client.get("/dashboard").text


def test_list_never_shows_a_plain_success_when_a_delivery_failed(
    client, database, busy_day
):
    with database.session() as session:
        session.get(Release, busy_day["lomba"]).status = ReleaseStatus.PUBLISHED
    login(client, "editor")
    page = text_of(client.get("/?q=lomba").text)
    assert "Terbit · 1 gagal · 1 menunggu keputusan" in page
    assert "1 gagal, 1 hasil belum pasti" in page
    detail = text_of(client.get(f"/releases/{busy_day['lomba']}").text)
    assert "Terbit · 1 gagal · 1 menunggu keputusan" in detail
    healthy = text_of(client.get("/?q=pasar").text)
    assert "gagal" not in healthy
    assert "3 terjadwal" in healthy  # deliveries column
    with database.session() as session:
        number = session.get(Release, busy_day["pasar"]).number
    assert number in healthy  # number column


def test_list_searches_filters_and_pages(client, database, accounts_):
    for n in range(55):
        write(database, f"Pengumuman nomor {n}")
    write(database, "Festival layang-layang")
    login(client, "editor")
    first = client.get("/").text
    assert len(re.findall(r'href="/releases/\d+"', first)) == 50
    next_url = unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    second = client.get(next_url).text
    assert len(re.findall(r'href="/releases/\d+"', second)) == 6
    assert 'rel="next"' not in second and "Halaman pertama" in second
    found = text_of(client.get("/?q=layang").text)
    assert "Festival layang-layang" in found and "Pengumuman nomor" not in found
    nothing = text_of(client.get("/?q=layang&status=approved").text)
    assert "Tidak ada siaran pers yang cocok." in nothing
    wrong = client.get("/?from=kemarin")
    assert wrong.status_code == 200
    assert "Masukkan tanggal seperti 2026-12-01." in wrong.text
    odd = client.get("/?q=layang%00")
    assert odd.status_code == 200 and 'id="e-q"' in odd.text


def test_the_desk_in_the_api_follows_the_role(client, database, accounts_, busy_day):
    write(database, "Rilis menunggu tinjauan", submit=True)
    write(database, "Draf kecil")
    editor = client.get("/api/v1/dashboard", headers=accounts_["editor"].headers).json
    assert editor["awaiting_review_count"] == 1
    assert [d["status"] for d in editor["needs_attention"]] == ["unknown", "failed"]
    assert [d["channel"] for d in editor["today"]] == ["radio"]
    assert {d["remote_link"] for d in editor["recently_sent"]} == {
        "https://mitra.example/berita/mangrove",
        None,
    }
    drafter = client.get("/api/v1/dashboard", headers=accounts_["penyusun"].headers)
    assert drafter.json["awaiting_review"] is None
    assert drafter.json["needs_attention"] is None
    mine = drafter.json["my_unfinished"]
    assert [r["content"]["title"] for r in mine] == ["Draf kecil"]
    assert mine[0]["deliveries_summary"]["has_problem"] is False
