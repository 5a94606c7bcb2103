"""The media page in Bahasa Indonesia: what a drafter sees when uploading,
describing, ordering and removing photos and documents."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD

from publisher import create_app
from publisher.config import MediaConfig
from tests.media import pictures
from tests.media.conftest import multipart

PHOTO = pictures.encode(pictures.scene((1200, 900)), quality=88)


def login(client, username: str = "penyusun") -> None:
    """Sign in through the form."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303


def send_files(client, release_id: int, files, **fields):
    """Upload through the media page's form; the page shown afterwards."""
    return client.post(
        f"/releases/{release_id}/media",
        **multipart([*(("file", f) for f in files), *fields.items()]),
        follow_redirects=True,
    )


def flashes(page: str) -> list[str]:
    """The messages at the top of the page."""
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<li class="\w+">(.*?)</li>', page, re.S)
    ]


def ids(page: str) -> list[int]:
    """The media items on the page, in order."""
    return [
        int(i)
        for i in re.findall(r'<article class="panel[^"]*" id="media-(\d+)"', page)
    ]


@pytest.fixture
def signed_in(client, accounts_, draft):
    """The drafter, signed in, with a fresh draft; its id."""
    release_id = draft()
    login(client)
    return release_id


def test_the_page_offers_a_drop_zone_with_a_plain_file_field(client, signed_in):
    page = client.get(f"/releases/{signed_in}/media").text
    assert "<h1>Foto dan lampiran</h1>" in page
    assert 'enctype="multipart/form-data"' in page and "data-dropzone" in page
    assert 'type="file" name="file" multiple' in page
    assert "media.js" in page
    assert "Belum ada foto." in page


def test_upload_adds_good_files_and_names_the_refused_one(client, signed_in, stored):
    page = send_files(
        client,
        signed_in,
        [
            (PHOTO, "pasar.jpg"),
            (b"%PDF-1.4 terpotong", "jadwal.pdf"),
            (pictures.docx(), "lampiran.docx"),
        ],
        caption="Peresmian Pasar Badung",
    ).text
    messages = flashes(page)
    assert (
        "jadwal.pdf: berkas rusak atau tidak lengkap. Simpan atau unduh ulang "
        "berkasnya." in messages
    )
    assert "2 berkas ditambahkan." in messages
    assert "pasar.jpg" in page and "lampiran.docx" in page
    assert "Foto utama" in page
    assert "Foto tanpa teks alternatif tidak dapat diajukan untuk persetujuan:" in page
    assert page.count("Peresmian Pasar Badung") >= 2  # caption on both items


def test_a_non_image_named_jpg_is_refused_in_indonesian(client, signed_in, stored):
    page = send_files(client, signed_in, [(b"<html></html>", "foto.jpg")]).text
    assert flashes(page) == [
        "foto.jpg: jenis berkas ini tidak diterima. Unggah foto sebagai JPEG, PNG, "
        "WebP, atau HEIC, dan dokumen sebagai PDF atau DOCX."
    ]
    assert stored() == set()


def test_no_file_chosen_is_a_message_not_an_error(client, signed_in):
    page = send_files(client, signed_in, [], caption="x").text
    assert flashes(page) == ["Pilih setidaknya satu berkas."]


def test_alt_text_then_submit(client, signed_in):
    send_files(client, signed_in, [(PHOTO, "pasar.jpg")])
    detail = client.get(f"/releases/{signed_in}").text
    assert "1 foto belum memiliki teks alternatif" in detail
    page = client.post(f"/releases/{signed_in}/submit", follow_redirects=True).text
    assert (
        "Foto dan lampiran: Tambahkan teks alternatif untuk pasar.jpg sebelum "
        "diajukan untuk persetujuan." in flashes(page)
    )

    media_page = client.get(f"/releases/{signed_in}/media").text
    [photo] = ids(media_page)
    saved = client.post(
        f"/releases/{signed_in}/media/{photo}",
        data={
            "alt": "Pedagang menata sayur",
            "caption": "Pasar Badung",
            "credit": "Humas",
            "focal_x": "0.25",
            "focal_y": "0.40",
        },
        follow_redirects=True,
    ).text
    assert "Perubahan disimpan." in flashes(saved)
    assert 'value="0.25"' in saved and "Pedagang menata sayur</textarea>" in saved
    page = client.post(f"/releases/{signed_in}/submit", follow_redirects=True).text
    assert "Siaran pers diajukan untuk persetujuan." in flashes(page)


def test_a_bad_focal_point_is_named(client, signed_in):
    send_files(client, signed_in, [(PHOTO, "pasar.jpg")], alt="Pasar")
    [photo] = ids(client.get(f"/releases/{signed_in}/media").text)
    page = client.post(
        f"/releases/{signed_in}/media/{photo}",
        data={"focal_x": "1.5"},
        follow_redirects=True,
    ).text
    assert flashes(page) == ["Titik fokus: Gunakan angka dari 0 sampai 1."]


def test_make_another_photo_the_lead_then_remove_it(client, signed_in, stored):
    other = pictures.encode(pictures.scene((800, 800)))
    send_files(client, signed_in, [(PHOTO, "a.jpg"), (other, "b.jpg")], alt="Foto")
    first, second = ids(client.get(f"/releases/{signed_in}/media").text)
    page = client.post(
        f"/releases/{signed_in}/media/{second}/move",
        data={"where": "first"},
        follow_redirects=True,
    ).text
    assert ids(page) == [second, first]
    lead = page.index('<span class="badge approved">Foto utama</span>')
    assert page.index("b.jpg") > lead > page.index(f'id="media-{second}"')

    page = client.post(
        f"/releases/{signed_in}/media/{second}/delete", follow_redirects=True
    ).text
    assert "Berkas dihapus dari siaran pers." in flashes(page)
    assert ids(page) == [first]


def test_a_change_after_approval_warns_that_review_starts_again(
    client, accounts_, signed_in
):
    send_files(client, signed_in, [(PHOTO, "a.jpg")], alt="Foto")
    client.post(f"/releases/{signed_in}/submit")
    client.post("/logout")
    login(client, "editor")
    client.post(f"/releases/{signed_in}/approve", data={"revision": "1"})
    page = client.get(f"/releases/{signed_in}/media").text
    assert "Siaran pers ini sudah disetujui." in page
    [photo] = ids(page)
    page = client.post(
        f"/releases/{signed_in}/media/{photo}",
        data={"caption": "Keterangan baru"},
        follow_redirects=True,
    ).text
    assert any("revisi 2" in m and "dibatalkan" in m for m in flashes(page))


def test_signed_in_users_see_files_anonymous_visitors_do_not(client, signed_in):
    send_files(client, signed_in, [(PHOTO, "a.jpg")], alt="Foto")
    page = client.get(f"/releases/{signed_in}/media").text
    thumbnail = re.search(
        r'<img src="(/releases/\d+/media/files/[0-9a-f.a-z]+)"', page
    )[1]
    with client.get(thumbnail) as response:
        assert response.status_code == 200
        assert (
            response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
        )
    client.post("/logout")
    with client.get(thumbnail) as response:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_an_upload_over_the_form_limit_says_what_fits(
    config, database, accounts_, tmp_path
):
    small = config.model_copy(
        update={"media": MediaConfig(max_image_bytes=20_000, max_document_bytes=10_000)}
    )
    app = create_app(small)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    login(client)
    page = client.post(
        "/releases/new",
        data={"title": "Rilis", "language": "id"},
        follow_redirects=True,
    )
    release_id = int(re.search(r"/releases/(\d+)/media", page.text)[1])
    big = pictures.encode(pictures.noisy((800, 800)), "PNG")  # ~1.9 MB
    page = send_files(client, release_id, [(big, "besar.png")]).text
    assert flashes(page) == [
        "Unggahan terlalu besar. Kirim paling banyak 10 berkas sekaligus, foto "
        "paling besar 20 KB dan dokumen paling besar 10 KB per berkas."
    ]
    app.extensions["publisher"].db.dispose()


def test_csrf_is_checked_on_uploads(config, database, accounts_, draft):
    app = create_app(config)
    app.config.update(TESTING=True)  # CSRF stays on, as in production
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    client.post(
        "/login",
        data={"username": "penyusun", "password": PASSWORD, "csrf_token": token},
    )
    release_id = draft()
    refused = client.post(
        f"/releases/{release_id}/media", **multipart([("file", (PHOTO, "a.jpg"))])
    )
    assert refused.status_code == 400
    page = client.get(f"/releases/{release_id}/media").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    accepted = client.post(
        f"/releases/{release_id}/media",
        **multipart([("csrf_token", token), ("file", (PHOTO, "a.jpg"))]),
    )
    assert accepted.status_code == 303
    app.extensions["publisher"].db.dispose()
