"""Outbox files get the mode and group an office share needs (`file_mode`, `group`)."""

from __future__ import annotations

import grp
import os
import stat

import pytest
import yaml

from channel_adapters.broadcast.radio import RadioAdapter
from publisher.config import ConfigError, parse_config
from tests.channel_adapters.fixtures import render_context, short_release
from tests.conftest import BASE_CONFIG


def radio(tmp_path, **settings):
    """A radio channel writing into tmp_path/outbox."""
    values = {"outbox_dir": str(tmp_path / "outbox"), **settings}
    return RadioAdapter("radio", RadioAdapter.validate_settings(values), tmp_path)


def written(tmp_path, **settings):
    """Deliver the short release's script; (mode, gid) of each file written."""
    adapter = radio(tmp_path, **settings)
    rendition = adapter.render(short_release(), render_context())
    adapter.deliver(rendition, "kunci-uji")
    files = sorted((tmp_path / "outbox").iterdir())
    assert files
    return {(stat.S_IMODE(f.stat().st_mode), f.stat().st_gid) for f in files}


def test_files_are_readable_by_others_by_default(tmp_path):
    assert written(tmp_path) == {(0o644, os.getgid())}


def test_file_mode_and_group_from_settings(tmp_path):
    # root may give any group; anyone else only one they belong to.
    other = grp.getgrnam("daemon").gr_gid if os.getuid() == 0 else os.getgid()
    name = grp.getgrgid(other).gr_name
    assert written(tmp_path, file_mode="0640", group=name) == {(0o640, other)}


def test_an_unknown_group_is_refused_and_named(tmp_path):
    from channel_adapters.base import PermanentError

    adapter = radio(tmp_path, group="tidak-ada-grup-ini")
    with pytest.raises(PermanentError) as caught:
        adapter.deliver(adapter.render(short_release(), render_context()), "k")
    assert caught.value.notice.code == "outbox.unknown_group"
    check = adapter.check()
    assert not check.ok and check.notice.params["group"] == "tidak-ada-grup-ini"


@pytest.mark.parametrize(
    ("mode", "expected"), [("0640", 0o640), ("0o660", 0o660), (0o640, 0o640)]
)
def test_config_takes_octal_modes(tmp_path, mode, expected):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"]["radio"]["file_mode"] = mode
    config = parse_config(raw, tmp_path / "config.yaml")
    assert config.channels["radio"].settings.file_mode == expected


def test_yaml_0640_is_read_as_octal(tmp_path):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"]["radio"].update(yaml.safe_load("file_mode: 0640"))
    config = parse_config(raw, tmp_path / "config.yaml")
    assert config.channels["radio"].settings.file_mode == 0o640


@pytest.mark.parametrize("mode", ["0999", "4755", "0044", 640])
def test_a_wrong_mode_is_a_config_error_naming_the_key(tmp_path, mode):
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["channels"]["radio"]["file_mode"] = mode
    with pytest.raises(ConfigError, match=r"channels\.radio\.file_mode"):
        parse_config(raw, tmp_path / "config.yaml")
