"""Migration 0006 turns stored English warnings into notices, and back."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from channel_adapters.notice import Notice

PATH = (
    Path(__file__).resolve().parents[2]
    / "publisher/migrations/versions/0006_rendition_warning_codes.py"
)
spec = importlib.util.spec_from_file_location("migration_0006", PATH)
migration = importlib.util.module_from_spec(spec)
spec.loader.exec_module(migration)


def test_known_sentences_get_their_code_back():
    assert migration.as_notice("The headline is empty.") == {
        "code": "print.headline_empty",
        "params": {},
    }
    assert migration.as_notice(
        "A sentence of 26 spoken words is too long to read in one breath: "
        "“Pemerintah Kota Denpasar terus …”"
    ) == {
        "code": "radio.sentence_too_long",
        "params": {"words": 26, "sentence": "Pemerintah Kota Denpasar terus"},
    }


def test_any_other_sentence_is_kept_verbatim():
    text = "Shortened to fit X's 280 weighted characters: 2 sentences left out."
    stored = migration.as_notice(text)

    assert stored == {"code": "legacy.text", "params": {"text": text}}
    assert Notice.from_stored(stored) == Notice("legacy.text", {"text": text})
    assert migration.as_text(stored) == text


def test_a_notice_already_stored_is_left_alone():
    stored = {"code": "social.no_link", "params": {}}

    assert migration.as_notice(stored) is stored
