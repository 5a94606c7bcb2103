"""The languages adapters write in: English for English releases, else Indonesian."""

from __future__ import annotations

from typing import Literal

Language = Literal["id", "en"]


def language_of(code: str) -> Language:
    """`en` for English, else `id` (a release in any other language reads as
    Indonesian, the office's own)."""
    return "en" if code == "en" else "id"
