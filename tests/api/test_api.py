"""The JSON API refuses bad input with a clear, field-named error, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

VALID = {"title": "Rilis uji", "lead": "Ringkasan.", "body": "Isi."}


def create(client, account, **content):
    """POST a release and return the response."""
    return client.post(
        "/api/v1/releases", headers=account.headers, json={**VALID, **content}
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer prp_tidak-ada"},
        {"Authorization": "Basic cGVueXVzdW46eA=="},
        {"Authorization": "Bearer "},
    ],
)
def test_bad_or_missing_token_is_401(client, accounts_, headers):
    response = client.get("/api/v1/releases", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_title_names_the_field(client, accounts_):
    response = client.post(
        "/api/v1/releases", headers=accounts_["penyusun"].headers, json={"lead": "x"}
    )
    assert response.status_code == 422
    assert response.json["fields"]["title"]["code"] == "field.required"
    assert response.json["fields"]["title"]["message"] == "Wajib diisi."


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"title": ""}, "title"),
        ({"contact_email": "bukan-email"}, "contact_email"),
        ({"embargo_at": "besok pagi"}, "embargo_at"),
        ({"embargo_at": "2030-01-01T10:00:00"}, "embargo_at"),  # no offset
        ({"language": "jv"}, "language"),
        ({"tags": "KIM"}, "tags"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_invalid_fields_are_named(client, accounts_, content, field):
    response = create(client, accounts_["penyusun"], **content)
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_malformed_json_is_an_error_not_a_crash(client, accounts_, body):
    response = client.post(
        "/api/v1/releases",
        data=body,
        headers={**accounts_["penyusun"].headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json["error"] == "invalid"


def test_unknown_release_is_404_json(client, accounts_):
    response = client.get("/api/v1/releases/999", headers=accounts_["editor"].headers)
    assert response.status_code == 404
    assert response.json == {
        "error": "not_found",
        "code": "release.not_found",
        "params": {"id": 999},
        "detail": "Siaran pers 999 tidak ada.",
    }
    english = client.get(
        "/api/v1/releases/999",
        headers={**accounts_["editor"].headers, "Accept-Language": "en-GB,en;q=0.8"},
    )
    assert english.json["detail"] == "Release 999 does not exist."
    unknown_path = client.get("/api/v1/nothing", headers=accounts_["editor"].headers)
    assert unknown_path.status_code == 404
    assert unknown_path.json["error"] == "not_found"


def test_wrong_method_is_405_json(client, accounts_):
    response = client.delete("/api/v1/releases", headers=accounts_["editor"].headers)
    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed"


def test_drafter_cannot_approve_or_schedule(client, accounts_, approved_release):
    drafter = accounts_["penyusun"]
    draft = create(client, drafter).json["id"]
    client.post(f"/api/v1/releases/{draft}/submit", headers=drafter.headers)
    assert (
        client.post(
            f"/api/v1/releases/{draft}/approve", headers=drafter.headers
        ).status_code
        == 403
    )
    approved = approved_release()
    planned = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = client.post(
        f"/api/v1/releases/{approved}/schedule",
        headers=drafter.headers,
        json={"deliveries": [{"channel": "radio", "planned_at": planned}]},
    )
    assert response.status_code == 403


def test_editor_cannot_approve_what_they_wrote(client, accounts_):
    editor = accounts_["editor"]
    release_id = create(client, editor).json["id"]
    client.post(f"/api/v1/releases/{release_id}/submit", headers=editor.headers)
    response = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    )
    assert response.status_code == 403
    assert response.json["code"] == "release.own_words"
    other = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=accounts_["editor2"].headers
    )
    assert other.status_code == 200


def test_approving_a_draft_or_a_stale_revision_is_409(client, accounts_):
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = create(client, drafter).json["id"]
    assert (
        client.post(
            f"/api/v1/releases/{release_id}/approve", headers=editor.headers
        ).status_code
        == 409
    )
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    client.patch(
        f"/api/v1/releases/{release_id}",
        headers=drafter.headers,
        json={"title": "Judul diperbaiki"},
    )
    stale = client.post(
        f"/api/v1/releases/{release_id}/approve",
        headers=editor.headers,
        json={"revision": 1},
    )
    assert stale.status_code == 409
    assert stale.json["code"] == "release.stale_revision"
    assert stale.json["params"] == {"old": 1, "new": 2}
    assert stale.json["detail"] == "Revisi 1 sudah tidak berlaku; periksa revisi 2."


def test_submit_requires_lead_and_body(client, accounts_):
    drafter = accounts_["penyusun"]
    release_id = create(client, drafter, lead="", body="").json["id"]
    response = client.post(
        f"/api/v1/releases/{release_id}/submit", headers=drafter.headers
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"lead", "body"}


def test_reject_needs_a_reason(client, accounts_):
    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    release_id = create(client, drafter).json["id"]
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
    missing = client.post(
        f"/api/v1/releases/{release_id}/reject", headers=editor.headers, json={}
    )
    assert missing.status_code == 422
    assert "reason" in missing.json["fields"]
    rejected = client.post(
        f"/api/v1/releases/{release_id}/reject",
        headers=editor.headers,
        json={"reason": "Data belum lengkap"},
    )
    assert rejected.json["status"] == "rejected"
    assert rejected.json["rejection_reason"] == "Data belum lengkap"


@pytest.mark.parametrize(
    ("entry", "field", "code"),
    [
        ({"channel": "televisi"}, "deliveries.0.channel", "channel.unknown"),
        (
            {"planned_at": "2020-01-01T10:00:00+08:00"},
            "deliveries.0.planned_at",
            "schedule.in_past",
        ),
        (
            {"planned_at": "2030-01-01T10:00:00"},
            "deliveries.0.planned_at",
            "field.needs_offset",
        ),
        (
            {"planned_at": "kapan-kapan"},
            "deliveries.0.planned_at",
            "field.not_datetime",
        ),
    ],
)
def test_bad_schedule_entries_are_named(
    client, accounts_, approved_release, entry, field, code
):
    release_id = approved_release()
    planned = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    item = {"channel": "radio", "planned_at": planned, **entry}
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [item]},
    )
    assert response.status_code == 422, response.json
    assert response.json["fields"][field]["code"] == code
    assert response.json["fields"][field]["message"]


def test_planned_time_before_embargo_is_refused(client, accounts_, approved_release):
    embargo = datetime.now(UTC) + timedelta(days=1)
    release_id = approved_release(embargo_at=embargo)
    before = (embargo - timedelta(hours=1)).isoformat()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "radio", "planned_at": before}]},
    )
    assert response.status_code == 422
    refusal = response.json["fields"]["deliveries.0.planned_at"]
    assert refusal["code"] == "schedule.before_embargo"
    assert "sebelum embargo berakhir" in refusal["message"]
    assert "WITA" in refusal["message"]  # the embargo in the office's own time
    after = (embargo + timedelta(minutes=1)).isoformat()
    ok = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "radio", "planned_at": after}]},
    )
    assert ok.status_code == 200


def test_scheduling_an_unapproved_release_is_409(client, accounts_):
    release_id = create(client, accounts_["penyusun"]).json["id"]
    planned = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "radio", "planned_at": planned}]},
    )
    assert response.status_code == 409


def test_edit_after_approval_makes_a_new_revision_back_in_review(
    client, accounts_, approved_release
):
    editor = accounts_["editor"]
    release_id = approved_release()
    planned = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=editor.headers,
        json={"deliveries": [{"channel": "radio", "planned_at": planned}]},
    )
    edited = client.patch(
        f"/api/v1/releases/{release_id}",
        headers=accounts_["penyusun"].headers,
        json={"lead": "Ringkasan yang diperbaiki."},
    )
    assert edited.status_code == 200
    assert edited.json["revision"] == 2
    assert edited.json["status"] == "in_review"
    assert edited.json["approved_revision"] == 1
    listing = client.get(
        f"/api/v1/deliveries?release_id={release_id}", headers=editor.headers
    ).json["deliveries"]
    assert [d["status"] for d in listing] == ["cancelled"]
    assert listing[0]["error"] == {
        "code": "delivery.cancelled_by_edit",
        "params": {},
        "message": "Dibatalkan: siaran pers diubah setelah disetujui dan perlu "
        "disetujui kembali.",
    }


def test_renditions_preview_every_enabled_channel(client, accounts_):
    release_id = create(client, accounts_["penyusun"]).json["id"]
    response = client.get(
        f"/api/v1/releases/{release_id}/renditions",
        headers=accounts_["penyusun"].headers,
    )
    assert response.status_code == 200
    channels = {r["channel"]: r for r in response.json["renditions"]}
    assert set(channels) == {"mitra_online", "koran", "radio"}
    assert "SIARAN PERS" in channels["koran"]["text"]


def test_openapi_document_lists_the_endpoints(client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert "/api/v1/releases/{release_id}/schedule" in document["paths"]
    assert "ReleaseContent" in document["components"]["schemas"]


def test_approval_gives_a_yearly_sequential_number_kept_across_corrections(
    client, accounts_
):
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    drafter, editor = accounts_["penyusun"], accounts_["editor"]
    numbers = []
    for title in ("Pertama", "Kedua"):
        release_id = create(client, drafter, title=title).json["id"]
        client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)
        approved = client.post(
            f"/api/v1/releases/{release_id}/approve", headers=editor.headers
        ).json
        numbers.append(approved["number"])
    local = dt.now(ZoneInfo("Asia/Makassar"))
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][
        local.month - 1
    ]
    assert numbers == [
        f"001/HM/DISKOMINFOSBALI/{roman}/{local.year}",
        f"002/HM/DISKOMINFOSBALI/{roman}/{local.year}",
    ]

    client.patch(
        f"/api/v1/releases/{release_id}",
        headers=drafter.headers,
        json={"title": "Kedua, dikoreksi"},
    )
    again = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    ).json
    assert again["number"] == numbers[1]
    preview = client.get(
        f"/api/v1/releases/{release_id}/renditions", headers=editor.headers
    ).json["renditions"]
    koran = next(r for r in preview if r["channel"] == "koran")
    assert numbers[1] in koran["text"]


def test_radio_script_sent_says_its_planned_air_time(
    client, accounts_, approved_release, database
):
    from zoneinfo import ZoneInfo

    from publisher.models import FrozenRendition

    release_id = approved_release()
    planned = datetime(2031, 3, 2, 1, 30, tzinfo=UTC)  # 09.30 WITA
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "radio", "planned_at": planned.isoformat()}]},
    )
    assert response.status_code == 200
    with database.session() as session:
        script = session.query(FrozenRendition).filter_by(channel="radio").one()
        local = planned.astimezone(ZoneInfo("Asia/Makassar"))
        assert f"{local:%H.%M} WITA" in script.text
        assert "segera" not in script.text.split("\n\n")[0].lower()
