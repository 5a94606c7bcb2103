"""Radio newsrooms get a script for the ear: plain sentences, a slug and a duration.

The script is plain text from a template the channel environment never autoescapes, so
the announcer reads "Bali & Nusa", not "Bali &amp; Nusa".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field

from .base import (
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from .formatting import long_datetime
from .markup import to_paragraphs, word_count
from .outbox import check_outbox, deliver_to_outbox, file_stem
from .print import TEXT_PLAIN

LABELS = {
    "id": {
        "kind": "NASKAH RADIO",
        "slug": "Judul",
        "source": "Sumber",
        "duration": "Durasi perkiraan",
        "minutes": ("menit", "menit"),
        "seconds": ("detik", "detik"),
        "immediate": "Siarkan segera",
        "embargo": "EMBARGO: jangan disiarkan sebelum {when}",
    },
    "en": {
        "kind": "RADIO SCRIPT",
        "slug": "Slug",
        "source": "Source",
        "duration": "Estimated duration",
        "minutes": ("minute", "minutes"),
        "seconds": ("second", "seconds"),
        "immediate": "For immediate broadcast",
        "embargo": "EMBARGO: do not broadcast before {when}",
    },
}
SLUG_WORDS = 4
BREATH_WORDS = 30  # more than this and the announcer runs out of air mid-sentence
QUOTE_WORDS = 8
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+")


class RadioSettings(AdapterSettings):
    """Where scripts go, how fast the announcer reads, how long the slot is."""

    outbox_dir: Path | None = None  # defaults to <data_dir>/outbox/<channel>
    # Indonesian newsreaders manage about 140 words a minute at a clear pace.
    words_per_minute: Annotated[int, Field(gt=0)] = 140
    slot_seconds: Annotated[int, Field(gt=0)] | None = None


class RadioAdapter(Adapter):
    """A read-aloud script with slug, source and estimated duration."""

    name = "radio"
    label = "Naskah radio"
    Settings = RadioSettings
    idempotent = True
    uses_outbox = True

    settings: RadioSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The script as text (and a .txt file); length is the estimated seconds."""
        org = context.organization
        lang = "en" if release.language == "en" else "id"
        labels = LABELS[lang]
        title = " ".join(release.title.split())
        lead = " ".join(release.lead.split())
        paragraphs = to_paragraphs(release.body_markdown)
        closing = f"{labels['source']}: {org.name}"
        read = [title, lead, *paragraphs, closing]
        seconds = round(
            sum(word_count(part) for part in read) * 60 / self.settings.words_per_minute
        )
        release_line = labels["immediate"]
        if release.embargo_at:
            when = long_datetime(release.embargo_at, org.timezone, lang)
            release_line = labels["embargo"].format(when=when)
        text = self.template(context, "script.txt").render(
            labels=labels,
            org=org,
            slug=" ".join(title.split()[:SLUG_WORDS]).upper(),
            duration=f"{labels['duration']}: {_duration(seconds, labels)}",
            release_line=release_line,
            title=title,
            lead=lead,
            paragraphs=paragraphs,
            closing=closing,
        )
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            name = f"{file_stem(release)}.txt"
            files = (RenditionFile(name, TEXT_PLAIN, text.encode()),)
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            files=files,
            warnings=self._warnings(read, seconds),
            length=seconds,
            limit=self.settings.slot_seconds,
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Write the script into the outbox; a redelivery overwrites it."""
        return deliver_to_outbox(self.outbox_dir, rendition)

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir)

    def _warnings(self, read: list[str], seconds: int) -> tuple[str, ...]:
        """Sentences too long for one breath, and a script longer than its slot."""
        warnings = []
        for part in read:
            for sentence in SENTENCE_END.split(part):
                words = sentence.split()
                if len(words) > BREATH_WORDS:
                    quote = " ".join(words[:QUOTE_WORDS])
                    warnings.append(
                        f"A sentence of {len(words)} words is too long to read in one "
                        f"breath: “{quote} …”"
                    )
        slot = self.settings.slot_seconds
        if slot and seconds > slot:
            warnings.append(
                f"The script takes about {seconds} s to read, longer than the "
                f"{slot} s slot."
            )
        return tuple(warnings)


def _duration(seconds: int, labels: dict) -> str:
    """`1 menit 20 detik`, `45 detik`, `2 menit`: how a producer says a duration."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} {labels['minutes'][minutes != 1]}")
    if rest or not minutes:
        parts.append(f"{rest} {labels['seconds'][rest != 1]}")
    return " ".join(parts)
