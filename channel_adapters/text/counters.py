"""Each network's own idea of a "character": code points, UTF-16 units, graphemes,
X's weighted count, Threads' emoji bytes, and links counted as a fixed weight."""

from __future__ import annotations

from functools import lru_cache

import regex
from twitter_text import parse_tweet
from twitter_text.extract_urls import extract_urls_with_indices

GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X")
# A URL ends before trailing punctuation, but keeps a bracket it opened itself:
# https://id.wikipedia.org/wiki/Nusa_Penida_(pulau) whole, (https://a.id) without ")".
URL_RE = regex.compile(
    r"https?://(?:\([^\s<>\"…()]*\)|[^\s<>\"…(]|\((?![^\s<>\"…()]*\)))+?"
    r"(?=[.,;:!?)\]”’…]*(?:\s|$|<|\"))"
)
HASHTAG_RE = regex.compile(r"(?<![^\s(])#([\p{L}\p{M}\p{N}_]+)")


def code_points(text: str) -> int:
    """Unicode code points, what Python's len counts."""
    return len(text)


def utf16_units(text: str) -> int:
    """UTF-16 code units, what JavaScript's length counts (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters): 👨‍👩‍👧 is one."""
    if text.isascii() and "\r\n" not in text:
        return len(text)  # every ASCII character is a cluster of its own
    return len(GRAPHEME.findall(text))


# Words X may weigh other than 1 each (with a character outside ASCII and Latin
# letters, or a "." or ":", which a URL needs), and runs of whitespace holding more
# than spaces, tabs and newlines ("\r\n" counts as one).
_SPECIAL = regex.compile(
    r"(?P<word>(?<!\S)\S*[^\s\x21-\x2d\x2f-\x39\x3b-\x7e\u00c0-\u024f]\S*)"
    r"|(?P<space>(?<!\s)\s*[^\S \t\n]\s*)"
)


def x_weighted(text: str) -> int:
    """X's weighted length via twitter-text: URLs 23, emoji and CJK 2."""
    # URLs and emoji never span whitespace, so words can be weighed one by one:
    # every other character weighs 1, and twitter-text's URL pattern, slow on long
    # runs, only ever sees one word (with the character before it, which it reads).
    total = len(text)
    for match in _SPECIAL.finditer(text):
        chunk = match.group()
        if match.group("space"):
            total += _chunk_weight(chunk) - len(chunk)
        else:
            before = text[match.start() - 1] if match.start() else ""
            total += _chunk_weight(before + chunk) - _chunk_weight(before) - len(chunk)
    return total


@lru_cache(maxsize=4096)
def _chunk_weight(chunk: str) -> int:
    """One word (or run of whitespace) as X weighs it."""
    return parse_tweet(chunk).weightedLength


def emoji_as_bytes(text: str) -> int:
    """Code points, but each emoji as many as its UTF-8 bytes (Threads' rule)."""
    if text.isascii():
        return len(text)
    extra = sum(len(m.encode()) - len(m) for m in _EMOJI.findall(text))
    return len(text) + extra


_WITH_COLON = regex.compile(r"(?<!\S)\S*:\S*")  # words that may hold a URL


def links_as(text: str, weight: int) -> str:
    """`text` with every URL that has a protocol replaced by `weight` characters."""
    return _WITH_COLON.sub(lambda m: _chunk_links_as(m.group(), weight), text)


@lru_cache(maxsize=4096)
def _chunk_links_as(chunk: str, weight: int) -> str:
    """One chunk with its URLs (found as twitter-text finds them) replaced."""
    for url in reversed(extract_urls_with_indices(chunk, False)):
        start, end = url["indices"]
        chunk = chunk[:start] + "x" * weight + chunk[end:]
    return chunk


def is_linked(url: str) -> bool:
    """True if twitter-text (X, Mastodon) sees `url` as a link (a known TLD)."""
    return any(found["url"] == url for found in extract_urls_with_indices(url, False))


# Mastodon's mention (Account::MENTION_RE): `@user@domain` counts as `@user`. Not a
# mention when `@`, a letter or `://` follows the whole match (checked after it, as
# Mastodon's Extractor does, without backtracking), nor when the domain is over 253
# characters.
_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)(@\w+(?:[.-]+\w+)*)?",
    regex.IGNORECASE,
)
_END_MENTION = regex.compile(r"[@＠\p{L}]|://")
MASTODON_LINK_WEIGHT = 23
MAX_MENTION_DOMAIN = 253


def mastodon_length(text: str) -> int:
    """Mastodon's count (StatusLengthValidator): graphemes, a link with a protocol
    23, a remote mention only its `@user` part."""
    text = links_as(text, MASTODON_LINK_WEIGHT)
    if "@" in text:
        text = _MASTODON_MENTION.sub(_local_part, text)
    return graphemes(text)


def _local_part(match: regex.Match) -> str:
    """`@user` of a remote mention; anything else as it is."""
    domain = match.group(2)
    if (
        not domain
        or _END_MENTION.match(match.string, match.end())
        or len(domain) - 1 > MAX_MENTION_DOMAIN
    ):
        return match.group()
    return "@" + match.group(1)
