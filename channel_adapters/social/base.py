"""What social and messaging networks share: counting, hashtags, shortening, threads.

A network's module states its facts as class attributes of a `SocialAdapter` subclass
(limit, counter, markup, …). This module builds the post from them: headline, lead (and
for long-form networks a few body paragraphs), a link to the release's public page and
hashtags, shortened until it fits as that network counts. These adapters render only;
delivery comes later, so a drafter copies the text from the preview.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import regex
from markdown_it import MarkdownIt
from pydantic import ConfigDict, Field
from twitter_text import parse_tweet
from twitter_text.extract_urls import extract_urls_with_indices

from ..base import (
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryResult,
    Organization,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
)

ELLIPSIS = "…"
THREAD_BREAK = "\n\n---\n\n"  # between the posts of a thread in Rendition.text
_BREAK_LINE = regex.compile(r"^[ \t]*-{3,}[ \t]*$", regex.M)  # what `parts` splits at
LINK_LABEL = {"id": "Selengkapnya", "en": "Read more"}
MAX_TAG_LENGTH = 50  # Threads' limit for a topic; longer tags read poorly anywhere

# --- counters: each network's own idea of a "character" ------------------------------

_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"(?=[\p{Extended_Pictographic}\p{Regional_Indicator}])\X")
_HTML_TAG = regex.compile(r"<[^>]*>")
URL_RE = regex.compile(r"https?://[^\s<>\"…]+?(?=[.,;:!?)\]”’…]*(?:\s|$|<|\"))")
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
    return len(_GRAPHEME.findall(text))


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


def unlinked(label: str, release: ReleaseSnapshot, text: str) -> list[str]:
    """A warning if `text` has the public address but twitter-text sees no link."""
    link = release.public_url.strip()
    if not link or link not in text or is_linked(link):
        return []
    return [
        f"{label} does not see {link} as a web address (its domain ending is not a "
        "public one), so it is neither a link nor counted as 23 characters."
    ]


def with_warnings(rendition: Rendition, *warnings: str) -> Rendition:
    """`rendition` with more warnings for the drafter."""
    return replace(rendition, warnings=(*rendition.warnings, *warnings))


def telegram_visible(text: str) -> str:
    """What a Telegram reader sees of an HTML-mode text: tags gone, entities decoded."""
    return html.unescape(_HTML_TAG.sub("", text))


# --- hashtags -------------------------------------------------------------------------

_NOT_IN_TAG = regex.compile(r"[^\p{L}\p{M}\p{N}]+")
_PUNCTUATION = regex.compile(r"[\p{P}\p{S}]*")


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


# --- the story: lead and body as paragraphs of sentences ------------------------------

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_SENTENCE_END = regex.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s+[^\p{Ll}\s])|[。！？]+[」』”]*(?=\S)"
)
# Words ending in a dot that rarely end a sentence in Indonesian or English press text.
_ABBREVIATIONS = frozenset(
    "jl no dr drs dra ir prof h hj st tn ny sdr bpk kab kec kel rt rw rp tel telp "
    "mr mrs ms vs pt cv tbk".split()
)


_DOTTED = regex.compile(r"\p{L}{1,4}(?:\.\p{L}{1,4})+")  # S.Sos, M.Si, a.n, Ph.D


def _ends_abbreviation(text: str, end: int) -> bool:
    """True if the dot before `end` belongs to an abbreviation or an initial."""
    word = text[:end].rsplit(None, 1)[-1].rstrip(".\"'”’»)]").casefold()
    return len(word) == 1 or word in _ABBREVIATIONS or bool(_DOTTED.fullmatch(word))


@lru_cache(maxsize=256)
def sentence_ends(paragraph: str) -> tuple[int, ...]:
    """Offsets in `paragraph` where its sentences end (the last is its length)."""
    ends = [
        m.end()
        for m in _SENTENCE_END.finditer(paragraph)
        if not (m.group().startswith(".") and _ends_abbreviation(paragraph, m.end()))
    ]
    if not ends or ends[-1] < len(paragraph):
        ends.append(len(paragraph))
    return tuple(ends)


def _inline_text(token) -> str:
    """An inline token as plain text: markup dropped, a link as "words (URL)"."""
    parts, href, start = [], "", 0
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "link_open":
            href, start = str(child.attrs.get("href", "")), len(parts)
        elif child.type == "link_close" and href.startswith(("http://", "https://")):
            if "".join(parts[start:]).strip() != href:
                parts.append(f" ({href})")
    return " ".join("".join(parts).split())


@lru_cache(maxsize=32)
def body_blocks(markdown: str) -> tuple[str, ...]:
    """Body paragraphs as plain text; headings left out, list items as bullet lines."""
    blocks: list[str] = []
    heading, lists = False, 0
    for token in _MD.parse(markdown or ""):
        if token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "inline" and not heading:
            text = _inline_text(token)
            if text and lists and blocks:
                blocks[-1] += f"\n• {text}"  # a list belongs to the sentence before it
            elif text:
                blocks.append(f"• {text}" if lists else text)
    return tuple(blocks)


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


# --- cutting --------------------------------------------------------------------------


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


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and hashtags, which are never cut in half."""
    return [m.span() for m in URL_RE.finditer(text)] + [
        m.span() for m in HASHTAG_RE.finditer(text)
    ]


def shortened(text: str, position: int) -> str:
    """`text` up to `position`, ending in "…" instead of a dangling comma or dash."""
    kept = text[:position].rstrip(" \n,;:–—-")
    # Apart from a final link or hashtag, so no app reads "…" as part of it.
    if any(end == len(kept) for _, end in _protected(kept)):
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
    for start, end in _protected(text):
        inside.update(range(start + 1, end))
    bounds = [m.end() for m in _GRAPHEME.finditer(text) if m.end() not in inside]
    found = largest(0, len(bounds) - 1, lambda i: fits(shortened(text, bounds[i])))
    return bounds[found] if found >= 0 else None


def cut(text: str, fits: Callable[[str], bool]) -> str | None:
    """The longest start of `text` that fits, ending in "…"; None if nothing does."""
    position = cut_position(text, fits)
    return None if position is None else shortened(text, position)


# --- the adapter ----------------------------------------------------------------------


class SocialSettings(AdapterSettings):
    """Settings every social channel has; credentials are for delivery, later."""

    # A validation error must not echo an access token back into logs or the UI.
    model_config = ConfigDict(hide_input_in_errors=True)

    api_base: str | None = None  # where delivery will send; a default per network
    paragraphs: int | None = Field(default=None, ge=0)  # body paragraphs after the lead


class ThreadSettings(SocialSettings):
    """Settings of a network that can post a long release as a numbered thread."""

    thread: bool = False


@dataclass(frozen=True)
class Draft:
    """The pieces of one post before markup."""

    title: str
    subtitle: str
    story: str
    link: str
    tags: tuple[str, ...]
    language: str


class SocialAdapter(Adapter):
    """A post that fits the network's real rules, written from the release."""

    limit: ClassVar[int]
    counter: ClassVar[Callable[[str], int]] = staticmethod(code_points)
    unit: ClassVar[str] = "characters"  # what `counter` counts, for messages
    link_weight: ClassVar[int | None] = None  # every URL counts this much if set
    markup: ClassVar[str] = "plain"  # "plain", "html" (Telegram), "whatsapp"
    paragraphs: ClassVar[int] = 0  # body paragraphs after the lead
    subtitle: ClassVar[bool] = False  # show the subtitle under the headline
    labelled_link: ClassVar[bool] = False  # "Selengkapnya: <url>", not the bare URL
    max_hashtags: ClassVar[int | None] = None
    release_tags_first: ClassVar[bool] = False
    supports_threads: ClassVar[bool] = False
    max_thread_posts: ClassVar[int] = 5
    Settings = SocialSettings
    can_deliver = False
    overridable = True
    idempotent = False

    def __init__(self, channel: str, settings: AdapterSettings, data_dir: Path) -> None:
        """A channel; its limit is the network's, or the instance's (Mastodon)."""
        super().__init__(channel, settings, data_dir)
        configured = getattr(settings, "max_characters", None)
        self.limit = configured or type(self).limit

    # --- counting ---

    def count(self, text: str) -> int:
        """The length of one post as this network counts it."""
        if self.markup == "html":
            text = telegram_visible(text)
        if self.link_weight is not None:
            text = links_as(text, self.link_weight)
        return self.counter(text)

    def excess(self, post: str) -> str | None:
        """Why one post is too long for the network, or None if it fits."""
        length = self.count(post)
        if length > self.limit:
            return f"{length:,} {self.unit}, over the limit of {self.limit:,}"
        return None

    def fits(self, post: str) -> bool:
        """True if one post is within the network's limits."""
        return self.excess(post) is None

    @property
    def makes_threads(self) -> bool:
        """True if this channel posts a long release as a numbered thread."""
        return self.supports_threads and getattr(self.settings, "thread", False)

    def parts(self, text: str) -> list[str]:
        """The posts in a rendition's text (one unless this channel makes threads)."""
        if not self.makes_threads:
            return [text]
        posts = _BREAK_LINE.split(text)
        return [p.strip() for p in posts if p.strip()] or [text]

    def fit_override(self, text: str) -> list[str]:
        """Why a hand-written text cannot be posted as it is (empty list: it can)."""
        if not text.strip():
            return ["the text is empty"]
        posts = self.parts(text)
        problems = []
        for number, post in enumerate(posts, 1):
            excess = self.excess(post)
            if excess:
                where = f"post {number} of {len(posts)}: " if len(posts) > 1 else ""
                problems.append(f"{where}{excess}")
        return problems + self.refusals(text)

    def refusals(self, text: str) -> list[str]:
        """Network rules besides length that a hand-written text breaks."""
        return []

    # --- writing ---

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The post (or thread): headline, lead, link and hashtags, fitted."""
        tags, warnings = self._hashtags(release, context.organization)
        paragraphs = getattr(self.settings, "paragraphs", None)
        blocks = body_blocks(release.body_markdown)
        count = self.paragraphs if paragraphs is None else paragraphs
        lead = " ".join(release.lead.split())
        story = Story(((lead,) if lead else ()) + blocks[:count])
        draft = Draft(
            title=" ".join(release.title.split()),
            subtitle=" ".join(release.subtitle.split()) if self.subtitle else "",
            story="",
            link=release.public_url.strip(),
            tags=tags,
            language=release.language,
        )
        if not draft.link:
            warnings.append(
                "The release has no public address, so the post has no link."
            )
        posts = self._thread(draft, story, warnings) if self.makes_threads else None
        if posts is None:
            posts = [self._single(draft, story, warnings)]
        return self._finish(posts, release, warnings)

    def apply_override(
        self,
        rendition: Rendition,
        text: str,
        release: ReleaseSnapshot,
        context: RenderContext,
    ) -> Rendition:
        """The drafter's text, measured and checked like a generated one."""
        posts = self.parts(text)
        warnings = []
        link = release.public_url.strip()
        if link and not any(link in telegram_visible(p) or link in p for p in posts):
            warnings.append("The edited text has no link to the release's public page.")
        return self._finish(posts, release, warnings)

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """A network's last touches: payload files, its own warnings, another limit."""
        return rendition

    def _finish(
        self, posts: list[str], release: ReleaseSnapshot, warnings: list[str]
    ) -> Rendition:
        """The rendition of finished posts, with their longest length and warnings."""
        if len(posts) > 1:
            warnings.append(
                f"Posted as a thread of {len(posts)} posts, numbered 1/{len(posts)} "
                f"to {len(posts)}/{len(posts)}."
            )
        for number, post in enumerate(posts, 1):
            excess = self.excess(post)
            if excess:
                where = f"Post {number}" if len(posts) > 1 else "The post"
                warnings.append(
                    f"{where} is too long for {self.label}: {excess}. Shorten it by "
                    "hand."
                )
        rendition = Rendition(
            channel=self.channel,
            adapter=self.name,
            text=THREAD_BREAK.join(posts),
            warnings=tuple(warnings),
            length=max(self.count(p) for p in posts),
            limit=self.limit,
        )
        return self.finish(rendition, posts, release)

    def _hashtags(
        self, release: ReleaseSnapshot, organization: Organization
    ) -> tuple[tuple[str, ...], list[str]]:
        """The organization's and the release's hashtags, and warnings about them."""
        raw = [*organization.hashtags, *release.tags]
        if self.release_tags_first:
            raw = [*release.tags, *organization.hashtags]
        tags, unusable = hashtags(tuple(raw))
        warnings = [
            f"“{tag}” cannot be a hashtag (it needs a letter and at most "
            f"{MAX_TAG_LENGTH} characters); left out."
            for tag in unusable
        ]
        most = self.max_hashtags
        if most == 1 and len(tags) > 1:
            warnings.append(
                f"{self.label} takes one hashtag, the post's topic: {tags[0]}. To "
                "choose another, put it first in the release's tags."
            )
        elif most is not None and len(tags) > most:
            left_out = " ".join(tags[most:])
            warnings.append(
                f"{self.label} takes at most {most} hashtags; left out: {left_out}."
            )
        tags = tags[:most] if most is not None else tags
        return tags, warnings

    def compose(self, draft: Draft) -> str:
        """One post's text: headline, subtitle, story, link and hashtags in blocks."""
        blocks = []
        if draft.title:
            blocks.append(self._emphasis(draft.title, "bold"))
        if draft.subtitle:
            blocks.append(self._emphasis(draft.subtitle, "italic"))
        if draft.story:
            blocks.append(self._escape(draft.story))
        if draft.link:
            blocks.append(self._link(draft.link, draft.language))
        if draft.tags:
            blocks.append(" ".join(draft.tags))
        text = "\n\n".join(blocks)
        # A line of dashes in the release must not read as a break between posts.
        return _BREAK_LINE.sub("—", text) if self.makes_threads else text

    def _emphasis(self, text: str, kind: str) -> str:
        """Bold or italic in this network's markup (none on plain networks)."""
        if self.markup == "html":
            tag = "b" if kind == "bold" else "i"
            return f"<{tag}>{html.escape(text, quote=False)}</{tag}>"
        if self.markup == "whatsapp":
            marker = "*" if kind == "bold" else "_"
            text = text.replace(marker, "").strip()
            # A marker near a link or hashtag (only punctuation between) would be
            # read as part of it.
            if any(
                _PUNCTUATION.fullmatch(text[:start])
                or _PUNCTUATION.fullmatch(text[end:])
                for start, end in _protected(text)
            ):
                return text
            return f"{marker}{text}{marker}"
        return text

    def _escape(self, text: str) -> str:
        """Text made safe for this network's markup."""
        return html.escape(text, quote=False) if self.markup == "html" else text

    def _link(self, url: str, language: str) -> str:
        """The link line: the URL, labelled on networks with room for a label."""
        shown = html.escape(url, quote=False) if self.markup == "html" else url
        if self.markup == "html":
            shown = f'<a href="{html.escape(url)}">{shown}</a>'
        if not self.labelled_link:
            return shown
        return f"{LINK_LABEL.get(language, LINK_LABEL['id'])}: {shown}"

    # --- shortening ---

    def _single(self, draft: Draft, story: Story, warnings: list[str]) -> str:
        """One post that fits: whole sentences, then fewer hashtags, then words."""
        total = story.size
        budget = Story(self._budgeted(story))

        def text(count: int, tags: int, subtitle: bool = True) -> str:
            """The post with `count` sentences and the first `tags` hashtags."""
            return self.compose(
                replace(
                    draft,
                    story=budget.first(count),
                    tags=draft.tags[:tags],
                    subtitle=draft.subtitle if subtitle else "",
                )
            )

        full = text(total, len(draft.tags))
        if budget.size == total and self.fits(full):
            return full
        least = min(1, budget.size)
        for subtitle in (True, False) if draft.subtitle else (True,):
            # As many hashtags as leave room for the first sentence, then as many
            # sentences as fit beside them.
            tags = largest(
                0, len(draft.tags), lambda t, s=subtitle: self.fits(text(least, t, s))
            )
            if tags >= 0:
                kept = largest(
                    least,
                    budget.size,
                    lambda n, t=tags, s=subtitle: self.fits(text(n, t, s)),
                )
                self._note_cuts(warnings, draft, tags, total - kept, subtitle)
                return text(kept, tags, subtitle)
        bare = replace(draft, subtitle="", tags=())
        first = budget.first(1)
        story_cut = cut(
            first, lambda s: self.fits(self.compose(replace(bare, story=s)))
        )
        if story_cut:
            self._note_cuts(warnings, draft, 0, total - 1, False)
            warnings.append(
                "The lead was cut mid-sentence to fit; check it reads well."
            )
            return self.compose(replace(bare, story=story_cut))
        title = cut(
            draft.title, lambda t: self.fits(self.compose(replace(bare, title=t)))
        )
        self._note_cuts(warnings, draft, 0, total, False)
        if title:
            warnings.append("Even the headline was too long for the post and was cut.")
            return self.compose(replace(bare, title=title))
        warnings.append("The link alone is longer than the network allows.")
        return self.compose(replace(bare, title=""))

    def _budgeted(self, story: Story) -> tuple[str, ...]:
        """The story without what could never fit, so shortening a huge one is fast."""
        # No network counts a character as less than one, except URLs (23 at most on
        # X), so text beyond this many code points cannot be in the post.
        room = self.limit * 4 + 200
        kept = []
        for paragraph in story.paragraphs:
            if room <= 0:
                break
            if len(paragraph) > room:
                at = paragraph.rfind(" ", 0, room)
                at = at if at > 0 else room
                for start, end in _protected(paragraph):
                    at = start if start < at < end else at
                paragraph = shortened(paragraph, at) if at > 0 else ""
            if paragraph:
                kept.append(paragraph)
            room -= len(paragraph)
        return tuple(kept)

    def _note_cuts(
        self, warnings: list[str], draft: Draft, tags: int, dropped: int, subtitle: bool
    ) -> None:
        """Tell the drafter what shortening left out."""
        limit = f"{self.limit:,} {self.unit}"
        if dropped:
            warnings.append(
                f"Shortened to fit {self.label}'s {limit}: {dropped} sentence"
                f"{'s' if dropped > 1 else ''} left out. Edit this channel's text to "
                "choose the words yourself."
            )
        if tags < len(draft.tags):
            warnings.append(
                f"Hashtags left out for room: {' '.join(draft.tags[tags:])}."
            )
        if draft.subtitle and not subtitle:
            warnings.append("The subtitle was left out for room.")

    def _thread(
        self, draft: Draft, story: Story, warnings: list[str]
    ) -> list[str] | None:
        """Numbered posts, link in the first, hashtags in the last; None: one post."""
        single = self.compose(replace(draft, story=story.first(story.size)))
        if self.fits(single):
            return None
        most = self.max_thread_posts
        probe = f"\n\n{most}/{most}"  # the widest number, so any number fits

        def post(units: list[tuple[int, str]], first: bool, tags=()) -> str:
            """One post of the thread holding these sentences."""
            return self.compose(
                replace(
                    draft,
                    title=draft.title if first else "",
                    subtitle=draft.subtitle if first else "",
                    link=draft.link if first else "",
                    story=join_sentences(units),
                    tags=tuple(tags),
                )
            )

        def fits(units: list[tuple[int, str]], first: bool, tags=()) -> bool:
            """True if that post fits with any number below it."""
            return self.fits(post(units, first, tags) + probe)

        if not fits([], True):
            return None
        posts: list[list[tuple[int, str]]] = []
        current: list[tuple[int, str]] = []
        queue = list(reversed(story.sentences()))
        truncated = False
        while queue:
            unit = queue.pop()
            first = not posts
            if fits([*current, unit], first):
                current.append(unit)
                continue
            # A sentence too long for what the first post leaves goes whole to the
            # second, rather than being split after the headline.
            if current or (first and fits([unit], False)):
                posts.append(current)
                current = []
                queue.append(unit)
                if len(posts) == most:
                    truncated = True
                    break
                continue
            index, sentence = unit
            at = cut_position(sentence, lambda s, i=index, f=first: fits([(i, s)], f))
            if at is None:
                return None
            rest = sentence[at:].strip()
            current = [(index, shortened(sentence, at))]
            if rest:
                queue.append((index, ELLIPSIS + rest))
        if current and not truncated:
            posts.append(current)
        if not posts:
            return None
        tags = draft.tags
        while tags and not fits(posts[-1], len(posts) == 1, tags):
            tags = tags[:-1]
        texts = [post(units, n == 0) for n, units in enumerate(posts)]
        texts[-1] = post(posts[-1], len(posts) == 1, tags)
        if len(texts) > 1:
            texts = [f"{t}\n\n{n}/{len(texts)}" for n, t in enumerate(texts, 1)]
        if not all(self.fits(t) for t in texts):
            return None
        if truncated:
            warnings.append(
                f"The thread stops after {most} posts; the rest is on the public page."
            )
        if tags != draft.tags:
            warnings.append(
                f"Hashtags left out for room: {' '.join(draft.tags[len(tags) :])}."
            )
        return texts

    # --- delivery (not yet) ---

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Not possible yet: the drafter posts the previewed text by hand."""
        raise PermanentError(
            f"{self.label} cannot send by itself yet; copy the text from the preview"
        )

    def check(self) -> CheckResult:
        """Nothing to connect to until delivery exists."""
        return CheckResult(ok=False, detail=f"{self.label} cannot send by itself yet")
