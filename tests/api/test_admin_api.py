"""Administration through the API: the same services and rules as the UI."""

from __future__ import annotations


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_admin_manages_users_and_tokens_through_the_api(client, accounts_):
    admin = _h(accounts_["admin"].token)
    made = client.post(
        "/api/v1/users",
        json={
            "username": "kabid",
            "role": "viewer",
            "password": "Kabid-Tabanan-2046-x",
        },
        headers=admin,
    )
    assert made.status_code == 201 and made.json["role"] == "viewer"
    weak = client.post(
        "/api/v1/users",
        json={"username": "lemah", "role": "drafter", "password": "password123"},
        headers=admin,
    )
    assert weak.status_code == 422 and "password" in weak.json["fields"]

    token = client.post(
        "/api/v1/tokens", json={"username": "kabid", "label": "Kabid"}, headers=admin
    )
    assert token.status_code == 201
    viewer = _h(token.json["token"])
    assert client.get("/api/v1/releases", headers=viewer).status_code == 200
    refused = client.post("/api/v1/releases", json={}, headers=viewer)
    assert refused.status_code == 403 and refused.json["code"] == "auth.token_scope"
    listed = client.get("/api/v1/tokens", headers=admin).json["tokens"]
    row = next(t for t in listed if t["label"] == "Kabid")
    assert row["scope"] == "read" and token.json["token"] not in str(listed)

    revoked = client.post(f"/api/v1/tokens/{row['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert client.get("/api/v1/releases", headers=viewer).status_code == 401

    off = client.patch("/api/v1/users/penyusun", json={"active": False}, headers=admin)
    assert off.status_code == 200 and off.json["active"] is False
    drafter = _h(accounts_["penyusun"].token)
    assert client.get("/api/v1/releases", headers=drafter).status_code == 401
    self_off = client.patch(
        "/api/v1/users/admin", json={"active": False}, headers=admin
    )
    assert self_off.status_code == 409 and self_off.json["code"] == "admin.not_yourself"


def test_channel_switch_glossary_and_audit_through_the_api(client, accounts_):
    admin = _h(accounts_["admin"].token)
    off = client.put(
        "/api/v1/channels/koran/enabled", json={"enabled": False}, headers=admin
    )
    assert off.status_code == 200
    channels = client.get("/api/v1/channels", headers=admin).json["channels"]
    assert next(c for c in channels if c["name"] == "koran")["enabled"] is False
    bad = client.put(
        "/api/v1/channels/koran/enabled", json={"enabled": "no"}, headers=admin
    )
    assert bad.status_code == 422 and "enabled" in bad.json["fields"]

    put = client.put(
        "/api/v1/glossary/BPBD", json={"spoken": "be-pe-be-de"}, headers=admin
    )
    assert put.status_code == 200
    glossary = client.get("/api/v1/glossary", headers=admin).json
    assert glossary["glossary"]["BPBD"] == "be-pe-be-de"
    assert glossary["added"] == {"BPBD": "be-pe-be-de"}

    editor = _h(accounts_["editor"].token)
    trail = client.get("/api/v1/audit?action=channel.disabled", headers=editor).json
    assert [e["detail"]["channel"] for e in trail["events"]] == ["koran"]
    assert trail["chain"]["ok"] is True
    by_admin = client.get("/api/v1/audit?user=admin", headers=editor).json["events"]
    assert {e["action"] for e in by_admin} == {"channel.disabled", "glossary.set"}
    wrong = client.get("/api/v1/audit?since=kemarin", headers=editor)
    assert wrong.status_code == 422 and "since" in wrong.json["fields"]
    drafter = _h(accounts_["penyusun"].token)
    assert client.get("/api/v1/audit", headers=drafter).status_code == 403
