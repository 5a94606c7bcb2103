"""The schedule form's presets, the gap warning and what the messages say."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml

from publisher.config import parse_config
from tests.conftest import BASE_CONFIG, CHROMIUM, CHROMIUM_ARGS, PASSWORD, plan
from tests.webforms import login

WITA = ZoneInfo("Asia/Makassar")
PRESETS = [
    {"name": "semua", "label": "Semua sekarang", "at": "now"},
    {
        "name": "koran-besok",
        "label": "Koran besok 06.00",
        "channels": ["koran"],
        "at": "tomorrow 06:00",
    },
    {
        "name": "bertahap",
        "label": "Bertahap 15 menit",
        "channels": ["mitra_online", "radio"],
        "at": "now",
        "stagger": "15m",
    },
]


@pytest.fixture
def config(tmp_path, database_url):
    """The test config with three presets and a 10-minute gap."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw.update(database_url=database_url, schedule_presets=PRESETS, schedule_gap="10m")
    return parse_config(raw, tmp_path / "config.yaml")


def ticked(html: str) -> set[str]:
    """Channels whose checkbox is ticked on the schedule form."""
    return set(re.findall(r'name="channel" value="([a-z_]+)" checked', html))


def planned(html: str, channel: str) -> str:
    """The datetime-local value of `channel`'s row."""
    found = re.search(rf'name="planned_at\.{channel}"\s+value="([^"]*)"', html)
    assert found, channel
    return found.group(1)


def test_preset_buttons_fill_the_form_without_javascript(client, approved_release):
    release_id = approved_release()
    login(client, "editor")
    form = client.get(f"/releases/{release_id}/schedule").text
    assert "Jadwal cepat" in form
    assert "Koran besok 06.00" in form

    filled = client.post(
        f"/releases/{release_id}/schedule", data={"preset": "koran-besok"}
    )
    assert filled.status_code == 200
    assert "Diisi dari jadwal cepat “Koran besok 06.00”" in filled.text
    assert ticked(filled.text) == {"koran"}
    tomorrow = (datetime.now(UTC).astimezone(WITA) + timedelta(days=1)).date()
    assert planned(filled.text, "koran") == f"{tomorrow.isoformat()}T06:00"

    staggered = client.post(
        f"/releases/{release_id}/schedule", data={"preset": "bertahap"}
    ).text
    assert ticked(staggered) == {"mitra_online", "radio"}
    first = datetime.fromisoformat(planned(staggered, "mitra_online"))
    second = datetime.fromisoformat(planned(staggered, "radio"))
    assert second - first == timedelta(minutes=15)

    everything = client.post(
        f"/releases/{release_id}/schedule", data={"preset": "semua"}
    ).text
    assert ticked(everything) == {"mitra_online", "koran", "radio"}
    # Sending everything now: "send now" is the form's first (default) button.
    buttons = re.findall(r'<button class="(\w+)" name="when" value="(\w+)"', everything)
    assert buttons[0] == ("primary", "now")

    # Nothing was scheduled by filling the form: the editor confirms.
    detail = client.get(f"/releases/{release_id}").text
    assert "badge scheduled" not in detail


def test_send_now_says_sent_now_and_a_time_says_scheduled_for(client, approved_release):
    login(client, "editor")
    now_id = approved_release("Rilis dikirim sekarang")
    sent = client.post(
        f"/releases/{now_id}/schedule",
        data={"channel": ["radio"], "when": "now"},
        follow_redirects=True,
    ).text
    assert "Dikirim sekarang ke 1 kanal: Radio." in sent
    assert "dijadwalkan" not in sent.split("<main", 1)[1].split("</ul>", 1)[0].lower()

    later_id = approved_release("Rilis dijadwalkan")
    later = datetime.now(UTC).astimezone(WITA) + timedelta(days=2)
    value = later.strftime("%Y-%m-%dT%H:%M")
    scheduled = client.post(
        f"/releases/{later_id}/schedule",
        data={"channel": ["radio"], "planned_at.radio": value, "when": "planned"},
        follow_redirects=True,
    ).text
    assert f"Dijadwalkan untuk {later:%d/%m/%Y %H.%M} WITA: Radio." in scheduled


def test_two_releases_close_together_on_one_channel_warn(
    client, database, config, approved_release
):
    first = approved_release("Rilis pertama hari ini")
    second = approved_release("Rilis kedua hari ini")
    when = datetime.now(UTC) + timedelta(hours=3)
    plan(database, config, first, when, "radio")
    login(client, "editor")
    close = (when + timedelta(minutes=5)).astimezone(WITA).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        f"/releases/{second}/schedule",
        data={"channel": ["radio"], "planned_at.radio": close, "when": "planned"},
        follow_redirects=True,
    ).text
    # A warning, not an error: the delivery is scheduled and the other one named.
    assert "Dijadwalkan untuk" in page
    assert "Radio sudah memuat “Rilis pertama hari ini”" in page
    assert "berselang kurang dari 10 menit" in page

    far = (when + timedelta(minutes=30)).astimezone(WITA).strftime("%Y-%m-%dT%H:%M")
    third = approved_release("Rilis ketiga")
    quiet = client.post(
        f"/releases/{third}/schedule",
        data={"channel": ["radio"], "planned_at.radio": far, "when": "planned"},
        follow_redirects=True,
    ).text
    assert "sudah memuat" not in quiet


def test_the_api_takes_a_preset_and_says_what_happened(
    client, accounts_, database, config, approved_release
):
    editor = accounts_["editor"].headers
    other = approved_release("Rilis lain")
    tomorrow_six = datetime.combine(
        (datetime.now(UTC).astimezone(WITA) + timedelta(days=1)).date(),
        datetime.min.time().replace(hour=6),
        WITA,
    )
    plan(database, config, other, tomorrow_six + timedelta(minutes=3), "koran")

    release_id = approved_release()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        json={"preset": "koran-besok"},
        headers={**editor, "Accept-Language": "id"},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert [d["channel"] for d in body["deliveries"]] == ["koran"]
    assert datetime.fromisoformat(body["deliveries"][0]["planned_at"]) == tomorrow_six
    assert body["message"]["code"] == "schedule.scheduled_for"
    assert [w["code"] for w in body["warnings"]] == ["schedule.close_to_other"]
    assert "Rilis lain" in body["warnings"][0]["message"]

    now = client.post(
        f"/api/v1/releases/{approved_release('Sekarang')}/schedule",
        json={"preset": "semua"},
        headers=editor,
    ).json
    assert now["message"]["code"] == "schedule.sent_now"
    assert len(now["deliveries"]) == 3

    unknown = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        json={"preset": "tidak-ada"},
        headers=editor,
    )
    assert unknown.status_code == 422
    assert unknown.json["fields"]["preset"]["code"] == "schedule.unknown_preset"


@pytest.fixture
def new_york_page(base_url):
    """Chromium as a browser in New York set to US English."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=base_url, locale="en-US", timezone_id="America/New_York"
        )
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def test_times_stay_in_wita_for_a_browser_in_new_york(new_york_page, approved_release):
    from playwright.sync_api import expect

    page = new_york_page
    release_id = approved_release()
    page.goto("/login")
    page.fill("#username", "editor")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto(f"/releases/{release_id}/schedule")
    expect(page.get_by_text("Waktu kirim (WITA)")).to_be_visible()
    page.get_by_role("button", name="Koran besok 06.00").click()
    expect(page.locator("#preset-filled")).to_be_visible()
    tomorrow = (datetime.now(UTC).astimezone(WITA) + timedelta(days=1)).date()
    expect(page.locator("#t-koran")).to_have_value(f"{tomorrow.isoformat()}T06:00")
    page.get_by_role("button", name="Jadwalkan", exact=True).click()
    shown = f"{tomorrow:%d/%m/%Y} 06.00 WITA"
    expect(page.get_by_text(f"Dijadwalkan untuk {shown}: Media cetak.")).to_be_visible()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == (
        "America/New_York"
    )


def test_a_filled_preset_warns_before_the_editor_confirms(
    client, database, config, approved_release
):
    tomorrow_six = datetime.combine(
        (datetime.now(UTC).astimezone(WITA) + timedelta(days=1)).date(),
        datetime.min.time().replace(hour=6),
        WITA,
    )
    other = approved_release("Rilis koran pagi")
    plan(database, config, other, tomorrow_six - timedelta(minutes=4), "koran")
    release_id = approved_release()
    login(client, "editor")
    filled = client.post(
        f"/releases/{release_id}/schedule", data={"preset": "koran-besok"}
    ).text
    assert "Media cetak sudah memuat “Rilis koran pagi”" in filled
    assert "05.56 WITA" in filled
