"""System pieces (Pango, fonts) are known at start, not at the first approval."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from publisher import system
from publisher.cli import main
from tests.webforms import login, submitted_release

PANGO_INSTALL = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"


@pytest.fixture(autouse=True)
def fresh_probe():
    """Each test looks at the machine anew, and leaves no simulated gap behind."""
    system.probe.cache_clear()
    yield
    system.probe.cache_clear()


@pytest.fixture
def no_pango(monkeypatch):
    """A machine where WeasyPrint's libraries do not load."""
    real = system._loads
    monkeypatch.setattr(
        system, "_loads", lambda name: "pango" not in name and real(name)
    )
    system.probe.cache_clear()


@pytest.fixture
def no_fonts(monkeypatch, tmp_path):
    """fontconfig pointed at a configuration with no font folder."""
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    system.probe.cache_clear()


def cli(config, *args: str):
    """Invoke `publisher --config <test config> ARGS`."""
    return CliRunner().invoke(main, ["--config", str(config.path), *args])


def test_the_probe_runs_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(system, "_loads", lambda name: calls.append(name) or True)
    system.probe.cache_clear()
    system.probe()
    system.probe()
    assert calls == list(system.PANGO_LIBRARIES)


def test_missing_pango_is_one_line_with_the_apt_get_command(config, no_pango):
    result = cli(config, "check-config")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "Pango" in line]
    assert len(lines) == 1
    assert lines[0].endswith(PANGO_INSTALL)
    assert "Media cetak" in lines[0]
    assert "koran                    print      unavailable" in result.output
    assert "radio                    radio      on" in result.output


def test_missing_fonts_name_the_families_and_their_packages(config, no_fonts):
    result = cli(config, "check-config")
    # The test config's 127.0.0.1 public_url has a warning of its own.
    [line] = [
        line
        for line in result.output.splitlines()
        if "warning:" in line and "public_url" not in line
    ]
    assert "Liberation Serif" in line and "Noto Sans Javanese" in line
    assert line.endswith(
        "apt-get install fonts-liberation2 fonts-noto-core fonts-noto-color-emoji "
        "fonts-dejavu-core"
    )
    assert cli(config, "system-packages").output.split() == [
        "fonts-liberation2",
        "fonts-noto-core",
        "fonts-noto-color-emoji",
        "fonts-dejavu-core",
    ]


def test_a_complete_machine_says_nothing(config):
    if system.probe():
        pytest.skip(f"this machine lacks {system.missing_packages()}")
    result = cli(config, "check-config")
    about_machine = "\n".join(
        line for line in result.output.splitlines() if "public_url" not in line
    )
    assert "warning" not in about_machine and "unavailable" not in result.output
    assert cli(config, "system-packages").output.strip() == ""


def test_api_approval_is_409_with_the_notice_not_500(client, accounts_, no_pango):
    editor, drafter = accounts_["editor"], accounts_["penyusun"]
    created = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={"title": "Uji", "lead": "Ringkasan.", "body": "Isi rilis."},
    )
    release_id = created.json["id"]
    client.post(f"/api/v1/releases/{release_id}/submit", headers=drafter.headers)

    response = client.post(
        f"/api/v1/releases/{release_id}/approve", headers=editor.headers
    )

    assert response.status_code == 409
    assert response.json["code"] == "channel.unavailable"
    assert response.json["params"]["label"] == "Media cetak"
    assert response.json["params"]["install"] == PANGO_INSTALL
    assert PANGO_INSTALL in response.json["detail"]
    again = client.get(f"/api/v1/releases/{release_id}", headers=editor.headers)
    assert again.json["status"] == "in_review"  # nothing was approved


def test_web_approval_shows_the_notice_on_the_release(client, accounts_, no_pango):
    release_id = submitted_release(client)
    login(client, "editor")
    response = client.post(
        f"/releases/{release_id}/approve", data={"revision": "1"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Media cetak tidak dapat dibuat di server ini: Pango belum terpasang" in (
        response.text
    )
    assert PANGO_INSTALL in response.text
    assert "Revisi 1 disetujui." not in response.text


def test_preview_shows_the_channel_as_unavailable(client, accounts_, no_pango):
    release_id = submitted_release(client)
    login(client, "editor")
    page = client.get(f"/releases/{release_id}/preview").text
    assert 'id="unavailable-koran"' in page
    assert PANGO_INSTALL in page
    assert 'id="unavailable-radio"' not in page


def test_schedule_page_offers_no_unavailable_channel(
    client, accounts_, approved_release, monkeypatch
):
    release_id = approved_release()  # approved while Pango was there …
    real = system._loads
    monkeypatch.setattr(system, "_loads", lambda n: "pango" not in n and real(n))
    system.probe.cache_clear()  # … and gone now
    login(client, "editor")
    page = client.get(f"/releases/{release_id}/schedule").text
    assert 'id="u-koran"' in page and PANGO_INSTALL in page
    koran = page[page.index('id="c-koran"') :].split(">", 1)[0]
    assert "disabled" in koran and "checked" not in koran
    radio = page[page.index('id="c-radio"') :].split(">", 1)[0]
    assert "disabled" not in radio


@pytest.mark.parametrize("extra_channels", [{"tv": {"adapter": "tv", "label": "TV"}}])
def test_scheduling_tv_without_pango_is_409(
    client, accounts_, approved_release, monkeypatch, extra_channels
):
    release_id = approved_release()
    real = system._loads
    monkeypatch.setattr(system, "_loads", lambda n: "pango" not in n and real(n))
    system.probe.cache_clear()
    response = client.post(
        f"/api/v1/releases/{release_id}/schedule",
        headers=accounts_["editor"].headers,
        json={"deliveries": [{"channel": "tv", "planned_at": "2099-01-01T10:00:00Z"}]},
    )
    assert response.status_code == 409
    assert response.json["code"] == "channel.unavailable"
    assert response.json["params"]["label"] == "TV"


def test_an_email_that_attaches_the_print_pdf_needs_pango_too(no_pango):
    from channel_adapters.registry import get_adapter

    EmailAdapter = get_adapter("email")
    email = SimpleNamespace(
        adapter_class=EmailAdapter,
        label="Meja redaksi",
        settings=SimpleNamespace(attach=["print", "radio"]),
    )
    plain = SimpleNamespace(
        adapter_class=EmailAdapter, label="Surat", settings=SimpleNamespace(attach=[])
    )
    blocked = system.unavailable({"meja": email, "surat": plain})
    assert list(blocked) == ["meja"]
    assert blocked["meja"].params["install"] == PANGO_INSTALL
