"""The media API: uploads refused with a reason naming the file, media frozen with the
approved revision, and files public only while the release is."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from publisher import rendering
from publisher.config import MediaConfig
from publisher.models import Delivery, MediaFile, Release, Revision
from tests.media import pictures
from tests.media.conftest import multipart

PHOTO = pictures.encode(pictures.scene((1600, 1200)), quality=88)


def fetch(client, url: str, **options):
    """GET `url` and close the response (it may hold a file open)."""
    with client.get(url, **options) as response:
        response.get_data()
        return response


def media_of(client, account, release_id: int) -> dict:
    """GET the release's media list."""
    response = client.get(
        f"/api/v1/releases/{release_id}/media", headers=account.headers
    )
    assert response.status_code == 200, response.json
    return response.json


def approve(client, accounts_, release_id: int) -> None:
    """Submit (as the drafter) and approve (as an editor)."""
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    submitted = client.post(
        f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
    )
    assert submitted.status_code == 200, submitted.json
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    )
    assert approved.status_code == 200, approved.json


def deliver(app, release_id: int) -> None:
    """Mark every delivery of the release sent a minute ago, as the dispatcher would."""
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        for delivery in release.deliveries:
            delivery.planned_at = delivery.sent_at = datetime.now(UTC) - timedelta(
                minutes=1
            )
            delivery.status = "sent"
        release.status = "published"


def schedule(client, accounts_, release_id: int) -> None:
    """Plan the RSS channel in an hour."""
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "mitra_online", "planned_at": later}]},
    )
    assert response.status_code == 200, response.json


def test_upload_returns_the_item_and_every_variant(client, accounts_, draft, upload):
    release_id = draft()
    response = upload(
        release_id,
        "kunjungan.jpg",
        pictures.photo_with_gps(),
        alt="Gubernur menggunting pita di Pasar Badung",
        caption="Peresmian pasar.",
        credit="Diskominfos Bali",
        focal_x="0.3",
    )
    assert response.status_code == 201, response.json
    item = response.json
    assert item["kind"] == "image" and item["filename"] == "kunjungan.jpg"
    assert item["alt"] == "Gubernur menggunting pita di Pasar Badung"
    assert item["focal_point"] == {"x": 0.3, "y": 0.5}
    assert item["public_url"] is None
    assert item["release"] == {"status": "draft", "revision": 1}
    assert set(item["files"]) == {
        "original",
        "web",
        "thumbnail",
        "og",
        "x",
        "bluesky",
        "instagram",
    }

    web = fetch(
        client, item["files"]["web"]["url"], headers=accounts_["penyusun"].headers
    )
    assert web.status_code == 200 and web.mimetype == "image/jpeg"
    assert web.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(web.data)).size == (1200, 900)
    original = fetch(
        client, item["files"]["original"]["url"], headers=accounts_["penyusun"].headers
    )
    assert original.status_code == 200
    assert not Image.open(io.BytesIO(original.data)).getexif().get_ifd(0x8825)
    assert pictures.SECRET_PLACE.encode() not in original.data


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        (
            "foto.jpg",
            b"Ini bukan foto, hanya teks.",
            "media.unsupported",
            "jenis berkas ini tidak diterima",
        ),
        (
            "rusak.jpg",
            pictures.truncated_jpeg(),
            "media.damaged",
            "rusak atau tidak lengkap",
        ),
        (
            "bom.png",
            pictures.decompression_bomb(),
            "media.too_many_pixels",
            "paling banyak 50 megapiksel",
        ),
        ("kosong.png", b"", "media.empty", "berkasnya kosong"),
        ("makro.docx", pictures.docx_with_macros(), "media.macros", "makro"),
    ],
)
def test_a_refused_upload_is_422_naming_the_file_and_stores_nothing(
    client, accounts_, draft, upload, stored, name, data, code, words
):
    release_id = draft()
    response = upload(release_id, name, data)
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
    assert response.json["code"] == code
    assert response.json["params"]["name"] == name
    assert response.json["detail"].startswith(f"{name}: ")
    assert words in response.json["detail"]
    assert response.json["fields"]["file"]["message"] == response.json["detail"]
    assert media_of(client, accounts_["penyusun"], release_id)["media"] == []
    assert stored() == set()
    release = client.get(
        f"/api/v1/releases/{release_id}", headers=accounts_["penyusun"].headers
    ).json
    assert release["revision"] == 1


@pytest.fixture
def small_limits(config):
    """Media limits small enough to hit in a test."""
    return config.model_copy(
        update={
            "media": MediaConfig(max_image_bytes=200_000, max_document_bytes=50_000)
        }
    )


def test_an_oversized_photo_is_422_with_its_size(small_limits, database, accounts_):
    from publisher import create_app

    app = create_app(small_limits)
    client = app.test_client()
    drafter = accounts_["penyusun"]
    release_id = client.post(
        "/api/v1/releases", headers=drafter.headers, json={"title": "Besar"}
    ).json["id"]
    big = pictures.encode(pictures.noisy((500, 500)), "PNG")
    response = client.post(
        f"/api/v1/releases/{release_id}/media",
        headers=drafter.headers,
        **multipart([("file", (big, "besar.png"))]),
    )
    assert response.status_code == 422
    assert response.json["code"] == "media.too_large"
    assert response.json["params"] == {
        "name": "besar.png",
        "size_bytes": len(big),
        "limit_bytes": 200_000,
    }
    shown = f"{round(len(big) / 1000)} KB"
    assert response.json["detail"] == (
        f"besar.png: ukuran berkas {shown}; paling besar 200 KB yang diterima."
    )
    app.extensions["publisher"].db.dispose()


@pytest.mark.parametrize(
    ("send", "field_code"),
    [
        ({"json": {"file": "foto.jpg"}}, "field.required"),
        (multipart([("caption", "tanpa berkas")]), "field.required"),
        (
            multipart([("file", (PHOTO, "a.jpg")), ("file", (PHOTO, "b.jpg"))]),
            "field.one_file",
        ),
        (multipart([("file", (PHOTO, "a.jpg")), ("focal_x", "2")]), None),
        (multipart([("file", (PHOTO, "a.jpg")), ("colour", "red")]), None),
    ],
)
def test_malformed_upload_requests_are_422(client, accounts_, draft, send, field_code):
    release_id = draft()
    response = client.post(
        f"/api/v1/releases/{release_id}/media",
        headers=accounts_["penyusun"].headers,
        **send,
    )
    assert response.status_code == 422, response.json
    if field_code:
        assert list(response.json["fields"]) == ["file"]
        assert response.json["fields"]["file"]["code"] == field_code


def test_the_same_file_twice_is_refused(client, accounts_, draft, upload):
    release_id = draft()
    assert upload(release_id, "a.jpg", PHOTO, alt="x").status_code == 201
    again = upload(release_id, "lagi.jpg", PHOTO, alt="x")
    assert again.status_code == 422
    assert again.json["code"] == "media.duplicate"
    assert again.json["detail"] == (
        "lagi.jpg: berkas ini sudah terlampir pada siaran pers."
    )


def test_submit_needs_alt_text_on_every_image(client, accounts_, draft, upload):
    drafter = accounts_["penyusun"]
    release_id = draft()
    photo_id = upload(release_id, "pasar.jpg", PHOTO).json["id"]
    upload(release_id, "jadwal.pdf", pictures.pdf())  # documents need none

    refused = client.post(
        f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
    )
    assert refused.status_code == 422
    assert list(refused.json["fields"]) == [f"media.{photo_id}.alt"]
    field = refused.json["fields"][f"media.{photo_id}.alt"]
    assert field["code"] == "media.alt_missing_for"
    assert field["params"] == {"name": "pasar.jpg"}
    assert "pasar.jpg" in refused.json["detail"]

    patched = client.patch(
        f"/api/v1/releases/{release_id}/media/{photo_id}",
        headers=drafter.headers,
        json={"alt": "Pedagang menata sayur di Pasar Badung"},
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["alt"] == "Pedagang menata sayur di Pasar Badung"
    submitted = client.post(
        f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
    )
    assert submitted.status_code == 200


def test_past_drafting_a_new_image_needs_alt_text_at_once(
    client, accounts_, draft, upload
):
    drafter = accounts_["penyusun"]
    release_id = draft()
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    refused = upload(release_id, "baru.jpg", PHOTO)
    assert refused.status_code == 422
    assert refused.json["code"] == "media.alt_required"
    assert refused.json["detail"].startswith("baru.jpg: isi teks alternatif")
    accepted = upload(release_id, "baru.jpg", PHOTO, alt="Suasana pasar")
    assert accepted.status_code == 201
    # In review, a change is a new revision that is already submitted.
    assert accepted.json["release"] == {"status": "in_review", "revision": 2}
    emptied = client.patch(
        f"/api/v1/releases/{release_id}/media/{accepted.json['id']}",
        headers=drafter.headers,
        json={"alt": ""},
    )
    assert emptied.status_code == 422
    assert emptied.json["fields"]["alt"]["code"] == "media.alt_not_removable"


def test_a_media_change_after_approval_is_a_new_revision_back_to_review(
    app, client, accounts_, draft, upload
):
    release_id = draft()
    first = upload(release_id, "a.jpg", PHOTO, alt="Foto pertama").json["id"]
    approve(client, accounts_, release_id)
    schedule(client, accounts_, release_id)

    second = upload(
        release_id,
        "b.jpg",
        pictures.encode(pictures.scene((900, 900))),
        alt="Foto kedua",
    )
    assert second.status_code == 201
    assert second.json["release"] == {"status": "in_review", "revision": 2}
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        assert [d.status for d in release.deliveries] == ["cancelled"]
        approved, current = release.revisions
        # The approved revision still shows exactly what the editor approved.
        assert [m.asset_id for m in approved.media] == [first]
        assert [m.alt for m in approved.media] == ["Foto pertama"]
        assert [m.asset_id for m in current.media] == [first, second.json["id"]]


def test_reorder_makes_another_image_the_lead(client, accounts_, draft, upload):
    drafter = accounts_["penyusun"]
    release_id = draft()
    a = upload(release_id, "a.jpg", PHOTO, alt="A").json["id"]
    doc = upload(release_id, "jadwal.docx", pictures.docx()).json["id"]
    b = upload(
        release_id, "b.jpg", pictures.encode(pictures.scene((800, 800))), alt="B"
    ).json["id"]
    assert media_of(client, drafter, release_id)["lead_image"] == a

    response = client.put(
        f"/api/v1/releases/{release_id}/media/order",
        headers=drafter.headers,
        json={"order": [b, doc, a]},
    )
    assert response.status_code == 200, response.json
    assert response.json["lead_image"] == b
    assert [m["id"] for m in response.json["media"]] == [b, doc, a]

    for bad in ([b, a], [b, a, doc, doc], [b, a, 999], "b,a"):
        wrong = client.put(
            f"/api/v1/releases/{release_id}/media/order",
            headers=drafter.headers,
            json={"order": bad},
        )
        assert wrong.status_code == 422, bad
        assert "order" in wrong.json["fields"]


def test_removing_deletes_files_no_revision_needs(
    client, accounts_, draft, upload, stored
):
    drafter = accounts_["penyusun"]
    release_id = draft()
    keep = upload(release_id, "a.jpg", PHOTO, alt="A").json["id"]
    before = stored()
    gone = upload(
        release_id, "salah.jpg", pictures.encode(pictures.scene((700, 500))), alt="B"
    ).json["id"]
    assert stored() > before

    response = client.delete(
        f"/api/v1/releases/{release_id}/media/{gone}", headers=drafter.headers
    )
    assert response.status_code == 204
    assert stored() == before  # the unsubmitted draft never needed them again
    assert [m["id"] for m in media_of(client, drafter, release_id)["media"]] == [keep]
    missing = client.delete(
        f"/api/v1/releases/{release_id}/media/{gone}", headers=drafter.headers
    )
    assert missing.status_code == 404


def test_removing_after_approval_keeps_the_approved_files(
    client, accounts_, draft, upload, stored
):
    release_id = draft()
    photo = upload(release_id, "a.jpg", PHOTO, alt="A").json["id"]
    approve(client, accounts_, release_id)
    files = stored()
    response = client.delete(
        f"/api/v1/releases/{release_id}/media/{photo}",
        headers=accounts_["penyusun"].headers,
    )
    assert response.status_code == 204
    assert stored() == files  # revision 1 is approved with this photo


def test_a_new_focal_point_makes_its_crops_once(app, client, accounts_, draft, upload):
    drafter = accounts_["penyusun"]
    release_id = draft()
    tall = pictures.encode(pictures.scene((900, 1800)))
    photo = upload(release_id, "tegak.jpg", tall, alt="Tegak").json["id"]

    def count() -> int:
        with app.extensions["publisher"].db.session() as session:
            return session.scalar(
                select(func.count(MediaFile.id)).where(MediaFile.asset_id == photo)
            )

    made = count()
    for focal in ({"focal_y": 0.2}, {"focal_y": 0.5}, {"focal_y": 0.2}):
        response = client.patch(
            f"/api/v1/releases/{release_id}/media/{photo}",
            headers=drafter.headers,
            json=focal,
        )
        assert response.status_code == 200, response.json
    # og, x and instagram cut this tall picture: three new files for y=0.2, once.
    assert count() == made + 3
    item = media_of(client, drafter, release_id)["media"][0]
    assert item["focal_point"] == {"x": 0.5, "y": 0.2}
    assert item["files"]["og"]["width"] == 1200


def test_public_media_only_while_the_release_is_public(
    app, client, accounts_, draft, upload
):
    release_id = draft()
    item = upload(release_id, "a.jpg", PHOTO, alt="A").json
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        config = app.extensions["publisher"].config
        [image] = rendering.snapshot(release, release.current, config).images
        keys = {f.key: f.purpose for f in release.current.media[0].asset.files}
    public = image.url.removeprefix(config.organization.public_url)
    original = next(k for k, p in keys.items() if p == "original")
    original_url = public.rsplit("/", 1)[0] + "/" + original
    assert public.endswith(".jpg") and "/media/" in public

    assert fetch(client, public).status_code == 404  # a draft
    approve(client, accounts_, release_id)
    assert fetch(client, public).status_code == 404  # approved, not delivered yet
    schedule(client, accounts_, release_id)
    deliver(app, release_id)

    response = fetch(client, public)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        fetch(
            client, public, headers={"If-None-Match": response.headers["ETag"]}
        ).status_code
        == 304
    )
    assert (
        fetch(client, original_url).status_code == 404
    )  # the print original stays private
    listed = media_of(client, accounts_["penyusun"], release_id)["media"][0]
    assert listed["public_url"] == image.url

    client.post(
        f"/api/v1/releases/{release_id}/withdraw",
        headers=accounts_["editor"].headers,
        json={"reason": "Salah foto."},
    )
    assert fetch(client, public).status_code == 404
    assert item["id"] == image.id


def test_a_published_correction_takes_the_removed_photo_offline(
    app, client, accounts_, draft, upload
):
    release_id = draft()
    upload(release_id, "salah.jpg", PHOTO, alt="Foto keliru")
    approve(client, accounts_, release_id)
    schedule(client, accounts_, release_id)
    deliver(app, release_id)
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        config = app.extensions["publisher"].config
        [image] = rendering.snapshot(release, release.current, config).images
    public = image.url.removeprefix(config.organization.public_url)
    assert fetch(client, public).status_code == 200

    # The correction removes the photo: still shown until the correction goes out …
    client.delete(
        f"/api/v1/releases/{release_id}/media/{image.id}",
        headers=accounts_["penyusun"].headers,
    )
    assert fetch(client, public).status_code == 200
    client.post(
        f"/api/v1/releases/{release_id}/approve", headers=accounts_["editor"].headers
    )
    schedule(client, accounts_, release_id)
    with app.extensions["publisher"].db.session() as session:
        for delivery in session.scalars(
            select(Delivery).join(Revision).where(Revision.number == 2)
        ):
            delivery.planned_at = delivery.sent_at = datetime.now(UTC)
            delivery.status = "sent"
    # … and gone once it has.
    assert fetch(client, public).status_code == 404


def test_the_snapshot_hands_adapters_local_files_lead_first(
    app, client, accounts_, draft, upload
):
    release_id = draft()
    pdf = pictures.hostile_pdf()
    upload(release_id, "jadwal.pdf", pdf)
    upload(release_id, "utama.jpg", PHOTO, alt="Utama", caption="Kapsi", credit="Humas")
    upload(
        release_id,
        "kedua.png",
        pictures.encode(pictures.scene((500, 500)), "PNG"),
        alt="Dua",
    )
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        snap = rendering.snapshot(
            release, release.current, app.extensions["publisher"].config
        )
    assert [i.alt for i in snap.images] == ["Utama", "Dua"]
    lead = snap.lead_image
    assert (lead.caption, lead.credit, lead.media_type) == (
        "Kapsi",
        "Humas",
        "image/jpeg",
    )
    assert (lead.width, lead.height) == (1600, 1200)  # the web size
    assert set(lead.variants) == {
        "original",
        "web",
        "thumbnail",
        "og",
        "x",
        "bluesky",
        "instagram",
    }
    for path in lead.variants.values():
        assert path.is_file()
    assert lead.variant("og").read_bytes()[:3] == b"\xff\xd8\xff"
    assert lead.url.startswith("http://127.0.0.1:5000/p/")
    [document] = snap.attachments
    assert (document.name, document.media_type) == ("jadwal.pdf", "application/pdf")
    # Adapters get the cleaned file, stored under the SHA-256 of the cleaned bytes.
    sent = document.path.read_bytes()
    assert sent != pdf and b"/JavaScript" not in sent and b"/OpenAction" not in sent
    assert document.size == len(sent)
    assert document.path.name == f"{hashlib.sha256(sent).hexdigest()}.pdf"


def test_unknown_media_and_files_are_404(client, accounts_, draft, upload):
    drafter = accounts_["penyusun"]
    release_id = draft()
    photo = upload(release_id, "a.jpg", PHOTO, alt="A").json["id"]
    for path in (
        f"/api/v1/releases/{release_id}/media/{photo}/nothing",
        f"/api/v1/releases/{release_id}/media/999/web",
        "/api/v1/releases/999/media",
        "/p/tidak-ada/media/" + "0" * 64 + ".jpg",
        "/p/tidak-ada/media/..%2F..%2Fsecret_key",
    ):
        assert fetch(client, path, headers=drafter.headers).status_code == 404, path
    assert (
        client.patch(
            f"/api/v1/releases/{release_id}/media/999",
            headers=drafter.headers,
            json={"alt": "x"},
        ).status_code
        == 404
    )


def test_openapi_lists_the_media_endpoints(client):
    paths = client.get("/api/openapi.json").json["paths"]
    upload = paths["/api/v1/releases/{release_id}/media"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    for path in (
        "/api/v1/releases/{release_id}/media/order",
        "/api/v1/releases/{release_id}/media/{asset_id}",
        "/api/v1/releases/{release_id}/media/{asset_id}/{purpose}",
    ):
        assert path in paths
