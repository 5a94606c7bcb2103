"""The Graph API and LinkedIn fakes refuse what the real APIs refuse."""

from __future__ import annotations

import requests

from tests.fakes.linkedin import ORGANIZATION, LinkedInApi
from tests.fakes.linkedin import TOKEN as LINKEDIN_TOKEN
from tests.fakes.meta import PAGE_ID, TOKEN, MetaGraph


def test_the_graph_fake_wants_a_valid_token_and_a_message():
    with MetaGraph() as graph:
        feed = f"{graph.url}/v23.0/{PAGE_ID}/feed"
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        no_token = requests.post(feed, data={"message": "Halo"}, timeout=5)
        wrong = requests.post(
            feed,
            data={"message": "Halo"},
            headers={"Authorization": "Bearer x"},
            timeout=5,
        )
        empty = requests.post(feed, data={}, headers=bearer, timeout=5)
        posted = requests.post(
            feed, data={"message": "Halo"}, headers=bearer, timeout=5
        )

    assert [r.status_code for r in (no_token, wrong, empty, posted)] == [400] * 3 + [
        200
    ]
    assert wrong.json()["error"]["code"] == 190
    assert set(wrong.json()["error"]) >= {"message", "type", "code", "fbtrace_id"}
    assert empty.json()["error"]["message"] == "(#100) Missing message or attachment"
    assert posted.json()["id"].startswith(f"{PAGE_ID}_")


def test_the_linkedin_fake_wants_the_version_headers_and_required_fields():
    with LinkedInApi() as api:
        posts = f"{api.url}/rest/posts"
        auth = {"Authorization": f"Bearer {LINKEDIN_TOKEN}"}
        versioned = {
            **auth,
            "LinkedIn-Version": "202511",
            "X-Restli-Protocol-Version": "2.0.0",
        }
        no_version = requests.post(posts, json={}, headers=auth, timeout=5)
        missing = requests.post(
            posts, json={"author": ORGANIZATION}, headers=versioned, timeout=5
        )

    assert no_version.status_code == 400
    assert no_version.json()["code"] == "VERSION_MISSING"
    assert missing.status_code == 422
    assert "commentary" in missing.json()["message"]
