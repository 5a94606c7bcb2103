# ruff: noqa: F811 - fixtures from `undecided` are named again as test arguments
"""The API's side of editors' decisions on unknown and missed deliveries, and the
remote link in every delivery object."""

from __future__ import annotations

import pytest
from undecided import clock, missed, row, run_due, unknown, worker  # noqa: F401

from publisher.models import AuditEvent

LABEL = "Situs web mitra"


@pytest.fixture
def extra_channels(webhook_channel):
    """A partner's webhook at the local receiver, with a short read timeout."""
    return {"situs_web": {**webhook_channel, "label": LABEL, "timeout": [2, 0.3]}}


def events(database, delivery_id: int, action: str) -> list[tuple[str, dict]]:
    with database.session() as session:
        return [
            (e.actor_label, e.detail)
            for e in session.query(AuditEvent).filter_by(
                delivery_id=delivery_id, action=action
            )
        ]


def test_needs_decision_lists_them_with_their_state(client, accounts_, unknown, missed):
    editor = accounts_["editor"].headers
    response = client.get("/api/v1/deliveries/needs-decision", headers=editor)
    assert response.status_code == 200
    listed = {d["id"]: d for d in response.json["deliveries"]}
    assert set(listed) == {unknown[1], missed[1]}
    assert listed[missed[1]]["status"] == "missed"
    assert listed[missed[1]]["needs_decision"] is True
    assert listed[missed[1]]["channel_label"] == LABEL
    assert listed[missed[1]]["error"]["code"] == "delivery.missed"
    assert "6 jam" in listed[missed[1]]["error"]["message"]
    assert listed[unknown[1]]["error"]["code"] == "delivery.broken_after_send"


def test_resend_of_an_unknown_delivery_needs_a_reason_and_a_confirmation(
    client, accounts_, database, unknown, worker, receiver
):
    _, delivery_id = unknown
    editor = accounts_["editor"].headers
    url = f"/api/v1/deliveries/{delivery_id}/resend"
    # The old one-click retry is refused for it: a person must decide.
    retry = client.post(f"/api/v1/deliveries/{delivery_id}/retry", headers=editor)
    assert (retry.status_code, retry.json["code"]) == (409, "delivery.decide_first")

    response = client.post(url, headers=editor, json={})
    assert response.status_code == 422
    assert response.json["fields"]["reason"]["code"] == "field.required"
    response = client.post(url, headers=editor, json={"reason": "Sudah dicek"})
    assert response.status_code == 422
    assert response.json["fields"]["confirm_duplicate"]["code"] == (
        "delivery.duplicate_unconfirmed"
    )
    assert row(database, delivery_id).status == "unknown"

    response = client.post(
        url,
        headers=editor,
        json={"reason": "Tidak tampil di situs mitra", "confirm_duplicate": True},
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "scheduled"
    assert events(database, delivery_id, "delivery.resent") == [
        (
            "editor",
            {
                "channel": "situs_web",
                "reason": "Tidak tampil di situs mitra",
                "previous_status": "unknown",
            },
        )
    ]
    run_due(worker)
    assert row(database, delivery_id).status == "sent"
    assert len(receiver.received) == 2


def test_mark_sent_takes_only_an_http_address_and_shows_it_as_a_link(
    client, accounts_, database, missed
):
    _, delivery_id = missed
    editor = accounts_["editor"].headers
    url = f"/api/v1/deliveries/{delivery_id}/mark-sent"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "mitra.example/1"):
        response = client.post(
            url, headers=editor, json={"reason": "Diunggah manual", "remote_url": bad}
        )
        assert response.status_code == 422, bad
        assert response.json["fields"]["remote_url"]["code"] == (
            "field.not_web_address"
        )
    assert row(database, delivery_id).status == "missed"

    link = "https://mitra.example/berita/9"
    response = client.post(
        url,
        headers=editor,
        json={"reason": "Diunggah manual", "remote_url": link, "remote_id": "9"},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["remote_url"], body["remote_link"]) == (
        "sent",
        link,
        link,
    )
    assert (body["remote_id"], body["needs_decision"], body["error"]) == (
        "9",
        False,
        None,
    )
    [(who, detail)] = events(database, delivery_id, "delivery.marked_sent")
    assert (who, detail["reason"], detail["remote_url"], detail["remote_id"]) == (
        "editor",
        "Diunggah manual",
        link,
        "9",
    )
    # Decided once: a second decision is refused.
    again = client.post(url, headers=editor, json={"reason": "lagi"})
    assert (again.status_code, again.json["code"]) == (
        409,
        "delivery.no_decision_needed",
    )


def test_cancel_of_a_missed_delivery_needs_a_reason(
    client, accounts_, database, missed
):
    _, delivery_id = missed
    editor = accounts_["editor"].headers
    url = f"/api/v1/deliveries/{delivery_id}/cancel"
    response = client.post(url, headers=editor)
    assert response.status_code == 422
    assert response.json["fields"]["reason"]["code"] == "field.required"
    response = client.post(url, headers=editor, json={"reason": "Sudah basi"})
    assert response.status_code == 200
    assert response.json["status"] == "cancelled"
    assert response.json["error"]["code"] == "delivery.cancelled_with_reason"
    assert events(database, delivery_id, "delivery.cancelled")[0][1]["reason"] == (
        "Sudah basi"
    )


def test_a_drafter_cannot_decide(client, accounts_, database, unknown):
    _, delivery_id = unknown
    drafter = accounts_["penyusun"].headers
    for action, body in (
        ("resend", {"reason": "x", "confirm_duplicate": True}),
        ("mark-sent", {"reason": "x"}),
        ("cancel", {"reason": "x"}),
    ):
        response = client.post(
            f"/api/v1/deliveries/{delivery_id}/{action}", headers=drafter, json=body
        )
        assert response.status_code == 403, action
        assert response.json["error"] == "forbidden"
        assert response.json["code"] == "auth.token_scope"
    assert row(database, delivery_id).status == "unknown"


def test_a_drafter_with_a_publish_token_is_refused_by_role(
    app, client, accounts_, database, unknown
):
    """Even a token whose scope would allow it: the role decides."""
    from publisher.models import TokenScope, User
    from publisher.services import accounts

    _, delivery_id = unknown
    with database.session() as session:
        token = accounts.create_token(session, "penyusun")
        drafter = session.query(User).filter_by(username="penyusun").one()
        stored = accounts.token_for(session, token)
        stored.scope = TokenScope.PUBLISH  # as an old token from before scopes
        assert drafter.role == "drafter"
    response = client.post(
        f"/api/v1/deliveries/{delivery_id}/cancel",
        headers={"Authorization": f"Bearer {token}"},
        json={"reason": "x"},
    )
    assert response.status_code == 403
    assert response.json["code"] == "delivery.role_cannot_decide"
