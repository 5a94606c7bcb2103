"""organization.public_url that cannot silently be wrong: banner, check-config,
`run --port`, and $PUBLISHER_PUBLIC_URL."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from publisher import public_address
from publisher.cli import main
from publisher.cli.serve import _on_port
from publisher.config import load_config
from tests.conftest import BASE_CONFIG, PASSWORD

BANNER = 'id="public-url-banner"'


def home_at(client, base_url: str) -> str:
    """The home page as the editor signed in at `base_url` sees it."""
    signed_in = client.post(
        "/login",
        data={"username": "editor", "password": PASSWORD},
        base_url=base_url,
    )
    assert signed_in.status_code == 303
    return client.get("/", base_url=base_url).text


def test_a_signed_in_user_sees_a_banner_on_another_port(client, accounts_):
    elsewhere = home_at(client, "http://127.0.0.1:5101")
    assert BANNER in elsewhere
    assert "dibuka melalui http://127.0.0.1:5101" in elsewhere
    assert "memakai http://127.0.0.1:5000" in elsewhere
    # The public_url's own address (localhost is the same machine): no banner.
    assert BANNER not in home_at(client, "http://127.0.0.1:5000")
    assert BANNER not in home_at(client, "http://localhost:5000")
    assert BANNER in home_at(client, "http://humas.example:5000")


def test_nobody_signed_out_is_told_about_the_configuration(client, accounts_):
    page = client.get("/login", base_url="http://127.0.0.1:5101").text
    assert BANNER not in page


def test_check_config_warns_about_a_public_url_only_this_machine_opens(config):
    result = CliRunner().invoke(main, ["--config", str(config.path), "check-config"])
    assert result.exit_code == 0, result.output
    assert "public links: http://127.0.0.1:5000 (from organization.public_url)" in (
        result.output
    )
    assert "warning: organization.public_url is http://127.0.0.1:5000" in result.output


def test_check_config_is_quiet_about_a_real_address(tmp_path, monkeypatch):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("PUBLISHER_PUBLIC_URL", "https://siaranpers.example.go.id/")
    result = CliRunner().invoke(main, ["--config", str(path), "check-config"])
    assert result.exit_code == 0, result.output
    assert "public links: https://siaranpers.example.go.id" in result.output
    assert "(from $PUBLISHER_PUBLIC_URL)" in result.output
    assert "warning: " not in result.output
    config = load_config(path)
    assert config.organization.public_url == "https://siaranpers.example.go.id"


def test_run_on_another_port_moves_a_local_public_url_there(config, monkeypatch):
    monkeypatch.delenv("PUBLISHER_PUBLIC_URL", raising=False)
    moved = _on_port(config, 5101)
    assert moved.organization.public_url == "http://127.0.0.1:5101"
    assert moved.organization_snapshot().public_url == "http://127.0.0.1:5101"
    assert _on_port(config, 5000) is config


def test_a_real_public_url_or_the_environment_is_never_moved(monkeypatch):
    assert (
        public_address.for_port("https://siaranpers.example.go.id", 5101)
        == "https://siaranpers.example.go.id"
    )
    assert public_address.for_port("http://localhost:5000", 8080) == (
        "http://localhost:8080"
    )
    monkeypatch.setenv("PUBLISHER_PUBLIC_URL", "http://127.0.0.1:5000")
    assert public_address.for_port("http://127.0.0.1:5000", 5101) == (
        "http://127.0.0.1:5000"
    )
