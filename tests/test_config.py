"""Config mistakes stop start-up with one line naming the key, and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BASE_CONFIG

from publisher.config import ConfigError, load_config


def write(folder: Path, raw: dict) -> Path:
    """Write `raw` as config.yaml in `folder`."""
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def with_channels(**channels) -> dict:
    """The base config with these channels added."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"].update(channels)
    return raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            with_channels(tv_bali={"adapter": "televisi"}),
            "channels.tv_bali.adapter: unknown adapter 'televisi'",
        ),
        (
            with_channels(situs_web={"adapter": "webhook", "secret": "x" * 20}),
            "channels.situs_web.url: field required",
        ),
        (
            with_channels(
                situs_web={
                    "adapter": "webhook",
                    "url": "http://127.0.0.1:9/h",
                    "secret": "x" * 20,
                    "colour": "merah",
                }
            ),
            "channels.situs_web.colour: unknown setting",
        ),
        (
            with_channels(radio_b={"label": "tanpa adapter"}),
            "channels.radio_b.adapter: field required",
        ),
        (
            {
                **BASE_CONFIG,
                "organization": {
                    **BASE_CONFIG["organization"],
                    "timezone": "Asia/Denpasar",
                },
            },
            "organization.timezone: unknown time zone 'Asia/Denpasar'",
        ),
        (
            {
                **BASE_CONFIG,
                "organization": {**BASE_CONFIG["organization"], "name": None},
            },
            "organization.name:",
        ),
        (
            {**BASE_CONFIG, "dispatcher": {"poll_seconds": 0}},
            "dispatcher.poll_seconds:",
        ),
        ({**BASE_CONFIG, "databse_url": "sqlite://"}, "databse_url: unknown setting"),
        (
            {**BASE_CONFIG, "numbering": {"pattern": "{nomor}/HM/{year}"}},
            "numbering.pattern: cannot format",
        ),
        (
            {**BASE_CONFIG, "numbering": {"pattern": "HM/{year}"}},
            "numbering.pattern: the pattern must contain {seq}",
        ),
    ],
)
def test_mistakes_name_the_key(tmp_path, raw, message):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, raw))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_environment_variable_names_key_and_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("WEBHOOK_RAHASIA", raising=False)
    raw = with_channels(
        situs_web={
            "adapter": "webhook",
            "url": "http://127.0.0.1:9/h",
            "secret": "${WEBHOOK_RAHASIA}",
        }
    )
    with pytest.raises(
        ConfigError,
        match=r"channels\.situs_web\.secret: environment "
        r"variable WEBHOOK_RAHASIA is not set",
    ):
        load_config(write(tmp_path, raw))
    monkeypatch.setenv("WEBHOOK_RAHASIA", "s" * 24)
    config = load_config(tmp_path / "config.yaml")
    assert config.channels["situs_web"].settings.secret.get_secret_value() == "s" * 24
    assert "s" * 24 not in repr(config)


def test_disabled_channel_may_name_unset_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("WEBHOOK_RAHASIA", raising=False)
    raw = with_channels(
        situs_web={
            "adapter": "webhook",
            "enabled": False,
            "url": "http://127.0.0.1:9/h",
            "secret": "${WEBHOOK_RAHASIA}",
        }
    )
    config = load_config(write(tmp_path, raw))
    assert "situs_web" not in config.enabled_channels


def test_not_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "config.yaml"
    bad.write_text("organization: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "tidak-ada.yaml")


def test_relative_paths_are_beside_the_config_file(tmp_path):
    config = load_config(write(tmp_path, with_channels()))
    assert config.data_dir == (tmp_path / "instance").resolve()
    assert (
        config.database_url == f"sqlite:///{tmp_path.resolve()}/instance/publisher.db"
    )


def test_shipped_config_is_valid():
    root = Path(__file__).resolve().parent.parent
    config = load_config(root / "config.yaml")
    assert config.organization.timezone == "Asia/Makassar"
    assert {"rss", "print", "radio"} <= {
        c.adapter for c in config.enabled_channels.values()
    }


@pytest.mark.parametrize(
    "command", [["check-config"], ["run", "--port", "0"], ["dispatcher"]]
)
def test_cli_stops_with_one_line_and_status_2(tmp_path, command):
    path = write(tmp_path, with_channels(tv={"adapter": "televisi"}))
    result = subprocess.run(
        [sys.executable, "-m", "publisher", "--config", str(path), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "channels.tv.adapter: unknown adapter 'televisi'" in lines[0]
    assert "Traceback" not in result.stderr


def test_default_applies_to_unset_and_empty_variables(tmp_path, monkeypatch):
    raw = with_channels(
        situs_web={
            "adapter": "webhook",
            "url": "http://127.0.0.1:9/h",
            "secret": "${WEBHOOK_RAHASIA:-cadangan-yang-panjang}",
        }
    )
    monkeypatch.setenv("WEBHOOK_RAHASIA", "")
    config = load_config(write(tmp_path, raw))
    secret = config.channels["situs_web"].settings.secret.get_secret_value()
    assert secret == "cadangan-yang-panjang"


def test_disabled_channel_waiting_for_its_url_and_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("HOOK_URL", raising=False)
    monkeypatch.delenv("HOOK_SECRET", raising=False)
    raw = with_channels(
        situs_web={
            "adapter": "webhook",
            "enabled": False,
            "url": "${HOOK_URL}",
            "secret": "${HOOK_SECRET}",
        }
    )
    config = load_config(write(tmp_path, raw))
    assert not config.channels["situs_web"].enabled
    raw["channels"]["situs_web"]["url"] = "bukan url"
    with pytest.raises(ConfigError, match=r"channels\.situs_web\.url"):
        load_config(write(tmp_path, raw))


def test_relative_outbox_and_sqlite_paths_are_beside_the_config_file(tmp_path):
    raw = with_channels(koran={"adapter": "print", "outbox_dir": "keluar/koran"})
    raw["database_url"] = "sqlite:///data/rilis.db"
    config = load_config(write(tmp_path, raw))
    assert config.adapter("koran").outbox_dir == tmp_path / "keluar" / "koran"
    assert config.database_url == f"sqlite:///{(tmp_path / 'data/rilis.db').resolve()}"


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("6h", 21600), ("30m", 1800), ("1h30m", 5400), ("2d", 172800), (900, 900)],
)
def test_max_lateness_takes_a_duration_or_seconds(tmp_path, written, seconds):
    raw = with_channels(radio={"adapter": "radio", "max_lateness": written})
    config = load_config(write(tmp_path, raw))
    assert config.channels["radio"].max_lateness == seconds
    assert config.channels["koran"].max_lateness == 6 * 3600  # the default


@pytest.mark.parametrize(
    "written", ["segera", "0m", -5, True, "6 jam", float("nan"), float("inf")]
)
def test_a_wrong_max_lateness_names_the_key(tmp_path, written):
    raw = with_channels(radio={"adapter": "radio", "max_lateness": written})
    with pytest.raises(ConfigError, match=r"channels\.radio\.max_lateness: "):
        load_config(write(tmp_path, raw))
