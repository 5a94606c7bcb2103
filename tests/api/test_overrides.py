"""A drafter's own text for one channel: counted as the network counts it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from publisher.models import FrozenRendition, Revision

URL = "https://diskominfos.example.go.id/berita/" + "sangat-panjang-" * 10


@pytest.fixture
def extra_channels():
    """An X account beside the base channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def new_release(client, account) -> int:
    """A draft release; returns its id."""
    response = client.post(
        "/api/v1/releases",
        headers=account.headers,
        json={"title": "Forum KIM", "lead": "Ringkasan.", "body": "Isi."},
    )
    return response.json["id"]


def put(client, account, release_id, channel, text):
    """PUT an override."""
    return client.put(
        f"/api/v1/releases/{release_id}/overrides/{channel}",
        headers=account.headers,
        json={"text": text},
    )


def rendition(client, account, release_id, channel) -> dict:
    """The preview of one channel."""
    listing = client.get(
        f"/api/v1/releases/{release_id}/renditions", headers=account.headers
    ).json["renditions"]
    return next(r for r in listing if r["channel"] == channel)


def test_override_is_counted_the_way_x_counts(client, accounts_):
    drafter = accounts_["penyusun"]
    release_id = new_release(client, drafter)
    text = f"Forum KIM hari ini 😀 {URL}"
    response = put(client, drafter, release_id, "x_bali", text)
    assert response.status_code == 200, response.json
    assert response.json["overrides"] == {"x_bali": text}
    shown = rendition(client, drafter, release_id, "x_bali")
    assert shown["overridden"] is True
    assert shown["text"] == text
    assert shown["length"] == len("Forum KIM hari ini ") + 2 + 1 + 23  # emoji 2, URL 23
    assert shown["limit"] == 280


def test_too_long_or_empty_text_is_refused_and_nothing_changes(client, accounts_):
    drafter = accounts_["penyusun"]
    release_id = new_release(client, drafter)
    too_long = put(client, drafter, release_id, "x_bali", "kata " * 80)
    assert too_long.status_code == 422
    # The code social.too_long, rendered in the office's language (Indonesian).
    refusal = too_long.json["fields"]["text"]
    assert refusal["code"] == "social.too_long"
    assert refusal["params"]["length"] == 399 and refusal["params"]["limit"] == 280
    assert refusal["message"] == (
        "Unggahan terlalu panjang untuk X: 399 karakter berbobot, melebihi batas 280. "
        "Persingkat secara manual."
    )
    empty = put(client, drafter, release_id, "x_bali", "   ")
    assert empty.status_code == 422
    assert rendition(client, drafter, release_id, "x_bali")["overridden"] is False


def test_channels_made_from_the_release_cannot_be_overridden(client, accounts_):
    drafter = accounts_["penyusun"]
    release_id = new_release(client, drafter)
    for channel in ("koran", "radio"):
        response = put(client, drafter, release_id, channel, "teks lain")
        assert response.status_code == 422
        assert "channel" in response.json["fields"]
    unknown = put(client, drafter, release_id, "televisi", "teks")
    assert unknown.status_code == 422


def test_override_after_approval_is_a_new_revision_and_is_what_gets_frozen(
    client, accounts_, database
):
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = new_release(client, drafter)
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    client.post(f"/api/v1/releases/{release_id}/approve", headers=editor.headers)

    changed = put(client, drafter, release_id, "x_bali", "Teks khusus untuk X.")
    assert changed.json["revision"] == 2
    assert changed.json["status"] == "in_review"
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve",
        headers=editor.headers,
        json={"revision": 2},
    )
    assert approved.status_code == 200
    with database.session() as session:
        frozen = session.scalars(
            select(FrozenRendition)
            .join(Revision)
            .where(Revision.number == 2, FrozenRendition.channel == "x_bali")
        ).one()
        assert frozen.text == "Teks khusus untuk X."
        # Stored as a code, so the page renders it in whatever language is chosen.
        assert {"code": "social.override_no_link", "params": {}} in frozen.warnings

    restored = client.delete(
        f"/api/v1/releases/{release_id}/overrides/x_bali", headers=drafter.headers
    )
    assert restored.json["revision"] == 3
    assert restored.json["overrides"] == {}
    assert "Forum KIM" in rendition(client, drafter, release_id, "x_bali")["text"]


def test_new_revision_keeps_earlier_overrides(client, accounts_):
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = new_release(client, drafter)
    put(client, drafter, release_id, "x_bali", "Teks khusus untuk X.")
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    client.post(f"/api/v1/releases/{release_id}/approve", headers=editor.headers)
    edited = client.patch(
        f"/api/v1/releases/{release_id}",
        headers=drafter.headers,
        json={"lead": "Ringkasan baru."},
    )
    assert edited.json["revision"] == 2
    assert edited.json["overrides"] == {"x_bali": "Teks khusus untuk X."}


def test_rendition_warnings_are_codes_with_a_sentence(client, accounts_):
    drafter = accounts_["penyusun"]
    release_id = new_release(client, drafter)
    put(client, drafter, release_id, "x_bali", "Teks tanpa tautan.")

    warnings = rendition(client, drafter, release_id, "x_bali")["warnings"]

    assert {
        "code": "social.override_no_link",
        "params": {},
        "message": "Teks yang disunting tidak memuat tautan ke halaman publik siaran "
        "pers.",
    } in warnings
