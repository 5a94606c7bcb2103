"""Who may do what: every role against every action, through the API and the forms.

The matrix in docs/security.md, as a test: a cell that lets the wrong person act
fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from webforms import login, logout

from publisher.models import Delivery

SOON = (datetime.now(UTC) + timedelta(hours=2)).isoformat()


def _draft_of(client, account) -> int:
    response = client.post(
        "/api/v1/releases",
        headers=account.headers,
        json={"title": "Rilis uji hak akses", "lead": "Ringkas.", "body": "Isi."},
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _draft(client, accounts_) -> int:
    return _draft_of(client, accounts_["penyusun"])


def _in_review(client, accounts_) -> int:
    release_id = _draft(client, accounts_)
    client.post(
        f"/api/v1/releases/{release_id}/submit", headers=accounts_["penyusun"].headers
    )
    return release_id


def _approved(client, accounts_) -> int:
    release_id = _in_review(client, accounts_)
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=accounts_["editor2"].headers
    )
    assert approved.status_code == 200, approved.json
    return release_id


def _scheduled(client, accounts_) -> tuple[int, int]:
    release_id = _approved(client, accounts_)
    planned = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor2"].headers,
        json={"deliveries": [{"channel": "radio", "planned_at": SOON}]},
    )
    assert planned.status_code == 200, planned.json
    return release_id, planned.json["deliveries"][0]["id"]


# action: (prepare, method, path, body)
ACTIONS = {
    "read": (None, "get", "/api/v1/releases", None),
    "create": (None, "post", "/api/v1/releases", {"title": "Baru"}),
    "edit": (_draft, "patch", "/api/v1/releases/{r}", {"lead": "Ubah."}),
    "submit": (_draft, "post", "/api/v1/releases/{r}/submit", None),
    "approve": (_in_review, "post", "/api/v1/releases/{r}/approve", None),
    "reject": (
        _in_review,
        "post",
        "/api/v1/releases/{r}/reject",
        {"reason": "Kurang."},
    ),
    "schedule": (
        _approved,
        "post",
        "/api/v1/releases/{r}/schedule",
        {"deliveries": [{"channel": "radio", "planned_at": SOON}]},
    ),
    "withdraw": (
        _approved,
        "post",
        "/api/v1/releases/{r}/withdraw",
        {"reason": "Salah."},
    ),
    "cancel": (_scheduled, "post", "/api/v1/deliveries/{d}/cancel", None),
}
ALLOWED = {
    "drafter": {"read", "create", "edit", "submit"},
    "editor": set(ACTIONS),
    "admin": set(ACTIONS),
}
ACCOUNTS = {"drafter": "penyusun", "editor": "editor", "admin": "admin"}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["anonymous", "drafter", "editor", "admin"])
def test_each_role_may_do_exactly_its_actions(client, accounts_, role, action):
    prepare, method, path, body = ACTIONS[action]
    release_id = delivery_id = None
    if prepare is _scheduled:
        release_id, delivery_id = prepare(client, accounts_)
    elif prepare is _draft and role != "anonymous":
        # A draft is edited and submitted by whoever may write; it is theirs here.
        release_id = _draft_of(client, accounts_[ACCOUNTS[role]])
    elif prepare is not None:
        release_id = prepare(client, accounts_)
    headers = {} if role == "anonymous" else accounts_[ACCOUNTS[role]].headers
    response = getattr(client, method)(
        path.format(r=release_id, d=delivery_id), headers=headers, json=body
    )
    if role == "anonymous":
        assert response.status_code == 401
    elif action in ALLOWED[role]:
        assert response.status_code in (200, 201), (role, action, response.json)
    else:
        assert response.status_code == 403, (role, action, response.json)
        assert response.json["error"] == "forbidden"


def test_a_delivery_is_changed_only_through_its_own_release(app, client, accounts_):
    """Cancelling via another release's URL cancelled the delivery anyway."""
    _, delivery_id = _scheduled(client, accounts_)
    other = _approved(client, accounts_)
    login(client, "editor")
    response = client.post(f"/releases/{other}/deliveries/{delivery_id}/cancel")
    assert response.status_code == 404
    retried = client.post(f"/releases/{other}/deliveries/{delivery_id}/retry")
    assert retried.status_code == 404
    logout(client)
    with app.extensions["publisher"].db.session() as session:
        assert session.get(Delivery, delivery_id).status == "scheduled"
