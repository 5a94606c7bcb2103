"""Through the application: a release and its correction land on one WordPress post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support import wait_until

from publisher.dispatcher import Dispatcher
from tests.channel_adapters.wordpress.conftest import PASSWORD


@pytest.fixture
def extra_channels(site):
    """The office's WordPress site, on the local fake."""
    return {
        "situs_wordpress": {
            "adapter": "wordpress",
            "url": site.url,
            "username": "humas",
            "application_password": PASSWORD,
            "categories": {"Informasi Publik": "Berita"},
            "allow_networks": ["127.0.0.0/8"],
        }
    }


@pytest.fixture
def dispatcher(app):
    """The dispatcher running in this process, as `publisher run` has it."""
    state = app.extensions["publisher"]
    worker = Dispatcher(state.config, state.db)
    worker.start()
    yield worker
    worker.shutdown()


def test_a_correction_updates_the_post_the_release_made(
    client, accounts_, approved_release, dispatcher, site
):
    editor, other = accounts_["editor"], accounts_["editor2"]
    release_id = approved_release("Judul pertama", category="Informasi Publik")

    def send_now() -> None:
        answer = client.post(
            f"/api/v1/releases/{release_id}/schedule",
            headers=editor.headers,
            json={
                "deliveries": [
                    {
                        "channel": "situs_wordpress",
                        "planned_at": datetime.now(UTC).isoformat(),
                    }
                ]
            },
        )
        assert answer.status_code in (200, 201), answer.json

    def sent() -> list[dict]:
        answer = client.get(
            f"/api/v1/deliveries?release_id={release_id}", headers=editor.headers
        )
        return [d for d in answer.json["deliveries"] if d["status"] == "sent"]

    send_now()
    assert wait_until(lambda: len(sent()) == 1)
    client.patch(
        f"/api/v1/releases/{release_id}",
        headers=editor.headers,
        json={"title": "Judul yang dikoreksi"},
    )
    approved = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=other.headers
    )
    assert approved.status_code == 200
    send_now()
    assert wait_until(lambda: len(sent()) == 2)

    [post] = site.posts
    assert post["title"]["raw"] == "Judul yang dikoreksi"
    assert site.term_names("categories", post["categories"]) == ["Berita"]
    first, second = sorted(sent(), key=lambda d: d["revision"])
    assert first["remote_id"] == second["remote_id"] == str(post["id"])
    assert second["remote_url"] == post["link"]
