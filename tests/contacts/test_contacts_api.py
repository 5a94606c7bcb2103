"""/api/v1/contacts: list, read, create, replace, delete; fields named by code;
drafters' tokens may read only; and each e-mail recipient's outcome."""

from __future__ import annotations

CONTACT = {
    "name": "Ni Luh Putu Ayu",
    "outlet": "Bali Post",
    "kind": "print",
    "email": "Ayu@BaliPost.example",
    "groups": ["harian", "denpasar"],
}


def test_editor_creates_reads_replaces_and_deletes(client, accounts_):
    editor = accounts_["editor"].headers
    made = client.post("/api/v1/contacts", json=CONTACT, headers=editor)
    assert made.status_code == 201
    body = made.get_json()
    assert body["email"] == "ayu@balipost.example"  # stored lower-case
    assert body["groups"] == ["denpasar", "harian"]
    assert body["active"] is True and body["unsubscribed_at"] is None

    listed = client.get("/api/v1/contacts?group=harian&kind=print", headers=editor)
    assert [c["id"] for c in listed.get_json()["contacts"]] == [body["id"]]
    assert client.get("/api/v1/contacts?kind=tv", headers=editor).get_json() == {
        "contacts": []
    }

    replaced = client.put(
        f"/api/v1/contacts/{body['id']}",
        json={**CONTACT, "kind": "online", "active": False},
        headers=editor,
    )
    assert replaced.status_code == 200
    assert replaced.get_json()["kind"] == "online"
    assert replaced.get_json()["active"] is False
    inactive = client.get("/api/v1/contacts?active=false", headers=editor)
    assert len(inactive.get_json()["contacts"]) == 1

    gone = client.delete(f"/api/v1/contacts/{body['id']}", headers=editor)
    assert gone.status_code == 204
    missing = client.get(f"/api/v1/contacts/{body['id']}", headers=editor)
    assert missing.status_code == 404
    assert missing.get_json()["code"] == "contacts.not_found"


def test_bad_fields_are_named_by_code(client, accounts_):
    answer = client.post(
        "/api/v1/contacts",
        json={"name": "", "kind": "koran", "email": "bukan", "phone": "abc"},
        headers=accounts_["editor"].headers,
    )
    assert answer.status_code == 422
    fields = answer.get_json()["fields"]
    assert fields["name"]["code"] == "field.required"
    assert fields["kind"]["code"] == "field.choice"
    assert fields["email"]["code"] == "field.not_email"
    assert fields["phone"]["code"] == "contacts.phone_invalid"


def test_the_same_address_twice_is_a_422_on_email(client, accounts_):
    editor = accounts_["editor"].headers
    client.post("/api/v1/contacts", json=CONTACT, headers=editor)
    again = client.post("/api/v1/contacts", json=CONTACT, headers=editor)
    assert again.status_code == 422
    assert again.get_json()["fields"]["email"]["code"] == "contacts.email_taken"


def test_a_drafter_reads_but_cannot_write(client, accounts_):
    client.post("/api/v1/contacts", json=CONTACT, headers=accounts_["editor"].headers)
    drafter = accounts_["penyusun"].headers
    assert client.get("/api/v1/contacts", headers=drafter).status_code == 200
    refused = client.post(
        "/api/v1/contacts", json={**CONTACT, "email": "b@x.example"}, headers=drafter
    )
    assert refused.status_code == 403


def test_openapi_lists_the_contact_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/contacts"])
    assert {"get", "put", "delete"} <= set(paths["/api/v1/contacts/{contact_id}"])
    assert "get" in paths["/api/v1/deliveries/{delivery_id}/recipients"]
