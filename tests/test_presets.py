"""Scheduling presets of config.yaml: the channels they tick and when, at fixed now."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from publisher.config import ConfigError, parse_config
from publisher.presets import SchedulePreset
from tests.conftest import BASE_CONFIG

WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
CHANNELS = ["mitra_online", "koran", "radio", "x", "telegram"]
# Tuesday 2026-03-10 10:20 WITA.
NOW = datetime(2026, 3, 10, 2, 20, 30, tzinfo=UTC)


def local(text: str, tz: ZoneInfo = WITA) -> datetime:
    """`2026-03-10 11:00` in `tz`."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz)


def test_everything_now_takes_every_sendable_channel_now():
    preset = SchedulePreset(name="semua", label="Semua sekarang", at="now")
    assert preset.plan(CHANNELS, NOW, WITA) == [(c, None) for c in CHANNELS]


def test_newspaper_tomorrow_six_is_local_six_the_next_day():
    preset = SchedulePreset(
        name="koran", label="Koran besok", channels=["koran"], at="tomorrow 06:00"
    )
    assert preset.plan(CHANNELS, NOW, WITA) == [("koran", local("2026-03-11 06:00"))]
    # The same instant in a WIB office is 09:20 there; tomorrow 06:00 WIB.
    assert preset.plan(CHANNELS, NOW, WIB) == [
        ("koran", local("2026-03-11 06:00", WIB))
    ]


def test_radio_takes_the_next_news_hour_or_the_next_full_hour():
    news = SchedulePreset(
        name="radio", label="Radio", channels=["radio"], at=["06:00", "12:00", "17.00"]
    )
    assert news.plan(CHANNELS, NOW, WITA) == [("radio", local("2026-03-10 12:00"))]
    evening = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # 18:00 WITA
    assert news.plan(CHANNELS, evening, WITA) == [("radio", local("2026-03-11 06:00"))]
    hourly = SchedulePreset(name="jam", label="Jam", channels=["radio"], at="next_hour")
    assert hourly.plan(CHANNELS, NOW, WITA) == [("radio", local("2026-03-10 11:00"))]


def test_social_staggered_by_fifteen_minutes_starts_at_the_next_minute():
    preset = SchedulePreset(
        name="sosial",
        label="Sosial bertahap",
        channels=["x", "telegram", "mastodon"],  # mastodon cannot send here
        at="now",
        stagger="15m",
    )
    assert preset.plan(CHANNELS, NOW, WITA) == [
        ("x", local("2026-03-10 10:21")),
        ("telegram", local("2026-03-10 10:36")),
    ]


def test_the_shipped_config_yaml_presets_are_valid():
    path = Path(__file__).resolve().parent.parent / "config.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [p["name"] for p in raw["schedule_presets"]]
    assert names == ["semua-sekarang", "koran-besok", "radio-berita", "sosial-bertahap"]


@pytest.mark.parametrize(
    ("presets", "says"),
    [
        (
            [{"name": "a", "label": "A", "channels": ["koran", "surat"]}],
            "schedule_presets.0.channels.1: no channel named 'surat'",
        ),
        ([{"name": "a", "label": "A", "at": "besok pagi"}], "schedule_presets.0.at"),
        (
            [{"name": "a", "label": "A", "stagger": "lama"}],
            "schedule_presets.0.stagger",
        ),
        (
            [{"name": "a", "label": "A"}, {"name": "a", "label": "B"}],
            "listed twice",
        ),
    ],
)
def test_a_wrong_preset_is_a_config_error_naming_the_key(tmp_path, presets, says):
    raw = {**yaml.safe_load(yaml.safe_dump(BASE_CONFIG)), "schedule_presets": presets}
    with pytest.raises(ConfigError, match=says.replace(".", r"\.")):
        parse_config(raw, tmp_path / "config.yaml")


def test_schedule_gap_is_a_duration(tmp_path):
    raw = {**yaml.safe_load(yaml.safe_dump(BASE_CONFIG)), "schedule_gap": "15m"}
    assert parse_config(raw, tmp_path / "config.yaml").schedule_gap == 900
    raw["schedule_gap"] = "sebentar"
    with pytest.raises(ConfigError, match="schedule_gap"):
        parse_config(raw, tmp_path / "config.yaml")
