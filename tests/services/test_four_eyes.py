"""Four eyes: nobody whose words a revision carries may approve it, by any path.

The drafter writes and submits; an editor slips their own words in first, through
the API or the web UI, by every kind of change a revision can take (text, a channel's
hand-written text, a photo, a caption, the order of the media, removing a file). That
editor must then be refused, and a second editor may approve.
"""

from __future__ import annotations

import pytest
from webforms import RELEASE, login, logout

from publisher.models import Release
from tests.media import pictures
from tests.media.conftest import multipart

PHOTO = pictures.encode(pictures.scene((800, 600)), quality=85)
PHOTO_2 = pictures.encode(pictures.scene((640, 480)), quality=70)
PHOTO_3 = pictures.encode(pictures.scene((700, 500)), quality=75)


@pytest.fixture
def extra_channels():
    """An X account, whose text may be rewritten by hand."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def _api_edit(client, editor, release_id, media_ids):
    return client.patch(
        f"/api/v1/releases/{release_id}",
        headers=editor.headers,
        json={"body": "Kalimat sisipan sang editor."},
    )


def _api_override(client, editor, release_id, media_ids):
    return client.put(
        f"/api/v1/releases/{release_id}/overrides/x_bali",
        headers=editor.headers,
        json={"text": "Teks X tulisan editor sendiri."},
    )


def _api_media_add(client, editor, release_id, media_ids):
    return client.post(
        f"/api/v1/releases/{release_id}/media",
        headers=editor.headers,
        **multipart([("file", (PHOTO_3, "editor.jpg")), ("alt", "Foto editor")]),
    )


def _api_caption(client, editor, release_id, media_ids):
    return client.patch(
        f"/api/v1/releases/{release_id}/media/{media_ids[0]}",
        headers=editor.headers,
        json={"caption": "Keterangan foto tulisan editor."},
    )


def _api_reorder(client, editor, release_id, media_ids):
    return client.put(
        f"/api/v1/releases/{release_id}/media/order",
        headers=editor.headers,
        json={"order": list(reversed(media_ids))},
    )


def _api_media_remove(client, editor, release_id, media_ids):
    return client.delete(
        f"/api/v1/releases/{release_id}/media/{media_ids[1]}", headers=editor.headers
    )


def _ui_edit(client, editor, release_id, media_ids):
    return client.post(
        f"/releases/{release_id}/edit",
        data={**RELEASE, "body": "Kalimat sisipan sang editor."},
    )


def _ui_override(client, editor, release_id, media_ids):
    return client.post(
        f"/releases/{release_id}/overrides/x_bali",
        data={"text": "Teks X tulisan editor sendiri."},
    )


def _ui_media_add(client, editor, release_id, media_ids):
    return client.post(
        f"/releases/{release_id}/media",
        **multipart([("file", (PHOTO_3, "editor.jpg")), ("alt", "Foto editor")]),
    )


def _ui_caption(client, editor, release_id, media_ids):
    return client.post(
        f"/releases/{release_id}/media/{media_ids[0]}",
        data={"caption": "Keterangan foto tulisan editor."},
    )


def _ui_move(client, editor, release_id, media_ids):
    return client.post(
        f"/releases/{release_id}/media/{media_ids[1]}/move", data={"where": "first"}
    )


def _ui_media_remove(client, editor, release_id, media_ids):
    return client.post(f"/releases/{release_id}/media/{media_ids[1]}/delete")


PATHS = {
    "api-edit": _api_edit,
    "api-override": _api_override,
    "api-media-add": _api_media_add,
    "api-caption": _api_caption,
    "api-reorder": _api_reorder,
    "api-media-remove": _api_media_remove,
    "ui-edit": _ui_edit,
    "ui-override": _ui_override,
    "ui-media-add": _ui_media_add,
    "ui-caption": _ui_caption,
    "ui-move": _ui_move,
    "ui-media-remove": _ui_media_remove,
}


def _drafter_release(client, drafter) -> tuple[int, list[int]]:
    """A draft by the drafter with two photos; its id and the media ids."""
    created = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={"title": RELEASE["title"], "lead": RELEASE["lead"], "body": "Isi."},
    )
    release_id = created.json["id"]
    ids = []
    for name, data in (("satu.jpg", PHOTO), ("dua.jpg", PHOTO_2)):
        sent = client.post(
            f"/api/v1/releases/{release_id}/media",
            headers=drafter.headers,
            **multipart([("file", (data, name)), ("alt", f"Foto {name}")]),
        )
        assert sent.status_code == 201, sent.json
        ids.append(sent.json["id"])
    return release_id, ids


@pytest.mark.parametrize("stage", ["draft", "in_review"])
@pytest.mark.parametrize("path", PATHS)
def test_an_editor_who_changed_a_release_cannot_approve_it(
    app, client, accounts_, path, stage
):
    drafter, editor, other = (
        accounts_["penyusun"],
        accounts_["editor"],
        accounts_["editor2"],
    )
    release_id, media_ids = _drafter_release(client, drafter)
    if stage == "in_review":
        submitted = client.post(
            f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
        )
        assert submitted.status_code == 200
    if path.startswith("ui-"):
        login(client, "editor")
    changed = PATHS[path](client, editor, release_id, media_ids)
    assert changed.status_code < 400, changed.text
    if path.startswith("ui-"):
        logout(client)
    if stage == "draft":
        submitted = client.post(
            f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
        )
        assert submitted.status_code == 200, submitted.json
    revision = client.get(
        f"/api/v1/releases/{release_id}", headers=drafter.headers
    ).json["revision"]

    refused = client.post(
        f"/api/v1/releases/{release_id}/approve",
        headers=editor.headers,
        json={"revision": revision},
    )
    assert refused.status_code == 403, refused.json

    login(client, "editor")
    page = client.get(f"/releases/{release_id}")
    assert f'action="/releases/{release_id}/approve"' not in page.text
    assert client.get(f"/releases/{release_id}/preview").status_code == 200
    assert (
        f'action="/releases/{release_id}/approve"'
        not in client.get(f"/releases/{release_id}/preview").text
    )
    by_form = client.post(
        f"/releases/{release_id}/approve", data={"revision": str(revision)}
    )
    assert by_form.status_code == 403
    logout(client)

    approved = client.post(
        f"/api/v1/releases/{release_id}/approve",
        headers=other.headers,
        json={"revision": revision},
    )
    assert approved.status_code == 200, approved.json
    with app.extensions["publisher"].db.session() as session:
        release = session.get(Release, release_id)
        names = {u.username for u in release.current.contributors}
    assert names == {"penyusun", "editor"}


def test_contributors_carry_into_later_revisions(client, accounts_):
    """Words an editor wrote in revision 1 are still theirs in revision 2."""
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id, _ = _drafter_release(client, drafter)
    _api_edit(client, editor, release_id, [])
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    client.post(
        f"/api/v1/releases/{release_id}/reject",
        headers=accounts_["editor2"].headers,
        json={"reason": "Perbaiki judul."},
    )
    fixed = client.patch(
        f"/api/v1/releases/{release_id}",
        headers=drafter.headers,
        json={"title": "Judul yang sudah diperbaiki"},
    )
    assert fixed.json["revision"] == 2
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    refused = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    )
    assert refused.status_code == 403


def test_an_untouched_release_is_approved_by_any_editor(client, accounts_):
    """The rule refuses contributors only: a reviewer who changed nothing approves."""
    drafter = accounts_["penyusun"]
    release_id, _ = _drafter_release(client, drafter)
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=accounts_["editor"].headers
    )
    assert approved.status_code == 200
