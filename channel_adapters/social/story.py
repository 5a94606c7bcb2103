"""The story a post tells (lead and body paragraphs, as sentences) and how it is
cut to fit: between sentences, else between words, else between graphemes, never
inside a link or a hashtag, ending in "…"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from ..text.counters import GRAPHEME, HASHTAG_RE, URL_RE
from ..text.sentences import sentence_ends

ELLIPSIS = "…"


@dataclass(frozen=True)
class Story:
    """Lead and body paragraphs, cut only between sentences (or words, at worst)."""

    paragraphs: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many sentences there are."""
        return sum(len(sentence_ends(p)) for p in self.paragraphs)

    def first(self, count: int) -> str:
        """The first `count` sentences, paragraphs apart by a blank line."""
        kept = []
        for paragraph in self.paragraphs:
            ends = sentence_ends(paragraph)
            if count >= len(ends):
                kept.append(paragraph)
                count -= len(ends)
            else:
                if count:
                    kept.append(paragraph[: ends[count - 1]])
                break
        return "\n\n".join(kept)

    def sentences(self) -> list[tuple[int, str]]:
        """Every sentence with the index of its paragraph."""
        out = []
        for index, paragraph in enumerate(self.paragraphs):
            start = 0
            for end in sentence_ends(paragraph):
                out.append((index, paragraph[start:end].strip()))
                start = end
        return [(i, s) for i, s in out if s]


def join_sentences(units: Sequence[tuple[int, str]]) -> str:
    """Sentences back into text: a space within a paragraph, a blank line between."""
    text, last = "", None
    for index, sentence in units:
        if last is None:
            text = sentence
        elif index != last:
            text += f"\n\n{sentence}"
        else:
            text += ("\n" if sentence.startswith("•") else " ") + sentence
        last = index
    return text


def largest(low: int, high: int, ok: Callable[[int], bool]) -> int:
    """The largest n in [low, high] with ok(n), ok being true up to a point."""
    # Gallop up from `low` first: the answer is usually near the start (a post is
    # short, the text long), and small probes are cheap to count.
    found, step = low - 1, 1
    while low <= high and ok(low):
        found, low, step = low, min(low + step, high + 1), step * 2
    high = min(high, low - 1)
    low = found + 1
    while low <= high:
        middle = (low + high) // 2
        if ok(middle):
            found, low = middle, middle + 1
        else:
            high = middle - 1
    return found


def protected(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and hashtags, which are never cut in half."""
    return [m.span() for m in URL_RE.finditer(text)] + [
        m.span() for m in HASHTAG_RE.finditer(text)
    ]


def shortened(text: str, position: int) -> str:
    """`text` up to `position`, ending in "…" instead of a dangling comma or dash."""
    kept = text[:position].rstrip(" \n,;:–—-")
    # Apart from a final link or hashtag, so no app reads "…" as part of it.
    if any(end == len(kept) for _, end in protected(kept)):
        return f"{kept} {ELLIPSIS}"
    return kept + ELLIPSIS


def cut_position(text: str, fits: Callable[[str], bool]) -> int | None:
    """Where to cut `text` so it fits with "…": at a word, else between graphemes."""
    words = [m.start() for m in regex.finditer(r"\s+", text) if m.start()]
    found = largest(0, len(words) - 1, lambda i: fits(shortened(text, words[i])))
    if found >= 0:
        return words[found]
    # No whitespace early enough (CJK, Balinese, one long word): cut between
    # graphemes, but never inside a URL or a hashtag.
    inside = set()
    for start, end in protected(text):
        inside.update(range(start + 1, end))
    bounds = [m.end() for m in GRAPHEME.finditer(text) if m.end() not in inside]
    found = largest(0, len(bounds) - 1, lambda i: fits(shortened(text, bounds[i])))
    return bounds[found] if found >= 0 else None


def cut(text: str, fits: Callable[[str], bool]) -> str | None:
    """The longest start of `text` that fits, ending in "…"; None if nothing does."""
    position = cut_position(text, fits)
    return None if position is None else shortened(text, position)
