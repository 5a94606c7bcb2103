"""Hostile input gets a clear 4xx naming the problem, never a 500, and loses nothing.

Each case was an HTTP 500 in the security review (issue 12).
"""

from __future__ import annotations

import pytest

from publisher.models import Revision


def post_release(client, account, **fields):
    """POST a release with these fields (title given unless overridden)."""
    return client.post(
        "/api/v1/releases",
        headers=account.headers,
        json={"title": "Rilis uji", **fields},
    )


@pytest.mark.parametrize("depth", [50, 5000, 100_000])
def test_deeply_nested_json_is_422(client, accounts_, depth):
    body = "[" * depth + "]" * depth
    response = client.post(
        "/api/v1/releases",
        headers={**accounts_["penyusun"].headers, "Content-Type": "application/json"},
        data=body,
    )
    assert response.status_code == 422
    assert response.json["code"] == "input.too_deep"


def test_brackets_inside_strings_do_not_count_as_nesting(client, accounts_):
    response = post_release(client, accounts_["penyusun"], body="[" * 500 + "{" * 500)
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/releases/99999999999999999999",
        "/api/v1/releases/2147483648",
        "/api/v1/releases/2147483648/renditions",
        "/api/v1/deliveries/99999999999999999999/retry",
    ],
)
def test_ids_beyond_the_database_range_are_404(client, accounts_, path):
    headers = accounts_["editor"].headers
    response = (client.post if path.endswith("retry") else client.get)(
        path, headers=headers
    )
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_a_filter_id_beyond_range_is_422(client, accounts_):
    response = client.get(
        "/api/v1/deliveries?release_id=99999999999999999999",
        headers=accounts_["editor"].headers,
    )
    assert response.status_code == 422
    assert response.json["fields"]["release_id"]["code"] == "field.not_integer"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9999-12-31T23:00:00-14:00", "field.datetime_range"),
        ("0001-01-01T00:00:00+14:00", "field.datetime_range"),
        ("1900-01-01T10:00:00+08:00", "field.datetime_range"),
        (1767225600, "field.not_datetime"),
        ("1767225600", "field.not_datetime"),
        ("2026-12-01T10:00:00", "field.needs_offset"),
        (True, "field.not_datetime"),
    ],
)
def test_embargo_times_are_checked_after_conversion(client, accounts_, value, code):
    response = post_release(client, accounts_["penyusun"], embargo_at=value)
    assert response.status_code == 422, response.json
    assert response.json["fields"]["embargo_at"]["code"] == code


def test_planned_times_are_checked_after_conversion(
    client, accounts_, approved_release
):
    release_id = approved_release()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={
            "deliveries": [
                {"channel": "radio", "planned_at": "9999-12-31T23:59:00-14:00"}
            ]
        },
    )
    assert response.status_code == 422
    assert (
        response.json["fields"]["deliveries.0.planned_at"]["code"]
        == "field.datetime_range"
    )


CONTROL = "Judul\x00 dengan\x0bbaris\x1b baru\ufffe"


def test_control_characters_are_removed_where_text_enters(app, client, accounts_):
    drafter = accounts_["penyusun"]
    created = post_release(
        client,
        drafter,
        title=CONTROL,
        lead="Ringkas\x00an",
        body="Isi\x0crilis\x08.",
        tags=["KIP\x00"],
    )
    assert created.status_code == 201, created.json
    with app.extensions["publisher"].db.session() as session:
        revision = session.get(Revision, created.json["id"])
        assert revision.title == "Judul dengan\nbaris baru"
        assert revision.lead == "Ringkasan"
        assert revision.body == "Isi\nrilis."
        assert revision.tags == ["KIP"]
    reason = client.post(
        f"/api/v1/releases/{created.json['id']}/submit", headers=drafter.headers
    )
    assert reason.status_code == 200
    rejected = client.post(
        f"/api/v1/releases/{created.json['id']}/reject",
        headers=accounts_["editor"].headers,
        json={"reason": "Perbaiki\x00 judul"},
    )
    assert rejected.status_code == 200
    assert rejected.json["rejection_reason"] == "Perbaiki judul"
