"""Bluesky's rich-text facets, found as Bluesky's own client finds them.

Bluesky makes nothing a link, tag or mention by itself: the client marks each with
a facet by UTF-8 byte offsets. These rules follow the reference client's detection
(@atproto/api `RichText.detectFacets`) so a post reads the same as one typed in the
app, and are checked against its published test cases
(tests/channel_adapters/text/test_conformance.py):

- a mention is `@handle.domain` after a start, space or "(", ending at a word
  boundary, whose domain ends in a known top-level domain (or `.test`); its DID is
  resolved at send time, and an unresolvable handle gets no facet;
- a link is `http(s)://…` up to the next space, or a bare `domain.tld/…` with a
  known top-level domain (given `https://`), without one trailing `.,;:!?` and
  without a trailing ")" it did not open: https://id.wikipedia.org/wiki/Nusa_Penida_(pulau)
  keeps its bracket;
- a tag is `#` (or `＃`) after a start or space, up to the next space, not only
  digits, without trailing punctuation, at most 64 graphemes: `#SP4N-LAPOR` and
  `#Bali🌴` are whole tags (X and Mastodon end them at the hyphen or emoji);
- a cashtag `$ABC` (a letter, then at most four letters or digits) is a tag `$ABC`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
from twitter_text.regexp.valid_cctld import valid_cctld
from twitter_text.regexp.valid_gtld import valid_gtld

from ..text.counters import graphemes

LINK = "app.bsky.richtext.facet#link"
TAG = "app.bsky.richtext.facet#tag"
MENTION = "app.bsky.richtext.facet#mention"
MAX_TAG_GRAPHEMES = 64

_W = "[A-Za-z0-9_]"  # JavaScript's \b is ASCII
_MENTION = regex.compile(
    rf"(?:^|(?<=\s|\())@([a-zA-Z0-9.-]+)(?:(?<={_W})(?!{_W})|(?<!{_W})(?={_W}))"
)
_URL = regex.compile(
    r"(?:^|(?<=\s|\())(?:(https?://\S+)|((?P<domain>[a-z][a-z0-9]*(?:\.[a-z0-9]+)+)\S*))",
    regex.IGNORECASE | regex.MULTILINE,
)
_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(
    rf"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s{_INVISIBLE}]*[^0-9\s\p{{P}}{_INVISIBLE}]+"
    rf"[^\s{_INVISIBLE}]*)?",
    regex.V1,
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
_CASHTAG = regex.compile(
    r"(?:^|(?<=\s|\())\$([A-Za-z][A-Za-z0-9]{0,4})(?=\s|$|[.,;:!?)\"'\u2019])"
)


@dataclass(frozen=True)
class Found:
    """A facet's span in code points and what it is: a link, tag or mention."""

    start: int
    end: int
    kind: str  # LINK, TAG or MENTION
    value: str  # the URI, the tag without "#", or the handle without "@"


@lru_cache(maxsize=1)
def top_level_domains() -> frozenset[str]:
    """The top-level domains twitter-text knows (the IANA list it ships)."""
    found: set[str] = set()
    for pattern in (valid_gtld.pattern, valid_cctld.pattern):
        body = pattern.split("(?:(?:", 1)[1].split(")", 1)[0]
        found.update(body.split("|"))
    return frozenset(found)


def is_valid_domain(name: str) -> bool:
    """True if `name` ends in "." and a known top-level domain (case as written)."""
    _, dot, tld = name.rpartition(".")
    return bool(dot) and tld in top_level_domains()


def detect(text: str) -> list[Found]:
    """Mentions, links and tags of `text` in the order Bluesky's client finds them."""
    found = [
        Found(m.start(), m.end(), MENTION, m.group(1))
        for m in _MENTION.finditer(text)
        if is_valid_domain(m.group(1)) or m.group(1).endswith(".test")
    ]
    for m in _URL.finditer(text):
        uri = m.group(1) or m.group(2)
        start = m.start(1) if m.group(1) else m.start(2)
        if not uri.startswith("http"):
            if not is_valid_domain(m.group("domain")):
                continue
            uri = f"https://{uri}"
        end = start + len(m.group(1) or m.group(2))
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append(Found(start, end, LINK, uri))
    for m in _TAG.finditer(text):
        tag = m.group(1)
        if not tag:
            continue
        tag = _TRAILING_PUNCTUATION.sub("", tag.strip())
        if not tag or graphemes(tag) > MAX_TAG_GRAPHEMES:
            continue
        found.append(Found(m.start(), m.start() + 1 + len(tag), TAG, tag))
    found += [
        Found(m.start(), m.end(), TAG, "$" + m.group(1).upper())
        for m in _CASHTAG.finditer(text)
    ]
    return found


def byte_index(text: str, position: int) -> int:
    """The UTF-8 byte offset of code point `position` in `text`."""
    return len(text[:position].encode())
