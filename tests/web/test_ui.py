"""The newsroom UI through the Flask test client: what a drafter and an editor see."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select
from webforms import RELEASE, create_release, login, logout, submitted_release

from publisher.models import Delivery, Release
from publisher.web import forms

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "publisher" / "translations" / "id" / "LC_MESSAGES"
WITA = ZoneInfo("Asia/Makassar")


def local_input(moment: datetime) -> str:
    """`moment` as a datetime-local value in WITA."""
    return moment.astimezone(WITA).strftime("%Y-%m-%dT%H:%M")


def stored(app, model, **where):
    """Rows of `model` read straight from the database."""
    with app.extensions["publisher"].db.session() as session:
        rows = session.scalars(select(model).filter_by(**where)).all()
        session.expunge_all()
        return rows


def test_anonymous_user_is_sent_to_sign_in(client, accounts_):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_wrong_password_shows_the_indonesian_error(client, accounts_):
    response = client.post(
        "/login", data={"username": "penyusun", "password": "salah-sandi-sekali"}
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert 'value="penyusun"' in response.text
    assert '<html lang="id">' in response.text


def test_header_shows_user_language_switch_and_logout(client, accounts_):
    login(client, "penyusun")
    page = client.get("/").text
    assert "penyusun · Penyusun" in page
    assert 'action="/language"' in page and 'action="/logout"' in page
    assert "Rilis baru" in page
    assert "Antrean persetujuan" not in page  # the review queue is for editors


def test_drafter_creates_a_release_and_sees_it_in_the_list(client, app, accounts_):
    login(client, "penyusun")
    assert "Rilis baru" in client.get("/releases/new").text
    release_id = create_release(client, embargo_at="2030-01-02T10:00")

    detail = client.get(f"/releases/{release_id}")
    assert "Siaran pers disimpan sebagai draf." in detail.text
    # 10.00 WITA is 02.00 UTC, and it is shown back in the organization's zone.
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        assert release.current.embargo_at == datetime(2030, 1, 2, 2, 0, tzinfo=UTC)
        assert release.current.tags == ["PPID", "KIP"]
    assert "Rabu, 2 Januari 2030 pukul 10.00 WITA" in detail.text

    listing = client.get("/").text
    assert RELEASE["title"] in listing
    assert '<span class="badge draft">Draf</span>' in listing
    assert "WITA" in listing


def test_status_filter(client, accounts_):
    login(client, "penyusun")
    create_release(client)
    assert RELEASE["title"] in client.get("/?status=draft").text
    assert RELEASE["title"] not in client.get("/?status=approved").text
    assert RELEASE["title"] in client.get("/?status=bukan-status").text


def test_invalid_form_keeps_input_and_names_each_field(client, accounts_):
    login(client, "penyusun")
    response = client.post(
        "/releases/new",
        data={
            **RELEASE,
            "title": "  ",
            "contact_email": "bukan-email",
            "embargo_at": "besok pagi",
            "lead": "Ringkasan <b>tetap</b> ada",
        },
    )
    assert response.status_code == 422
    page = response.text
    assert re.search(r'id="e-title">Wajib diisi\.<', page)
    assert re.search(r'id="e-contact_email">Bukan alamat e-mail yang sah\.<', page)
    assert re.search(r'id="e-embargo_at">Gunakan tanggal dan jam', page)
    assert 'value="bukan-email"' in page
    assert 'value="besok pagi"' in page
    assert "Ringkasan &lt;b&gt;tetap&lt;/b&gt; ada" in page  # kept, and escaped
    assert "Perbaiki isian yang ditandai." in page
    assert ">Judul</a>" in page  # the summary names fields in Indonesian


def test_too_long_title_is_a_field_message_not_a_500(client, accounts_):
    login(client, "penyusun")
    response = client.post("/releases/new", data={**RELEASE, "title": "x" * 301})
    assert response.status_code == 422
    assert "Paling banyak 300 karakter." in response.text


def test_submitting_an_empty_body_names_the_field(client, accounts_):
    login(client, "penyusun")
    release_id = create_release(client, body="")
    response = client.post(f"/releases/{release_id}/submit", follow_redirects=True)
    assert "Isi: Lengkapi dulu sebelum diajukan." in response.text


def test_drafter_sees_no_editor_actions_and_gets_403_posting_them(client, accounts_):
    release_id = submitted_release(client)
    login(client, "penyusun")
    page = client.get(f"/releases/{release_id}").text
    assert "Menunggu persetujuan" in page
    assert "Setujui revisi" not in page and "Jadwalkan" not in page
    response = client.post(f"/releases/{release_id}/approve", data={"revision": "1"})
    assert response.status_code == 403
    assert "Akses ditolak" in response.text
    assert client.get(f"/releases/{release_id}/schedule").status_code == 403
    assert client.get("/review").status_code == 403
    assert "Menunggu persetujuan" in client.get(f"/releases/{release_id}").text


def test_editor_cannot_approve_own_release(client, accounts_):
    login(client, "editor")
    release_id = create_release(client)
    client.post(f"/releases/{release_id}/submit")
    page = client.get(f"/releases/{release_id}").text
    assert "Setujui revisi" not in page
    response = client.post(f"/releases/{release_id}/approve", data={"revision": "1"})
    assert response.status_code == 403
    assert "tidak dapat menyetujui revisi yang ikut ditulisnya sendiri" in response.text


def test_editor_approves_and_schedules_through_the_forms(client, app, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    queue = client.get("/review").text
    assert RELEASE["title"] in queue
    assert f"/releases/{release_id}/preview" in queue
    assert 'name="revision" value="1"' in client.get(f"/releases/{release_id}").text

    approved = client.post(
        f"/releases/{release_id}/approve", data={"revision": "1"}, follow_redirects=True
    )
    assert "Revisi 1 disetujui." in approved.text
    assert '<span class="badge approved">Disetujui</span>' in approved.text

    form = client.get(f"/releases/{release_id}/schedule").text
    assert "WITA" in form
    for label in ("Media daring mitra", "Media cetak", "Radio"):
        assert label in form
    assert form.count('type="checkbox"') == 3

    soon = datetime.now(UTC) + timedelta(hours=2)
    response = client.post(
        f"/releases/{release_id}/schedule",
        data={
            "channel": ["koran", "radio"],
            "planned_at.koran": local_input(soon),
            "planned_at.radio": local_input(soon + timedelta(hours=1)),
            "planned_at.mitra_online": "",
            "when": "planned",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    # Two times: the message names the span, in the office's zone.
    assert "Dijadwalkan mulai" in response.text and "WITA" in response.text
    assert response.text.count('<span class="badge scheduled">Terjadwal</span>') == 2
    assert "<td>Pengiriman dijadwalkan</td>" in response.text  # audit trail

    deliveries = stored(app, Delivery, release_id=release_id)
    planned = {d.channel: d.planned_at for d in deliveries}
    assert set(planned) == {"koran", "radio"}
    assert planned["koran"] == soon.replace(second=0, microsecond=0)


def test_schedule_errors_are_shown_on_their_channel_row(client, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    client.post(f"/releases/{release_id}/approve", data={"revision": "1"})
    past = datetime.now(UTC) - timedelta(days=1)
    response = client.post(
        f"/releases/{release_id}/schedule",
        data={
            "channel": ["mitra_online", "radio"],
            "planned_at.mitra_online": local_input(
                datetime.now(UTC) + timedelta(hours=1)
            ),
            "planned_at.radio": local_input(past),
            "when": "planned",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="e-radio">Waktu ini sudah lewat\.<', response.text)
    assert 'id="e-mitra_online"' not in response.text
    assert f'value="{local_input(past)}"' in response.text

    response = client.post(
        f"/releases/{release_id}/schedule",
        data={
            "channel": ["koran"],
            "planned_at.koran": "nanti sore",
            "when": "planned",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="e-koran">Gunakan tanggal dan jam', response.text)

    response = client.post(f"/releases/{release_id}/schedule", data={"when": "planned"})
    assert response.status_code == 422
    assert "Pilih setidaknya satu kanal." in response.text


def test_edit_after_approval_goes_back_to_review(client, app, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    client.post(f"/releases/{release_id}/approve", data={"revision": "1"})
    client.post(
        f"/releases/{release_id}/schedule",
        data={
            "channel": ["radio"],
            "when": "planned",
            "planned_at.radio": local_input(datetime.now(UTC) + timedelta(hours=3)),
        },
    )
    logout(client)

    login(client, "penyusun")
    edit = client.get(f"/releases/{release_id}/edit").text
    assert f'value="{RELEASE["title"]}"' in edit
    response = client.post(
        f"/releases/{release_id}/edit",
        data={**RELEASE, "title": "Judul yang diperbaiki"},
        follow_redirects=True,
    )
    assert "sebagai revisi 2" in response.text
    assert "pengiriman yang masih menunggu dibatalkan" in response.text
    assert "Menunggu persetujuan" in response.text
    assert '<span class="badge cancelled">Dibatalkan</span>' in response.text
    assert (  # the stored code, rendered in the reader's language
        "Dibatalkan: siaran pers diubah setelah disetujui dan perlu disetujui kembali."
        in response.text
    )
    assert [d.status for d in stored(app, Delivery, release_id=release_id)] == [
        "cancelled"
    ]


def test_reject_with_reason_and_without(client, accounts_):
    release_id = submitted_release(client)
    login(client, "editor")
    response = client.post(
        f"/releases/{release_id}/reject", data={"reason": " "}, follow_redirects=True
    )
    assert "Alasan: Wajib diisi." in response.text
    response = client.post(
        f"/releases/{release_id}/reject",
        data={"reason": "Lengkapi kutipan narasumber."},
        follow_redirects=True,
    )
    assert "Ditolak" in response.text
    assert "Lengkapi kutipan narasumber." in response.text


def test_approving_a_stale_revision_is_refused(client, accounts_):
    release_id = submitted_release(client)
    login(client, "penyusun")
    client.post(f"/releases/{release_id}/edit", data={**RELEASE, "title": "Baru"})
    logout(client)
    login(client, "editor")
    response = client.post(
        f"/releases/{release_id}/approve", data={"revision": "1"}, follow_redirects=True
    )
    assert "Revisi 1 sudah tidak berlaku; periksa revisi 2." in response.text
    assert "Menunggu persetujuan" in response.text


def test_preview_keeps_rendition_html_inside_a_sandboxed_frame(client, accounts_):
    login(client, "penyusun")
    release_id = create_release(client, title='Bali & "Nusa" <script>x()</script>')
    page = client.get(f"/releases/{release_id}/preview").text
    assert page.count('<iframe sandbox=""') == 2  # rss and print render HTML
    assert "NASKAH RADIO" in page  # the radio script, as text
    assert "<script>x()" not in page
    body = page.split("<main", 1)[1]
    assert "<h1 class=" not in body.replace("<h1>", "")  # no rendition HTML leaks in


def test_switching_to_english_changes_the_headings(client, accounts_):
    login(client, "penyusun")
    assert "<h1>Siaran Pers</h1>" in client.get("/").text
    response = client.post(
        "/language", data={"lang": "en", "next": "/"}, follow_redirects=True
    )
    assert "<h1>Press releases</h1>" in response.text
    assert '<html lang="en">' in response.text
    client.post("/language", data={"lang": "id", "next": "/"})
    assert "<h1>Siaran Pers</h1>" in client.get("/").text


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 2, 1, 0, 30, tzinfo=UTC), "2026-03-02T09:10"),
        (datetime(2026, 3, 2, 1, 1, tzinfo=UTC), "2026-03-02T09:15"),
        (datetime(2026, 3, 2, 15, 57, tzinfo=UTC), "2026-03-03T00:10"),
    ],
)
def test_default_planned_time_is_ten_minutes_ahead_rounded(now, expected):
    assert forms.default_planned(WITA, now) == expected


def test_indonesian_catalog_is_complete_and_compiled():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="id")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []

    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT),
            method_map=[
                ("publisher/**.py", "python"),
                ("templates/web/**.html", "jinja2"),
            ],
            keywords={
                "_": None,
                "gettext": None,
                "_l": None,
                "lazy_gettext": None,
                "N_": None,
            },
        )
    }
    missing = sorted(m for m in extracted if m not in catalog)
    assert missing == [], "run pybabel extract/update (see babel.cfg)"

    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    committed = (CATALOG / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, "run pybabel compile (see babel.cfg)"
    assert read_mo(io.BytesIO(committed)).get("Draft").string == "Draf"


def approved_and_scheduled(client, channels=("radio",)) -> int:
    """A release approved by the editor with deliveries planned; editor signed in."""
    release_id = submitted_release(client)
    login(client, "editor")
    client.post(f"/releases/{release_id}/approve", data={"revision": "1"})
    later = local_input(datetime.now(UTC) + timedelta(hours=3))
    response = client.post(
        f"/releases/{release_id}/schedule",
        data={
            "channel": list(channels),
            "when": "planned",
            **{f"planned_at.{name}": later for name in channels},
        },
    )
    assert response.status_code == 303, response.text
    return release_id


def test_editor_cancels_a_delivery_and_a_drafter_may_not(client, app, accounts_):
    release_id = approved_and_scheduled(client, ("radio", "koran"))
    [radio] = stored(app, Delivery, release_id=release_id, channel="radio")
    page = client.post(
        f"/releases/{release_id}/deliveries/{radio.id}/cancel", follow_redirects=True
    ).text
    assert "Pengiriman dibatalkan." in page
    assert '<span class="badge cancelled">Dibatalkan</span>' in page
    assert "Dibatalkan oleh editor." in page
    # Retrying something that has not failed is refused with a message, not a 500.
    page = client.post(
        f"/releases/{release_id}/deliveries/{radio.id}/retry", follow_redirects=True
    ).text
    assert (
        "Hanya pengiriman yang gagal atau belum pasti yang dapat dikirim ulang; "
        "statusnya: Dibatalkan." in page
    )
    logout(client)

    login(client, "penyusun")
    [koran] = stored(app, Delivery, release_id=release_id, channel="koran")
    assert "Batalkan" not in client.get(f"/releases/{release_id}").text
    response = client.post(f"/releases/{release_id}/deliveries/{koran.id}/cancel")
    assert response.status_code == 403
    assert stored(app, Delivery, id=koran.id)[0].status == "scheduled"


def test_editor_withdraws_with_a_reason(client, app, accounts_):
    release_id = approved_and_scheduled(client)
    page = client.post(
        f"/releases/{release_id}/withdraw", data={"reason": ""}, follow_redirects=True
    ).text
    assert "Alasan: Wajib diisi." in page
    page = client.post(
        f"/releases/{release_id}/withdraw",
        data={"reason": "Data peserta keliru."},
        follow_redirects=True,
    ).text
    assert '<span class="badge withdrawn">Ditarik</span>' in page
    assert "Data peserta keliru." in page
    assert "Dibatalkan: siaran pers telah ditarik." in page
    assert "Ubah</a>" not in page
    assert [d.status for d in stored(app, Delivery, release_id=release_id)] == [
        "cancelled"
    ]


def test_public_page_shows_a_delivered_release_to_anyone(client, app, accounts_):
    release_id = approved_and_scheduled(client, ("mitra_online",))
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        public_id = release.public_id
        for delivery in release.deliveries:  # as the dispatcher leaves a sent one
            delivery.planned_at = delivery.sent_at = datetime.now(UTC) - timedelta(
                minutes=1
            )
            delivery.status = "sent"
        release.status = "published"
    logout(client)
    page = client.get(f"/p/{public_id}")
    assert page.status_code == 200
    assert RELEASE["title"] in page.text
    assert "<strong>120 peserta</strong>" in page.text
    assert "Diterbitkan" in page.text and "WITA" in page.text
    assert client.get("/p/tidak-ada").status_code == 404


def test_files_a_delivery_sends_download_from_the_release_page(client, app, accounts_):
    """The sent PDF, DOCX and script were a file:// path on the server."""
    release_id = approved_and_scheduled(client, ("koran", "radio"))
    other = approved_and_scheduled(client, ("radio",))
    [koran] = stored(app, Delivery, release_id=release_id, channel="koran")
    with app.extensions["publisher"].db.session() as session:
        session.get(Delivery, koran.id).remote_url = "file:///srv/outbox/koran/x.pdf"
    page = client.get(f"/releases/{release_id}").text
    assert "file://" not in page
    links = re.findall(
        rf'href="(/releases/{release_id}/deliveries/\d+/files/[^"]+)"', page
    )
    assert {link.rsplit(".", 1)[-1] for link in links} == {"pdf", "docx", "txt"}
    pdf = next(link for link in links if link.endswith(".pdf"))
    response = client.get(pdf)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    wrong = pdf.replace(f"/releases/{release_id}/", f"/releases/{other}/")
    assert client.get(wrong).status_code == 404
    assert client.get(pdf.rsplit("/", 1)[0] + "/tidak-ada.pdf").status_code == 404
