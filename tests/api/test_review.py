"""The review endpoints: a release's thread of comments and review steps, and
the changes between two revisions."""

from __future__ import annotations

import pytest

LEAD = "Diskominfos Bali mengajak badan publik memperkuat layanan informasi."


@pytest.fixture
def extra_channels():
    """An X account besides the base print, radio and RSS channels."""
    return {"x_bali": {"adapter": "x", "label": "X Diskominfos"}}


def _resubmitted(client, accounts_) -> int:
    drafter, editor = accounts_["penyusun"].headers, accounts_["editor"].headers
    made = client.post(
        "/api/v1/releases",
        headers=drafter,
        json={"title": "Forum KIP", "lead": LEAD, "body": "Isi rilis."},
    )
    release_id = made.json["id"]
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter)
    rejected = client.post(
        f"/api/v1/releases/{release_id}/reject",
        headers=editor,
        json={"reason": "Ganti kata kerja."},
    )
    assert rejected.status_code == 200
    edited = client.patch(
        f"/api/v1/releases/{release_id}",
        headers=drafter,
        json={"lead": LEAD.replace("memperkuat", "meningkatkan")},
    )
    assert edited.json["revision"] == 2
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter)
    return release_id


def test_post_and_list_comments_with_mentions(client, accounts_):
    release_id = _resubmitted(client, accounts_)
    posted = client.post(
        f"/api/v1/releases/{release_id}/comments",
        headers=accounts_["editor"].headers,
        json={"text": "Sudah lebih baik, @penyusun. Tanya @nobody.", "revision": 2},
    )
    assert posted.status_code == 201, posted.json
    assert posted.json["mentions"] == ["penyusun"]
    assert posted.json["author"] == "editor" and posted.json["revision"] == 2
    assert posted.headers["Location"].endswith(f"#comment-{posted.json['id']}")

    thread = client.get(
        f"/api/v1/releases/{release_id}/comments", headers=accounts_["admin"].headers
    )
    assert thread.status_code == 200
    kinds = [(e["kind"], e["revision"], e["text"]) for e in thread.json["thread"]]
    assert kinds == [
        ("release.submitted", 1, ""),
        ("release.rejected", 1, "Ganti kata kerja."),
        ("release.submitted", 2, ""),
        ("comment", 2, "Sudah lebih baik, @penyusun. Tanya @nobody."),
    ]


def test_bad_comments_name_the_field(client, accounts_):
    release_id = _resubmitted(client, accounts_)
    url = f"/api/v1/releases/{release_id}/comments"
    headers = accounts_["editor"].headers
    for body, field, code in (
        ({"text": ""}, "text", "field.required"),
        ({"text": "x" * 4001}, "text", "field.too_long"),
        ({"text": "ok", "revision": 9}, "revision", "comment.revision_unknown"),
        ({"text": "ok", "revision": "dua"}, "revision", "field.not_integer"),
        ({"text": "ok", "extra": 1}, "extra", "field.unknown"),
        ({"text": 5}, "text", "field.not_text"),
    ):
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.json["fields"][field]["code"] == code, body
    assert client.post(url, headers=headers, data="x").status_code == 422
    missing = client.post(
        "/api/v1/releases/999/comments", headers=headers, json={"text": "?"}
    )
    assert missing.status_code == 404


def test_a_read_token_may_read_but_not_comment(client, database, accounts_):
    from publisher.services import accounts

    release_id = _resubmitted(client, accounts_)
    with database.session() as session:
        token = accounts.create_token(session, "editor", scope="read")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/releases/{release_id}/comments"
    assert client.get(url, headers=headers).status_code == 200
    refused = client.post(url, headers=headers, json={"text": "Boleh?"})
    assert refused.status_code == 403
    assert refused.json["code"] == "auth.token_scope"
    assert client.post(url, json={"text": "Tanpa token"}).status_code == 401


def test_the_diff_by_default_and_between_chosen_revisions(client, accounts_):
    release_id = _resubmitted(client, accounts_)
    headers = accounts_["editor"].headers
    diff = client.get(f"/api/v1/releases/{release_id}/diff", headers=headers)
    assert diff.status_code == 200
    assert (diff.json["from"], diff.json["to"]) == (1, 2)
    changed = {f["name"] for f in diff.json["fields"] if f["changed"]}
    assert changed == {"lead"}
    lead = next(f for f in diff.json["fields"] if f["name"] == "lead")
    assert [s for s in lead["segments"] if s["op"] != "equal"] == [
        {"op": "delete", "text": "memperkuat"},
        {"op": "insert", "text": "meningkatkan"},
    ]
    x = next(c for c in diff.json["channels"] if c["channel"] == "x_bali")
    assert x["changed"] and x["error"] is None and x["label"] == "X Diskominfos"
    assert [s for s in x["segments"] if s["op"] != "equal"] == [
        {"op": "delete", "text": "memperkuat"},
        {"op": "insert", "text": "meningkatkan"},
    ]
    backwards = client.get(
        f"/api/v1/releases/{release_id}/diff?from=2&to=1", headers=headers
    )
    lead = next(f for f in backwards.json["fields"] if f["name"] == "lead")
    assert [s["op"] for s in lead["segments"] if s["op"] != "equal"] == [
        "delete",
        "insert",
    ]
    assert [s["text"] for s in lead["segments"] if s["op"] == "insert"] == [
        "memperkuat"
    ]


def test_a_wrong_revision_in_the_diff_is_a_clear_422(client, accounts_):
    release_id = _resubmitted(client, accounts_)
    headers = accounts_["editor"].headers
    url = f"/api/v1/releases/{release_id}/diff"
    unknown = client.get(f"{url}?to=5", headers=headers)
    assert unknown.status_code == 422
    assert unknown.json["fields"]["to"]["code"] == "diff.revision_unknown"
    not_a_number = client.get(f"{url}?from=-1", headers=headers)
    assert not_a_number.json["fields"]["from"]["code"] == "field.not_integer"
    assert client.get("/api/v1/releases/999/diff", headers=headers).status_code == 404


def test_the_openapi_document_lists_the_review_endpoints(client):
    paths = client.get("/api/openapi.json").json["paths"]
    comments = paths["/api/v1/releases/{release_id}/comments"]
    assert set(comments) >= {"get", "post"}
    assert (
        "CommentInput"
        in comments["post"]["requestBody"]["content"]["application/json"]["schema"][
            "$ref"
        ]
    )
    diff = paths["/api/v1/releases/{release_id}/diff"]["parameters"]
    assert {p["name"] for p in diff} == {"release_id", "from", "to"}
