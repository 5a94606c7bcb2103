"""The library under the API: atomic files, nothing left after a failure, shared
content kept while anyone uses it."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from publisher.models import MediaAsset, User
from publisher.services import drafting, media
from publisher.storage import LocalStorage
from publisher.uploads import Upload
from tests.media import pictures

PHOTO = pictures.encode(pictures.scene((900, 600)), quality=88)


def new_release(session, username: str = "penyusun") -> tuple[User, int]:
    """A draft by `username`: (the user, the release id)."""
    user = session.scalars(select(User).filter_by(username=username)).one()
    release = drafting.create_release(
        session, user, drafting.ReleaseContent(title="Rilis uji")
    )
    return user, release.id


def test_a_rolled_back_upload_leaves_no_file(
    database, config, storage, stored, accounts_
):
    session = database.sessions()
    try:
        user, release_id = new_release(session)
        result = media.add_media(
            session,
            config,
            storage,
            user,
            release_id,
            [Upload("a.jpg", io.BytesIO(PHOTO))],
        )
        assert len(result.added) == 1
        assert len(stored()) >= 6  # the original and the variants, written …
        session.rollback()  # … and the transaction fails afterwards
        assert stored() == set()
    finally:
        session.close()


def test_one_bad_file_does_not_stop_the_good_ones(database, config, storage, accounts_):
    with database.session() as session:
        user, release_id = new_release(session)
        result = media.add_media(
            session,
            config,
            storage,
            user,
            release_id,
            [
                Upload("baik.jpg", io.BytesIO(PHOTO)),
                Upload("rusak.jpg", io.BytesIO(pictures.truncated_jpeg())),
                Upload("jadwal.pdf", io.BytesIO(pictures.pdf())),
            ],
        )
        assert [m.asset.filename for m in result.added] == ["baik.jpg", "jadwal.pdf"]
        assert [(r.filename, r.reason) for r in result.refused] == [
            ("rusak.jpg", "damaged")
        ]
        # One edit: the draft's revision is changed in place, positions in order.
        assert [m.position for m in result.release.current.media] == [0, 1]


def test_content_shared_by_two_releases_stays_while_one_still_uses_it(
    database, config, storage, stored, accounts_
):
    with database.session() as session:
        user, first = new_release(session)
        _, second = new_release(session)
    sizes = []
    for release_id in (first, second):
        with database.session() as session:
            user = session.scalars(select(User).filter_by(username="penyusun")).one()
            media.add_media(
                session,
                config,
                storage,
                user,
                release_id,
                [Upload("a.jpg", io.BytesIO(PHOTO))],
            )
        sizes.append(len(stored()))
    assert sizes[0] == sizes[1]  # the second upload stored nothing new
    files = stored()
    with database.session() as session:
        user = session.scalars(select(User).filter_by(username="penyusun")).one()
        asset = session.scalars(
            select(MediaAsset).where(MediaAsset.release_id == first)
        ).one()
        media.remove(session, storage, user, first, asset.id)
    assert stored() == files  # the second release still shows the photo
    with database.session() as session:
        assert session.scalar(select(func.count(MediaAsset.id))) == 1
        user = session.scalars(select(User).filter_by(username="penyusun")).one()
        asset = session.scalars(select(MediaAsset)).one()
        media.remove(session, storage, user, second, asset.id)
    assert stored() == set()


def test_local_storage_writes_whole_files_under_their_hash(tmp_path):
    storage = LocalStorage(tmp_path / "media")
    key, created = storage.put(b"isi berkas", "pdf")
    assert created and key.endswith(".pdf") and len(key) == 68
    assert storage.path(key).read_bytes() == b"isi berkas"
    assert storage.put(b"isi berkas", "pdf") == (key, False)
    # No temporary file is left beside it.
    assert [p.name for p in storage.path(key).parent.iterdir()] == [key]
    for bad in ("../secret_key", "x.jpg", key.upper(), key + "/..", ""):
        with pytest.raises(ValueError):
            storage.path(bad)
    storage.delete(key)
    storage.delete(key)  # already gone: not an error
    assert not storage.exists(key)


def test_only_writers_may_change_media(database, config, storage, accounts_):
    with database.session() as session:
        user, release_id = new_release(session)
        user.role = "reader"  # a role that may not write (e.g. a future viewer)
        with pytest.raises(media.PermissionDenied):
            media.add_media(
                session,
                config,
                storage,
                user,
                release_id,
                [Upload("a.jpg", io.BytesIO(PHOTO))],
            )
        session.rollback()
