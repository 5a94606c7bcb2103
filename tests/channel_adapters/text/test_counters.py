"""Each network's idea of a character (text/counters.py)."""

from __future__ import annotations

import pytest

from channel_adapters.text.counters import (
    emoji_as_bytes,
    graphemes,
    utf16_units,
    x_weighted,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one grapheme, seven code points, 25 bytes
FLAG = "🇮🇩"
LONG_URL = "https://rilis.baliprov.go.id/p/" + "a1b2c3d4" * 25


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("a" * 280, 280),
        ("日本語", 6),  # CJK counts 2
        (FAMILY, 2),  # an emoji sequence counts 2, however many code points
        (FLAG, 2),
        ("ᬩᬮᬶ", 6),  # Balinese is outside X's single-weight ranges
        (LONG_URL, 23),  # a URL counts 23 whatever its length
        (f"Baca {LONG_URL} ya", 23 + 8),
        ("lapor.go.id", 23),  # a bare domain is a link on X too
        ("https://rilis.baliprov.example/p/1", 34),  # no public TLD: not a link
    ],
)
def test_x_counts_as_twitter_text_does(text, weighted):
    assert x_weighted(text) == weighted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FAMILY, 1),
        (FLAG, 1),
        ("e\u0301", 1),  # e + combining acute
        ("1\ufe0f\u20e3", 1),  # keycap one
        ("ᬩᬮᬶ", 2),  # ba, then la with its vowel sign
        ("日本語", 3),
        ("Om Swastyastu 🙏", 15),
    ],
)
def test_graphemes_are_what_a_reader_counts(text, expected):
    assert graphemes(text) == expected


def test_utf16_counts_emoji_as_two_and_threads_counts_emoji_bytes():
    assert utf16_units("😀") == 2 and utf16_units("日") == 1
    assert utf16_units(FAMILY) == 11
    assert emoji_as_bytes("👍") == 4 and emoji_as_bytes("a👍b") == 6
    assert emoji_as_bytes(FAMILY) == 25
    assert emoji_as_bytes("日本 ᬩᬮᬶ") == len("日本 ᬩᬮᬶ")  # only emoji count as bytes
