"""Every registered adapter keeps the contract in base.py, on ordinary and odd input."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest
from pydantic import ValidationError

from channel_adapters.base import Adapter, AdapterSettings, Rendition
from channel_adapters.notice import Notice
from channel_adapters.registry import ADAPTERS, get_adapter

# The least each adapter needs in config.yaml; every other adapter needs nothing.
MINIMAL_SETTINGS = {
    "email": {
        "host": "smtp.example",
        "from_address": "humas@example.go.id",
        "to": ["redaksi@koran.example"],
    },
    "webhook": {"url": "https://mitra.example/hook", "secret": "rahasia-16-karakter"},
}

EDGE_BODIES = {
    "empty": "",
    "only a heading": "# Pengumuman",
    "emoji": "Festival layang-layang 🪁🎉 di Pantai Padang Galak 🌊",
    "balinese script": "Om Swastyastu. ᬩᬮᬶ ᬤ᭄ᬯᬶᬧ",
    "html and script tags": (
        "<script>alert('x')</script>\n\n<iframe src='https://x.example'></iframe>\n\n"
        "<b>tebal</b> & <i>miring</i>"
    ),
}


def make(name: str, tmp_path: Path) -> Adapter:
    """An instance of adapter `name` with its minimal settings."""
    cls = ADAPTERS[name]
    settings = cls.validate_settings(MINIMAL_SETTINGS.get(name, {}))
    return cls(f"{name}-channel", settings, tmp_path)


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_facts_are_declared(name):
    cls = ADAPTERS[name]

    assert cls.name == name and get_adapter(name) is cls
    assert isinstance(cls.label, str) and cls.label.strip()
    assert issubclass(cls.Settings, AdapterSettings)
    for method in ("render", "deliver"):
        assert getattr(cls, method) is not getattr(Adapter, method), method


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_unknown_settings_keys_are_a_config_error(name):
    with pytest.raises(ValidationError):
        ADAPTERS[name].validate_settings(
            {**MINIMAL_SETTINGS.get(name, {}), "tidak_dikenal": 1}
        )


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_adapters_import_nothing_from_publisher(name):
    tree = ast.parse(inspect.getsource(inspect.getmodule(ADAPTERS[name])))

    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not any((module or "").startswith("publisher") for module in imported)


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_a_file_adapter_writes_to_its_own_outbox_by_default(name, tmp_path):
    adapter = make(name, tmp_path)

    if adapter.uses_outbox:
        assert adapter.outbox_dir == tmp_path / "outbox" / f"{name}-channel"


@pytest.mark.parametrize("edge", sorted(EDGE_BODIES))
@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_render_copes_with_odd_input_and_is_deterministic(
    name, edge, tmp_path, release, context
):
    release = dataclasses.replace(
        release,
        title=f"Uji {edge} <b>&</b> 🎉",
        lead="" if edge == "empty" else release.lead,
        body_markdown=EDGE_BODIES[edge],
    )
    adapter = make(name, tmp_path)

    first = adapter.render(release, context)
    second = adapter.render(release, context)

    assert isinstance(first, Rendition)
    assert (first.channel, first.adapter) == (f"{name}-channel", name)
    assert isinstance(first.text, str)
    assert all(isinstance(w, Notice) for w in first.warnings)
    assert first.content_hash == second.content_hash
    assert "<script" not in (first.html or "")
    assert len({f.name for f in first.files}) == len(first.files)
