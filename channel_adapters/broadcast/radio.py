"""Radio newsrooms get a script for the ear: spoken forms, air time, duration and cuts.

Numbers, money, dates, times, phone numbers and addresses are written as the announcer
says them (`spoken.py`); abbreviations from the glossary get a pronunciation guide or
are replaced. Besides the full read there are 60- and 30-second versions built from
whole sentences in news order. The script is plain text from a template the channel
environment never autoescapes, so the announcer reads "Bali & Nusa".
"""

from __future__ import annotations

from collections.abc import Sequence

from ..base import (
    TEXT_PLAIN,
    Adapter,
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..notice import Notice
from ..outbox import check_outbox, deliver_to_outbox, file_stem
from ..text.language import language_of
from .ear import (
    EarSettings,
    Passage,
    air_time,
    cut,
    duration_line,
    duration_text,
    embargo_line,
    guide_note,
    passages,
    prepare,
    said,
    seconds_for,
    warnings,
)

LABELS = {
    "id": {
        "kind": "NASKAH RADIO",
        "slug": "Judul",
        "air": "Jadwal siar",
        "duration": "Durasi perkiraan",
        "source": "Sumber",
        "embargo": "EMBARGO: jangan disiarkan sebelum {when}",
        "full": "NASKAH LENGKAP",
        "cut": "VERSI {seconds} DETIK",
    },
    "en": {
        "kind": "RADIO SCRIPT",
        "slug": "Slug",
        "air": "Air time",
        "duration": "Estimated duration",
        "source": "Source",
        "embargo": "EMBARGO: do not broadcast before {when}",
        "full": "FULL SCRIPT",
        "cut": "{seconds}-SECOND VERSION",
    },
}
SLUG_WORDS = 4
CUTS = (60, 30)  # seconds; the versions a news bulletin asks for


class RadioSettings(EarSettings):
    """Where scripts go, how fast the announcer reads, how long the slot is."""


class RadioAdapter(Adapter):
    """A read-aloud script with slug, air time, duration and 60/30-second cuts."""

    name = "radio"
    label = "Naskah radio"
    Settings = RadioSettings
    idempotent = True
    uses_outbox = True
    uses_planned_at = True

    settings: RadioSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The script as text (and a .txt file); length is the full read's seconds."""
        org = context.organization
        lang = language_of(release.language)
        labels = LABELS[lang]
        wpm = self.settings.pace(lang)
        glossary = context.glossary
        closing = f"{labels['source']}: {org.name}"
        script = prepare(
            [
                ("title", release.title),
                ("lead", release.lead),
                *(("body", p) for p in passages(release.body_markdown, lang)),
                ("closing", closing),
            ],
            lang,
            glossary,
        )
        seconds = seconds_for(script.words, wpm)
        found = warnings(script, seconds, self.settings.slot_seconds)
        sections = [self._section(labels["full"], script.passages, wpm, context, lang)]
        for budget in CUTS:
            chosen, fitted = cut(script, budget, wpm)
            heading = labels["cut"].format(seconds=budget)
            sections.append(self._section(heading, chosen, wpm, context, lang))
            if not fitted:
                found.append(_lead_too_long(chosen, budget, wpm))
        text = self.template(context, "script.txt").render(
            labels=labels,
            org=org,
            slug=" ".join(release.title.split()[:SLUG_WORDS]).upper(),
            air_time=air_time(release, self.channel, org.timezone, lang),
            duration=duration_line(seconds, wpm, lang),
            embargo=embargo_line(release, org.timezone, lang, labels["embargo"]),
            guide=guide_note(script, glossary, self.settings.pronunciation),
            sections=sections,
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
            warnings=tuple(found),
            length=seconds,
            limit=self.settings.slot_seconds,
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Write the script into the outbox; a redelivery overwrites it."""
        return deliver_to_outbox(
            self.outbox_dir, rendition, self.settings.file_mode, self.settings.group
        )

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir, self.settings.group)

    def _section(
        self,
        heading: str,
        chosen: Sequence[Passage],
        wpm: int,
        context: RenderContext,
        lang: str,
    ) -> dict:
        """One block of the script: heading, its reading time and its paragraphs."""
        words = sum(p.words for p in chosen)
        return {
            "heading": heading,
            "duration": duration_text(seconds_for(words, wpm), lang),
            "paragraphs": said(chosen, context.glossary, self.settings.pronunciation),
        }


def _lead_too_long(chosen: Sequence[Passage], budget: int, wpm: int) -> Notice:
    """Why a cut runs over: even the title and lead do not fit."""
    took = seconds_for(sum(p.words for p in chosen), wpm)
    return Notice("radio.cut_runs_over", {"seconds": took, "budget": budget})
