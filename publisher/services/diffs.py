"""What changed between two revisions: word by word, in the text a drafter wrote
and in the text every channel would receive.

Pure comparison work (difflib) plus the existing rendering (`rendering.py`,
without files): no database writes. Long texts are first compared line by line
(a Markdown paragraph is one line), and only changed paragraphs word by word, so
a 200,000-character body costs little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher

from jinja2 import TemplateError

from channel_adapters.notice import Notice
from channel_adapters.text import formatting

from .. import rendering
from ..config import Config
from ..models import Release, Revision, utcnow
from .errors import InvalidInput

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
SKIP = "skip"  # only in `folded`: unchanged lines left out, their count as text
# Words, runs of spaces, and each punctuation mark are the units compared.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# Past this many token pairs, a changed paragraph is shown as removed and added
# whole rather than compared word by word (difflib is quadratic in the worst case).
MAX_WORD_PAIRS = 4_000_000
# The revision fields compared, in the order a page shows them.
TEXT_FIELDS = (
    "title",
    "lead",
    "body",
    "dateline_city",
    "category",
    "tags",
    "embargo_at",
    "contact",
    "language",
)


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same, added (`insert`) or removed (`delete`)."""

    op: str
    text: str


@dataclass(frozen=True)
class TextDiff:
    """One field's (or one channel's) text in both revisions, and how it changed."""

    name: str
    old: str
    new: str
    segments: tuple[Segment, ...]
    label: str = ""  # a channel's label; fields are named by the edge
    adapter: str = ""
    error: Notice | None = None  # a channel that could not be rendered

    @property
    def changed(self) -> bool:
        """Whether anything was added or removed."""
        return self.error is None and self.old != self.new


@dataclass(frozen=True)
class RevisionDiff:
    """Two revisions of a release compared: every text field and every channel."""

    release_id: int
    old: int
    new: int
    fields: tuple[TextDiff, ...]
    channels: tuple[TextDiff, ...] = field(default=())

    @property
    def changed(self) -> tuple[TextDiff, ...]:
        """The fields and channels whose text differs."""
        return tuple(d for d in (*self.fields, *self.channels) if d.changed)


def default_range(release: Release) -> tuple[int, int]:
    """(from, to) an editor most likely wants: the newest revision against the
    last approved one, or against the one before it when none was approved (or
    the newest is the approved one). A release with one revision gives (1, 1)."""
    newest = release.current.number
    approved = release.approved_revision
    if approved is not None and approved < newest:
        return approved, newest
    return max(newest - 1, 1), newest


def compare(
    config: Config,
    release: Release,
    old: int | None = None,
    new: int | None = None,
    *,
    language: str = "id",
    channels: bool = True,
) -> RevisionDiff:
    """Compare revision `old` with revision `new` (defaults: `default_range`).

    Each channel's text is rendered for both revisions with the same clock, so
    only what the drafter changed shows; `channels=False` skips rendering.
    """
    default_old, default_new = default_range(release)
    before = _revision(release, "from", default_old if old is None else old)
    after = _revision(release, "to", default_new if new is None else new)
    tz = config.organization.timezone
    old_values = field_texts(before, tz, language)
    new_values = field_texts(after, tz, language)
    fields = tuple(
        text_diff(name, old_values[name], new_values[name]) for name in TEXT_FIELDS
    )
    return RevisionDiff(
        release_id=release.id,
        old=before.number,
        new=after.number,
        fields=fields,
        channels=channel_diffs(config, release, before, after) if channels else (),
    )


def field_texts(revision: Revision, tz: str, language: str) -> dict[str, str]:
    """A revision's text fields as a reader compares them (tags joined, the
    embargo in the organization's zone, the contact on one line)."""
    return {
        "title": revision.title,
        "lead": revision.lead,
        "body": revision.body,
        "dateline_city": revision.dateline_city,
        "category": revision.category,
        "tags": ", ".join(revision.tags or ()),
        "embargo_at": _moment(revision.embargo_at, tz, language),
        "contact": " · ".join(
            part
            for part in (
                revision.contact_name,
                revision.contact_phone,
                revision.contact_email,
            )
            if part
        ),
        "language": revision.language,
    }


def channel_diffs(
    config: Config, release: Release, before: Revision, after: Revision
) -> tuple[TextDiff, ...]:
    """Every enabled channel's rendition text of both revisions, compared."""
    now = utcnow()
    old_texts = _renditions(config, release, before, now)
    new_texts = _renditions(config, release, after, now)
    diffs = []
    for name, channel in config.enabled_channels.items():
        old, new = old_texts[name], new_texts[name]
        error = old if isinstance(old, Notice) else new
        if isinstance(error, Notice):
            diffs.append(
                TextDiff(name, "", "", (), channel.label, channel.adapter, error)
            )
            continue
        segments = word_diff(str(old), str(new))
        diffs.append(
            TextDiff(name, str(old), str(new), segments, channel.label, channel.adapter)
        )
    return tuple(diffs)


def _renditions(
    config: Config, release: Release, revision: Revision, now: datetime
) -> dict[str, str | Notice]:
    """channel → its rendition's text of `revision`, or why it failed."""
    snap = rendering.snapshot(release, revision, config)
    overrides = {o.channel: o.text for o in revision.overrides}
    texts: dict[str, str | Notice] = {}
    for name in config.enabled_channels:
        try:
            texts[name] = rendering.render_channel(
                config,
                name,
                snap,
                with_files=False,
                now=now,
                override=overrides.get(name),
            ).text
        except TemplateError as exc:
            texts[name] = Notice("diff.render_failed", {"error": str(exc)})
    return texts


def text_diff(name: str, old: str, new: str) -> TextDiff:
    """`old` and `new` compared word by word."""
    return TextDiff(name, old, new, word_diff(old, new))


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The segments that turn `old` into `new`: unchanged, removed and added runs.

    Paragraphs (lines) are matched first; within a changed run of paragraphs the
    words are matched. Next to each other, a removal comes before its addition.
    """
    if old == new:
        return (Segment(EQUAL, old),) if old else ()
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    # The paragraphs before the first and after the last change are the same:
    # set them aside, so one edit in a long body compares only what is between.
    head = _common_length(old_lines, new_lines)
    tail = _common_length(old_lines[head:][::-1], new_lines[head:][::-1])
    pieces = [Segment(EQUAL, "".join(old_lines[:head]))]
    middle_old = old_lines[head : len(old_lines) - tail]
    middle_new = new_lines[head : len(new_lines) - tail]
    pieces += _lines(middle_old, middle_new)
    pieces.append(Segment(EQUAL, "".join(old_lines[len(old_lines) - tail :])))
    return _tidy(pieces)


def folded(segments: tuple[Segment, ...], context: int = 3) -> tuple[Segment, ...]:
    """For reading: a long unchanged run keeps `context` lines next to each change
    and the lines between become one `skip` segment (their count as its text)."""
    shown: list[Segment] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        lines = segment.text.splitlines(keepends=True)
        before = context if index > 0 else 0  # lines after the previous change
        after = context if index < last else 0  # lines before the next change
        if segment.op != EQUAL or len(lines) <= before + after + 1:
            shown.append(segment)
            continue
        if before:
            shown.append(Segment(EQUAL, "".join(lines[:before])))
        shown.append(Segment(SKIP, str(len(lines) - before - after)))
        if after:
            shown.append(Segment(EQUAL, "".join(lines[len(lines) - after :])))
    return tuple(shown)


def _common_length(old: list[str], new: list[str]) -> int:
    """How many items the two lists share from their start."""
    count = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        count += 1
    return count


def _lines(old_lines: list[str], new_lines: list[str]) -> list[Segment]:
    """Lines matched first, then the words of each changed run of lines."""
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(Segment(EQUAL, removed))
        elif tag == "replace":
            pieces.extend(_words(removed, added))
        else:
            pieces += [Segment(DELETE, removed), Segment(INSERT, added)]
    return pieces


def _words(old: str, new: str) -> list[Segment]:
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    if len(old_tokens) * len(new_tokens) > MAX_WORD_PAIRS:
        return [Segment(DELETE, old), Segment(INSERT, new)]
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            pieces.append(Segment(EQUAL, removed))
        else:
            pieces += [Segment(DELETE, removed), Segment(INSERT, added)]
    return pieces


def _tidy(pieces: list[Segment]) -> tuple[Segment, ...]:
    """Readable runs: a lone space between two changes joins them, and each run
    of changes is one removal followed by one addition."""
    pieces = [p for p in pieces if p.text]
    spaced: list[Segment] = []
    for index, piece in enumerate(pieces):
        between_changes = (
            piece.op == EQUAL
            and not piece.text.strip()
            and "\n" not in piece.text
            and 0 < index < len(pieces) - 1
            and pieces[index - 1].op != EQUAL
            and pieces[index + 1].op != EQUAL
        )
        if between_changes:
            spaced += [Segment(DELETE, piece.text), Segment(INSERT, piece.text)]
        else:
            spaced.append(piece)
    runs: list[Segment] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            runs.append(Segment(DELETE, "".join(removed)))
        if added:
            runs.append(Segment(INSERT, "".join(added)))
        removed.clear()
        added.clear()

    for piece in spaced:
        if piece.op == DELETE:
            removed.append(piece.text)
        elif piece.op == INSERT:
            added.append(piece.text)
        else:
            flush()
            if runs and runs[-1].op == EQUAL:
                runs[-1] = Segment(EQUAL, runs[-1].text + piece.text)
            else:
                runs.append(piece)
    flush()
    return tuple(runs)


def _revision(release: Release, which: str, number: int) -> Revision:
    found = next((r for r in release.revisions if r.number == number), None)
    if found is None:
        unknown = Notice("diff.revision_unknown", {"number": number})
        raise InvalidInput(fields={which: unknown})
    return found


def _moment(moment: datetime | None, tz: str, language: str) -> str:
    return formatting.long_datetime(moment, tz, language) if moment else ""
