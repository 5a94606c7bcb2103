"""The release page shows deliveries going out without a reload."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from publisher.dispatcher import Dispatcher
from tests.conftest import PASSWORD, plan
from tests.webforms import login

POST_URL = "https://situs.example.go.id/berita/42"


@pytest.fixture
def extra_channels(webhook_channel):
    """The office website as a webhook at the local receiver."""
    return {"situs_web": {**webhook_channel, "label": "Situs web"}}


def test_the_json_view_says_what_moves(client, database, config, approved_release):
    release_id = approved_release()
    [delivery_id] = plan(database, config, release_id, datetime.now(UTC), "situs_web")
    login(client, "penyusun")  # any signed-in user may watch
    body = client.get(f"/releases/{release_id}/deliveries.json").json
    assert body["moving"] is True
    assert body["deliveries"][0]["id"] == delivery_id
    assert body["deliveries"][0]["status_label"] == "Terjadwal"
    client.post("/logout")
    anonymous = client.get(f"/releases/{release_id}/deliveries.json")
    assert anonymous.status_code == 302


def test_status_and_link_change_in_place_while_the_page_stays_open(
    page, database, config, receiver, approved_release
):
    from playwright.sync_api import expect

    receiver.answer(200, json_body={"id": "42", "url": POST_URL})
    release_id = approved_release("Rilis yang dipantau langsung")
    [delivery_id] = plan(database, config, release_id, datetime.now(UTC), "situs_web")

    page.goto("/")
    page.fill("#username", "editor")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/releases/{release_id}")
    row = page.locator(f'tr[data-delivery="{delivery_id}"]')
    expect(row.locator(".badge")).to_have_text("Terjadwal")
    expect(row.get_by_role("link", name="Lihat di Situs web")).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")

    # The dispatcher sends it while the page is open (no dispatcher thread ran yet).
    Dispatcher(config, database, name="uji-langsung").run_delivery(delivery_id)
    assert receiver.requests, "the webhook was not called"

    expect(row.locator(".badge")).to_have_text("Terkirim")
    expect(row.locator(".badge")).to_have_class("badge sent")
    link = row.get_by_role("link", name="Lihat di Situs web")
    expect(link).to_have_attribute("href", POST_URL)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload happened
    # Nothing moves any more: the page stopped asking.
    expect(page.locator("table[data-live]")).to_have_attribute("data-moving", "false")
