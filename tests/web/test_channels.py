"""The administrators' channels page and its "Uji koneksi" button, and the API's
twin: a check that works, one that fails, one that raises and one that hangs all
end as a notice in the reader's language, never a 500 or a stuck page."""

from __future__ import annotations

import html
import re
import threading
from typing import ClassVar

import pytest
from conftest import PASSWORD, make_config
from webforms import login

from channel_adapters.base import Adapter, CheckResult
from channel_adapters.http.base import HttpSettings
from channel_adapters.notice import Notice
from publisher.config import ChannelConfig
from publisher.notices import render
from publisher.services import channels

STUCK = threading.Event()  # set at the end, so the hanging check's thread ends


class Hanging(Adapter):
    """An adapter whose check never answers (a partner that trickles bytes)."""

    name = "uji_macet"
    label = "Adaptor uji (macet)"
    Settings = HttpSettings

    def check(self) -> CheckResult:
        STUCK.wait(60)
        return CheckResult(ok=True, notice=Notice("check.nothing_to_check"))


class Raising(Adapter):
    """An adapter whose check has a bug."""

    name = "uji_galat"
    label = "Adaptor uji (galat)"

    def check(self) -> CheckResult:
        raise KeyError("token")


class FakeChannel(ChannelConfig):
    """A channel running one of the test adapters above (not in the registry)."""

    adapters: ClassVar[dict[str, type[Adapter]]] = {
        "uji_macet": Hanging,
        "uji_galat": Raising,
    }

    @property
    def adapter_class(self) -> type[Adapter]:
        return self.adapters[self.adapter]


@pytest.fixture
def config(tmp_path, database_url, webhook_channel):
    """The webhook at the local receiver, a closed port, an X account without
    credentials, and two switched-off test channels that hang and raise."""
    STUCK.clear()
    base = make_config(
        tmp_path,
        database_url,
        situs_web={**webhook_channel, "label": "Situs web"},
        situs_mati={
            **webhook_channel,
            "url": "http://127.0.0.1:9/hook",
            "label": "Situs mati",
        },
        x_bali={"adapter": "x", "label": "X Diskominfos"},
    )
    extra = {
        "lambat": FakeChannel(
            name="lambat",
            adapter="uji_macet",
            enabled=False,
            label="Kanal lambat",
            settings=HttpSettings(timeout=(0.2, 0.3)),
        ),
        "rusak": FakeChannel(
            name="rusak",
            adapter="uji_galat",
            enabled=False,
            label="Kanal rusak",
            settings=Adapter.Settings(),
        ),
    }
    yield base.model_copy(update={"channels": {**base.channels, **extra}})
    STUCK.set()


def checked(client, name: str) -> str:
    """Press "Uji koneksi" for `name`; the channels page it leads to, as text."""
    response = client.post(f"/channels/{name}/check", follow_redirects=True)
    assert response.status_code == 200
    return html.unescape(response.text)


def result_of(page: str, name: str) -> str:
    """The text of the row of channel `name`."""
    row = page.split(f'<tr id="ch-{name}">', 1)[1].split("</tr>", 1)[0]
    return " ".join(row.split())


def test_only_administrators_see_the_channels_page(client, accounts_):
    login(client, "editor")
    assert "/channels" not in client.get("/").text
    assert client.get("/channels").status_code == 403
    assert client.post("/channels/situs_web/check").status_code == 403
    client.post("/logout")
    login(client, "admin")
    assert 'href="/channels"' in client.get("/").text


def test_every_channel_is_listed_with_whether_it_can_send(client, accounts_, config):
    login(client, "admin")
    page = html.unescape(client.get("/channels").text)
    for name in ("mitra_online", "koran", "radio", "situs_web", "x_bali", "lambat"):
        assert f'<tr id="ch-{name}">' in page
    x_row = result_of(page, "x_bali")
    with client.application.test_request_context():
        blocker = render(config.channels["x_bali"].blocker, language="id")
    assert "Tidak" in x_row and blocker in x_row
    assert "Ya" in result_of(page, "situs_web")
    assert "6 jam" in result_of(page, "koran")


def test_a_check_that_reaches_the_receiver_is_shown_in_indonesian(
    client, accounts_, receiver
):
    login(client, "admin")
    row = result_of(checked(client, "situs_web"), "situs_web")
    assert "Koneksi berhasil" in row
    assert "127.0.0.1" in row and "tanda tangan hanya dapat" in row
    assert [r.method for r in receiver.received] == ["HEAD"]  # nothing was posted
    # Shown once, where the admin looked: a reload shows the plain page again.
    assert "Koneksi berhasil" not in client.get("/channels").text


def test_a_failing_check_is_shown_as_a_problem(client, accounts_, receiver):
    login(client, "admin")
    receiver.answer(503, text="sedang perbaikan")
    row = result_of(checked(client, "situs_web"), "situs_web")
    assert "Koneksi bermasalah" in row
    assert "menjawab dengan galat server (HTTP 503)" in row

    row = result_of(checked(client, "situs_mati"), "situs_mati")
    assert "Koneksi bermasalah" in row and "127.0.0.1:9" in row


def test_a_channel_without_a_network_checks_its_outbox(client, accounts_, config):
    login(client, "admin")
    row = result_of(checked(client, "koran"), "koran")
    assert "Koneksi berhasil" in row
    assert f"{config.data_dir}/outbox/koran dapat ditulisi." in row


def test_a_check_that_raises_or_hangs_is_an_error_notice(client, accounts_):
    login(client, "admin")
    row = result_of(checked(client, "rusak"), "rusak")
    assert "Koneksi bermasalah" in row
    assert "Uji kanal uji_galat gagal di dalam aplikasi ini (KeyError)" in row

    row = result_of(checked(client, "lambat"), "lambat")  # 0.2 + 0.3 + 2 s at most
    assert "Koneksi bermasalah" in row
    assert "Tidak ada jawaban dalam 2 detik" in row


def test_checks_of_one_channel_are_rate_limited(client, accounts_, receiver):
    login(client, "admin")
    checked(client, "situs_web")
    row = result_of(checked(client, "situs_web"), "situs_web")
    assert "Kanal ini baru saja diuji; coba lagi dalam" in row
    assert len(receiver.received) == 1
    # Another channel is not held up by it.
    assert "Koneksi berhasil" in result_of(checked(client, "koran"), "koran")


def test_the_gate_lets_a_channel_through_again_after_the_interval():
    now = [100.0]
    gate = channels.CheckGate(interval=10, clock=lambda: now[0])
    gate.admit("situs_web")
    with pytest.raises(channels.TooSoon) as caught:
        gate.admit("situs_web")
    assert caught.value.notice.params["seconds"] == 10
    now[0] += 10
    gate.admit("situs_web")


def test_the_api_checks_a_channel_for_administrators_only(client, accounts_, receiver):
    admin, editor = accounts_["admin"].headers, accounts_["editor"].headers
    refused = client.post("/api/v1/channels/situs_web/check", headers=editor)
    assert (refused.status_code, refused.json["code"]) == (403, "channel.admin_only")
    assert client.get("/api/v1/channels", headers=editor).status_code == 403

    listed = client.get("/api/v1/channels", headers=admin).json["channels"]
    by_name = {c["name"]: c for c in listed}
    assert by_name["situs_web"]["can_send"] is True
    assert by_name["x_bali"]["can_send"] is False
    assert by_name["x_bali"]["blocker"]["code"].startswith("channel.")
    assert by_name["koran"]["max_lateness_seconds"] == 6 * 3600

    response = client.post("/api/v1/channels/situs_web/check", headers=admin)
    assert response.status_code == 200
    assert response.json["ok"] is True
    assert response.json["result"]["code"] == "check.reachable"
    again = client.post("/api/v1/channels/situs_web/check", headers=admin)
    assert (again.status_code, again.json["code"]) == (429, "check.too_soon")
    missing = client.post("/api/v1/channels/tidak_ada/check", headers=admin)
    assert (missing.status_code, missing.json["code"]) == (404, "channel.not_found")


@pytest.mark.browser
def test_an_administrator_tests_a_channel_in_chromium(page, receiver):
    """The button posts with its CSRF token, as every form of the app does."""
    from playwright.sync_api import expect

    page.goto("/")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Kanal", exact=True).click()
    row = page.locator("#ch-situs_web")
    row.get_by_role("button", name=re.compile("^Uji koneksi")).click()
    expect(page.locator("#ch-situs_web .check-result")).to_contain_text(
        "Koneksi berhasil"
    )
    assert [r.method for r in receiver.received] == ["HEAD"]
