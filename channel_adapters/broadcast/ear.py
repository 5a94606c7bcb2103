"""A release prepared for the ear, shared by the radio and TV scripts.

The body's Markdown becomes passages an announcer can read (headings dropped, lists
said as one sentence, quotes attributed), each split into sentences in spoken form
with their word count as said; cuts keep whole sentences in news order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field

from ..base import OutboxSettings, ReleaseSnapshot
from ..notice import Notice
from ..text.formatting import long_datetime
from ..text.markdown import MD, inline_text
from ..text.spoken import (
    Mode,
    normalize,
    pronounce,
    sentences,
    unknown_abbreviations,
    word_count,
)

BREATH_WORDS = 25  # spoken words an announcer can read before running out of air
QUOTE_WORDS = 8
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
LISTED = 10  # long sentences named one by one; a drafter fixes these first
# `> "Kutipan." — Nama, Jabatan`: the explicit way to attribute a quote.
ATTRIBUTION = re.compile(r"^(?P<quote>.+?)\s*(?:—|―|--)\s*(?P<who>[^—―]+?)\.?$")
LABELS = {
    "id": {
        "minutes": ("menit", "menit"),
        "seconds": ("detik", "detik"),
        "pace": "{wpm} kata/menit",
        "and": "dan",
        "said": "kata",
        "guide": "Tanda [ ] = cara membaca singkatan, tidak dibacakan.",
        "soon": "segera",
    },
    "en": {
        "minutes": ("minute", "minutes"),
        "seconds": ("second", "seconds"),
        "pace": "{wpm} words a minute",
        "and": "and",
        "said": "said",
        "guide": "[ ] = how to say an abbreviation; not read aloud.",
        "soon": "as soon as possible",
    },
}


class EarSettings(OutboxSettings):
    """Settings every script for the ear shares: outbox, reading pace, glossary use."""

    # Indonesian newsreaders read about 140 words a minute, English ones a bit faster.
    words_per_minute_id: Annotated[int, Field(gt=0)] = 140
    words_per_minute_en: Annotated[int, Field(gt=0)] = 155
    # guide: "KIM [ka-i-em]" at first sight; replace: the script says "ka-i-em".
    pronunciation: Literal["guide", "replace"] = "guide"
    slot_seconds: Annotated[int, Field(gt=0)] | None = None

    def pace(self, language: str) -> int:
        """Words a minute in `language`."""
        return (
            self.words_per_minute_en if language == "en" else self.words_per_minute_id
        )


@dataclass(frozen=True)
class Sentence:
    """One sentence as written and as said."""

    written: str
    spoken: str  # glossary terms still as written
    words: int  # words as said, glossary terms pronounced


@dataclass(frozen=True)
class Passage:
    """A paragraph for the ear: `title`, `lead`, `body` or `closing`."""

    kind: str
    written: str
    sentences: tuple[Sentence, ...]

    @property
    def words(self) -> int:
        """Words as said."""
        return sum(s.words for s in self.sentences)


@dataclass(frozen=True)
class EarScript:
    """A release in spoken form, with the abbreviations nobody has explained yet."""

    language: str
    passages: tuple[Passage, ...]
    unknown: tuple[str, ...]

    @property
    def words(self) -> int:
        """Words as said in the whole script."""
        return sum(p.words for p in self.passages)


@lru_cache(maxsize=64)
def passages(markdown: str, language: str) -> tuple[str, ...]:
    """Body paragraphs for the ear: no headings, lists as one sentence, no markup."""
    out: list[str] = []
    items: list[str] | None = None
    depth = quote_start = 0
    skip = False
    for token in MD.parse(markdown or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            items = [] if items is None else items
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and items is not None:
                _add_list(out, items, language)
                items = None
        elif token.type == "heading_open":
            skip = True  # a subheading guides the eye; a listener needs none
        elif token.type == "heading_close":
            skip = False
        elif token.type == "blockquote_open":
            quote_start = len(out)
        elif token.type == "blockquote_close":
            _attribute(out, quote_start, language)
        elif token.type == "inline" and not skip:
            text = inline_text(token, tags=False)
            if text and items is not None:
                items.append(text)
            elif text:
                out.append(text)
    return tuple(out)


def _add_list(out: list[str], items: list[str], language: str) -> None:
    """A list said as one sentence (`a, b, dan c.`), after its `…:` introduction."""
    if not items:
        return
    if all(i[:1].isupper() and i.endswith((".", "!", "?")) for i in items):
        said = " ".join(items)  # a list of whole sentences stays so
    else:
        parts = [i.rstrip(" ,;.") for i in items if i.rstrip(" ,;.")]
        if not parts:
            return
        conj = LABELS[language]["and"]
        if len(parts) == 1:
            said = parts[0]
        elif len(parts) == 2:
            said = f"{parts[0]} {conj} {parts[1]}"
        else:
            said = f"{', '.join(parts[:-1])}, {conj} {parts[-1]}"
        said += "."
    if out and out[-1].endswith(":"):
        out[-1] = f"{out[-1]} {said}"
    else:
        out.append(said[0].upper() + said[1:])


def _attribute(out: list[str], start: int, language: str) -> None:
    """`"Quote." — Name, Title` inside a block quote becomes `"Quote," kata Name, …`."""
    if len(out) - start >= 2 and out[-1].startswith(("—", "―", "--")):
        out[-2:] = [f"{out[-2]} {out[-1]}"]  # the attribution on its own line
    if len(out) <= start:
        return
    match = ATTRIBUTION.match(out[-1])
    if not match or not match["who"][:1].isupper():
        return
    quote = match["quote"].strip()
    if not quote.startswith(('"', "“")):
        quote = f"“{quote}”"
    quote = re.sub(r"\.(?=[\"”]$)", ",", quote)
    if not re.search(r"[,!?][\"”]$", quote):
        quote = f"{quote[:-1]},{quote[-1]}"
    out[-1] = f"{quote} {LABELS[language]['said']} {match['who']}."


def prepare(
    parts: Sequence[tuple[str, str]], language: str, glossary: Mapping[str, str]
) -> EarScript:
    """(kind, written text) pairs in spoken form, sentence by sentence."""
    built = []
    for kind, written in parts:
        written = " ".join(TAG.sub(" ", written).split())
        if not written:
            continue
        done = []
        for sentence in [written] if kind == "title" else sentences(written):
            spoken = normalize(sentence, language, glossary)
            [aloud] = pronounce([spoken], glossary, "replace")
            done.append(Sentence(sentence, spoken, word_count(aloud)))
        built.append(Passage(kind, written, tuple(done)))
    unknown = unknown_abbreviations(
        [s.spoken for p in built for s in p.sentences], glossary
    )
    return EarScript(language, tuple(built), tuple(unknown))


def fits(words: int, seconds: int, wpm: int) -> bool:
    """Whether `words` are read within `seconds` at `wpm` words a minute."""
    return words * 60 <= seconds * wpm


def cut(script: EarScript, seconds: int, wpm: int) -> tuple[list[Passage], bool]:
    """Title, lead, then whole sentences in order while they fit; False if over."""
    head = [p for p in script.passages if p.kind in ("title", "lead")]
    used = sum(p.words for p in head)
    if not fits(used, seconds, wpm):
        return head, False
    kept = list(head)
    for passage in script.passages:
        if passage.kind != "body":
            continue
        taken = []
        for sentence in passage.sentences:
            if not fits(used + sentence.words, seconds, wpm):
                break
            taken.append(sentence)
            used += sentence.words
        if taken:
            text = " ".join(s.written for s in taken)
            kept.append(Passage("body", text, tuple(taken)))
        if len(taken) < len(passage.sentences):
            break
    return kept, True


def said(
    chosen: Sequence[Passage], glossary: Mapping[str, str], mode: Mode
) -> list[str]:
    """The passages as the announcer's text; a guide only at a term's first sight."""
    texts = [" ".join(s.spoken for s in p.sentences) for p in chosen]
    return pronounce(texts, glossary, mode)


def seconds_for(words: int, wpm: int) -> int:
    """Reading time in whole seconds."""
    return round(words * 60 / wpm)


def duration_text(seconds: int, language: str) -> str:
    """`1 menit 20 detik`, `45 detik`, `2 menit`: how a producer says a duration."""
    labels = LABELS[language]
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} {labels['minutes'][minutes != 1]}")
    if rest or not minutes:
        parts.append(f"{rest} {labels['seconds'][rest != 1]}")
    return " ".join(parts)


def duration_line(seconds: int, wpm: int, language: str) -> str:
    """`47 detik (140 kata/menit)`: the estimate and the pace it assumes."""
    pace = LABELS[language]["pace"].format(wpm=wpm)
    return f"{duration_text(seconds, language)} ({pace})"


def air_time(release: ReleaseSnapshot, channel: str, tz: str, language: str) -> str:
    """The planned time on this channel in the office's zone, else "segera"."""
    planned = release.planned_at.get(channel)
    if not planned:
        return LABELS[language]["soon"]
    return long_datetime(planned, tz, language)


def embargo_line(release: ReleaseSnapshot, tz: str, language: str, wording: str) -> str:
    """`wording` with the embargo's end filled in, or "" without an embargo."""
    if not release.embargo_at:
        return ""
    return wording.format(when=long_datetime(release.embargo_at, tz, language))


def guide_note(script: EarScript, glossary: Mapping[str, str], mode: Mode) -> str:
    """A line explaining the brackets, when the script shows pronunciation guides."""
    plain = [" ".join(s.spoken for s in p.sentences) for p in script.passages]
    if mode == "guide" and pronounce(plain, glossary, "guide") != plain:
        return LABELS[script.language]["guide"]
    return ""


def warnings(script: EarScript, seconds: int, slot: int | None) -> list[Notice]:
    """Sentences too long for one breath, unexplained abbreviations, a long script."""
    out = []
    long = [s for p in script.passages for s in p.sentences if s.words > BREATH_WORDS]
    for sentence in long[:LISTED]:
        start = " ".join(sentence.written.split()[:QUOTE_WORDS])
        params = {"words": sentence.words, "sentence": start}
        out.append(Notice("radio.sentence_too_long", params))
    if len(long) > LISTED:
        out.append(Notice("radio.more_long_sentences", {"count": len(long) - LISTED}))
    if script.unknown:
        terms = ", ".join(script.unknown)
        out.append(Notice("radio.unknown_abbreviations", {"terms": terms}))
    if slot and seconds > slot:
        params = {"seconds": seconds, "slot": slot}
        out.append(Notice("radio.longer_than_slot", params))
    return out
