"""The bell, the notifications page, preferences, the API, and config errors."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import BASE_CONFIG
from notify_helpers import kinds
from webforms import login, logout, submitted_release

from publisher.config import ConfigError, parse_config


@pytest.fixture(autouse=True)
def _people(accounts_):
    return accounts_


def bell(client) -> str:
    """The navigation's notifications link as the page shows it."""
    page = client.get("/releases/new").get_data(as_text=True)
    start = page.index('class="bell"')
    return page[start : page.index("</a>", start)]


def test_the_bell_counts_unread_and_the_page_marks_them_read(client, database):
    release_id = submitted_release(client)
    login(client, "editor")
    assert 'aria-label="1 belum dibaca">1</span>' in bell(client)
    page = client.get("/notifications").get_data(as_text=True)
    assert "mengajukan “Pemprov Bali Gelar Forum" in page
    assert "Baru" in page
    ids = kinds(database, "editor")
    assert ids == ["review_waiting"]
    notification_id = int(page.split('id="n-')[1].split('"')[0])
    opened = client.post(f"/notifications/{notification_id}/read", data={"open": "1"})
    assert opened.headers["Location"].endswith(f"/releases/{release_id}")
    assert "count" not in bell(client)
    logout(client)
    # Another editor's bell still rings until they read theirs.
    login(client, "editor2")
    assert ">1</span>" in bell(client)
    assert client.post("/notifications/read-all").status_code == 303
    assert "count" not in bell(client)


def test_nobody_marks_another_users_notification(client, database):
    submitted_release(client)
    login(client, "editor")
    page = client.get("/notifications").get_data(as_text=True)
    notification_id = int(page.split('id="n-')[1].split('"')[0])
    logout(client)
    login(client, "editor2")
    assert client.post(f"/notifications/{notification_id}/read").status_code == 404
    logout(client)
    login(client, "editor")
    assert ">1</span>" in bell(client)


def test_preferences_page_saves_choices_and_names_a_bad_field(client, database):
    login(client, "editor")
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Ada rilis yang menunggu peninjauan" in page
    refused = client.post(
        "/notifications/preferences",
        data={"email": "bukan-alamat", "app_kinds": ["approved"]},
    )
    assert refused.status_code == 422
    assert 'aria-describedby="e-email"' in refused.get_data(as_text=True)
    saved = client.post(
        "/notifications/preferences",
        data={
            "email": "editor@example.go.id",
            "language": "en",
            "app_kinds": ["delivery_failed"],
            "email_kinds": ["review_waiting"],
            "daily_digest": "1",
        },
    )
    assert saved.status_code == 303
    logout(client)
    submitted_release(client)
    login(client, "editor")
    assert "count" not in bell(client)  # not wanted in the app
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert 'value="editor@example.go.id"' in page
    assert 'name="daily_digest" value="1" checked' in page
    assert re.search(r'name="app_kinds" value="delivery_failed"[^>]*checked', page)
    assert not re.search(r'name="app_kinds" value="approved"[^>]*checked', page)


def test_the_api_lists_marks_and_chooses(client, accounts_):
    submitted_release(client)
    editor = accounts_["editor"].headers
    listed = client.get("/api/v1/notifications", headers=editor).get_json()
    assert listed["unread"] == 1
    [item] = listed["notifications"]
    assert item["kind"] == "review_waiting"
    assert item["code"] == "notify.review_waiting"
    assert "mengajukan “Pemprov Bali Gelar Forum" in item["message"]
    english = client.get(
        "/api/v1/notifications", headers={**editor, "Accept-Language": "en"}
    ).get_json()
    assert "submitted" in english["notifications"][0]["message"]
    other = accounts_["editor2"].headers
    assert (
        client.post(
            f"/api/v1/notifications/{item['id']}/read", headers=other
        ).status_code
        == 404
    )
    read = client.post(f"/api/v1/notifications/{item['id']}/read", headers=editor)
    assert read.status_code == 200 and read.get_json()["read_at"]
    assert client.get("/api/v1/notifications", headers=editor).get_json()["unread"] == 0
    assert client.post("/api/v1/notifications/read", headers=other).get_json() == {
        "marked": 1
    }
    bad = client.put(
        "/api/v1/notifications/preferences",
        headers=editor,
        json={"email_kinds": ["everything"], "daily_digest": "yes"},
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"email_kinds", "daily_digest"}
    good = client.put(
        "/api/v1/notifications/preferences",
        headers=editor,
        json={"email": "editor@example.go.id", "email_kinds": ["rejected"]},
    )
    assert good.get_json()["email_kinds"] == ["rejected"]
    assert good.get_json()["app_kinds"] == []
    stored = client.get("/api/v1/notifications/preferences", headers=editor)
    assert stored.get_json()["email"] == "editor@example.go.id"


def notifications_config(tmp_path, section):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["notifications"] = section
    return parse_config(raw, tmp_path / "config.yaml")


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"enabled": True, "from_address": "a@example.go.id"}, "smtp.host"),
        ({"enabled": True, "smtp": {"host": "mail"}}, "from_address"),
        ({"from_address": "bukan alamat"}, "from_address"),
        ({"digest_hour": 24}, "notifications.digest_hour"),
        ({"smtp": {"security": "tls"}}, "notifications.smtp.security"),
        ({"enabled": "ya"}, "notifications.enabled"),
        ({"sender": "x"}, "notifications.sender"),
    ],
)
def test_config_errors_name_the_key(tmp_path, section, key):
    with pytest.raises(ConfigError) as caught:
        notifications_config(tmp_path, section)
    assert key in str(caught.value)
    assert str(caught.value).startswith(f"{tmp_path / 'config.yaml'}: notifications")


def test_a_switched_off_section_may_name_unset_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("NOTIFY_SMTP_PASSWORD", raising=False)
    section = {
        "enabled": False,
        "smtp": {"host": "mail", "username": "humas"},
        "from_address": "humas@example.go.id",
    }
    section["smtp"]["password"] = "${NOTIFY_SMTP_PASSWORD}"
    assert not notifications_config(tmp_path, section).notifications.enabled
    section["enabled"] = True
    with pytest.raises(ConfigError, match=r"notifications\.smtp\.password.*NOTIFY"):
        notifications_config(tmp_path, section)
    monkeypatch.setenv("NOTIFY_SMTP_PASSWORD", "rahasia")
    on = notifications_config(tmp_path, section).notifications
    assert on.smtp.password.get_secret_value() == "rahasia"
    assert "rahasia" not in repr(on)


def test_the_account_page_links_to_the_notification_settings(client):
    login(client, "penyusun")
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/notifications/preferences">Pengaturan notifikasi</a>' in page
