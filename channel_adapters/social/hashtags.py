"""Hashtags from a release's tags as typed: `keterbukaan informasi` becomes
`#KeterbukaanInformasi`."""

from __future__ import annotations

from functools import lru_cache

import regex

from ..text.counters import graphemes

MAX_TAG_LENGTH = 50  # Threads' limit for a topic; longer tags read poorly anywhere
_NOT_IN_TAG = regex.compile(r"[^\p{L}\p{M}\p{N}]+")


def hashtag(raw: str) -> str | None:
    """`#CamelCase` from a tag as typed ("keterbukaan informasi"); None if unusable."""
    words = [w for w in _NOT_IN_TAG.split(raw) if w]
    # A single word keeps its own capitals (BaliEraBaru, iPhone); words are joined
    # with a capital each so the tag stays readable without spaces.
    tag = words[0] if len(words) == 1 else "".join(w[:1].upper() + w[1:] for w in words)
    if not regex.search(r"\p{L}", tag) or graphemes(tag) > MAX_TAG_LENGTH:
        return None
    return f"#{tag}"


@lru_cache(maxsize=64)
def hashtags(raw_tags: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Hashtags in order, without duplicates (any case), and the tags left out."""
    seen: set[str] = set()
    tags, unusable = [], []
    for raw in raw_tags:
        tag = hashtag(raw)
        if tag is None:
            if raw.strip():
                unusable.append(raw.strip())
        elif tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags), tuple(unusable)
