"""One sentence splitter for every adapter, with one list of abbreviations.

A sentence ends at `.`, `!`, `?` or `…` (with any closing quote or bracket) before
whitespace and a character that is not a lower-case letter, or at `。！？`; not after
an abbreviation, an initial or a dotted title (`Jl.`, `Dr.`, `I Gusti A. Putri`,
`S.Sos.`, `a.n.`).
"""

from __future__ import annotations

from functools import lru_cache

import regex

_SENTENCE_END = regex.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s+[^\p{Ll}\s])|[。！？]+[」』”]*(?=\S)"
)
# Words ending in a dot that rarely end a sentence in Indonesian or English press
# text: titles before names, address parts, company forms, Latin shorthands.
ABBREVIATIONS = frozenset(
    "jl jln gg no dr drs dra ir prof h hj st tn ny sdr bpk yth kab kec kel prov rt rw "
    "rp tel telp pk mr mrs ms vs pt cv tbk approx e.g i.e a.n s.d".split()
)
_DOTTED = regex.compile(r"\p{L}{1,4}(?:\.\p{L}{1,4})+")  # S.Sos, M.Si, a.n, Ph.D


def ends_abbreviation(text: str, end: int) -> bool:
    """True if the dot before `end` belongs to an abbreviation or an initial."""
    word = text[:end].rsplit(None, 1)[-1] if text[:end].split() else ""
    word = word.lstrip("\"'“”‘’([").rstrip(".\"'”’»)]").casefold()
    initial = len(word) == 1 and word.isalpha()
    return initial or word in ABBREVIATIONS or bool(_DOTTED.fullmatch(word))


@lru_cache(maxsize=256)
def sentence_ends(paragraph: str) -> tuple[int, ...]:
    """Offsets in `paragraph` where its sentences end (the last is its length)."""
    ends = [
        m.end()
        for m in _SENTENCE_END.finditer(paragraph)
        if not (m.group().startswith(".") and ends_abbreviation(paragraph, m.end()))
    ]
    if not ends or ends[-1] < len(paragraph):
        ends.append(len(paragraph))
    return tuple(ends)


def sentences(text: str) -> list[str]:
    """`text` as its sentences, each stripped; empty ones left out."""
    out, start = [], 0
    for end in sentence_ends(text):
        sentence = text[start:end].strip()
        if sentence:
            out.append(sentence)
        start = end
    return out
