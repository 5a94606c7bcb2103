"""TV newsrooms get a two-column script: what is seen (VIDEO) beside what is said.

The presenter reads the lead, then a voice-over reads the body in spoken form; the
VIDEO column suggests a picture for each paragraph (the release's photos with their
captions, else a generic shot) and the lower-third supers: the dateline city and each
person quoted, found by `speakers`. HTML for the preview, PDF and text for the desk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..base import (
    PDF,
    TEXT_PLAIN,
    Adapter,
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..outbox import check_outbox, deliver_to_outbox, file_stem
from ..text.language import language_of
from ..text.spoken import DEGREES, EMOJI, sentences
from .ear import (
    EarSettings,
    Passage,
    air_time,
    duration_line,
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
        "kind": "NASKAH TV",
        "slug": "Judul",
        "air": "Jadwal tayang",
        "duration": "Durasi perkiraan",
        "location": "Lokasi",
        "embargo": "EMBARGO: jangan ditayangkan sebelum {when}",
        "presenter": "PRESENTER (ON CAM)",
        "vo": "VO",
        "photo": "VISUAL: foto {n} — {caption}",
        "generic": (
            "VISUAL: gambar suasana kegiatan",
            "VISUAL: gambar peserta dan warga",
            "VISUAL: gambar lokasi dan lingkungan sekitar",
            "VISUAL: gambar detail kegiatan",
        ),
    },
    "en": {
        "kind": "TV SCRIPT",
        "slug": "Slug",
        "air": "Air time",
        "duration": "Estimated duration",
        "location": "Location",
        "embargo": "EMBARGO: do not air before {when}",
        "presenter": "ANCHOR (ON CAM)",
        "vo": "VO",
        "photo": "VISUAL: photo {n} — {caption}",
        "generic": (
            "VISUAL: shots of the event",
            "VISUAL: shots of participants and residents",
            "VISUAL: shots of the location",
            "VISUAL: close-ups of the activity",
        ),
    },
}
SLUG_WORDS = 4
VIDEO_WIDTH, AUDIO_WIDTH = 28, 49  # the text rendition fits 80 columns

# Speech verbs after a quote (`"…," kata X`) and before reported speech
# (`X mengatakan`).
SAID_AFTER = (
    r"ujar|kata|ucap|tutur|jelas|tegas|imbuh|tambah|ungkap|papar|terang|sebut|lanjut"
    r"|pungkas|said|says|added|explained"
)
SAID_BEFORE = (
    r"mengatakan|menambahkan|menjelaskan|menegaskan|menyebutkan|menyampaikan"
    r"|mengungkapkan|menuturkan|memaparkan|menerangkan|said|says|added|explained"
)
AFTER = re.compile(rf"[\"”]\s*,?\s*(?:{SAID_AFTER})\s+(?P<who>[^\"“”]+?)[.!?]?$")
BEFORE = re.compile(rf"^(?P<who>[^\"“”]+?),?\s+(?:{SAID_BEFORE})\b")
# First words of a job title rather than a name.
TITLE_WORDS = set(
    """kepala wakil gubernur bupati wali walikota sekretaris sekda direktur menteri
    ketua camat lurah perbekel bendesa kadis kabid kasi kabag asisten plt plt. pj pj.
    penjabat koordinator anggota presiden kapolda kapolres pimpinan dirut manajer
    rektor dekan komisioner inspektur juru panitia head governor deputy regent mayor
    secretary director minister chair chairman chairwoman chief president spokesperson
    spokesman spokeswoman manager coordinator member officer""".split()
)
LINKS = {"dan", "dari", "di", "untuk", "&", "of", "and", "the", "for", "on"}
PRONOUNS = {"dia", "ia", "beliau", "mereka", "kami", "kita", "he", "she", "they", "we"}


@dataclass(frozen=True)
class Row:
    """One line of the two-column script."""

    video: tuple[str, ...]
    audio: str


class TvSettings(EarSettings):
    """Where scripts go, reading pace, glossary use and the PDF's page orientation."""

    orientation: Literal["landscape", "portrait"] = "landscape"


class TvAdapter(Adapter):
    """A VIDEO | AUDIO script with voice-over, supers and suggested visuals."""

    name = "tv"
    label = "Televisi"
    Settings = TvSettings
    idempotent = True
    uses_outbox = True
    uses_planned_at = True
    needs = ("pango", "fonts")  # system pieces the PDF needs (publisher/system.py)

    settings: TvSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """HTML for the preview, a PDF and a text file; length is the read's seconds."""
        org = context.organization
        lang = language_of(release.language)
        labels = LABELS[lang]
        settings = self.settings
        wpm = settings.pace(lang)
        # Without a lead the presenter introduces the item with its title.
        lead = ("lead", release.lead if release.lead.strip() else release.title)
        body = [("body", p) for p in passages(release.body_markdown, lang)]
        script = prepare([lead, *body], lang, context.glossary)
        seconds = seconds_for(script.words, wpm)
        city = release.dateline_city or org.city
        rows = _rows(release, script.passages, city, labels, context, settings)
        values = {
            "release": release,
            "org": org,
            "labels": labels,
            "slug": _plain(" ".join(release.title.split()[:SLUG_WORDS]).upper()),
            "air_time": air_time(release, self.channel, org.timezone, lang),
            "duration": duration_line(seconds, wpm, lang),
            "location": city,
            "embargo": embargo_line(release, org.timezone, lang, labels["embargo"]),
            "guide": guide_note(script, context.glossary, settings.pronunciation),
            "rows": rows,
            "lines": _columns(rows),
            "orientation": settings.orientation,
        }
        html = self.template(context, "script.html").render(values)
        text = self.template(context, "script.txt").render(values)
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            stem = file_stem(release)
            files = (
                RenditionFile(f"{stem}.pdf", PDF, _pdf(html)),
                RenditionFile(f"{stem}.txt", TEXT_PLAIN, text.encode()),
            )
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            html=html,
            files=files,
            warnings=tuple(warnings(script, seconds, settings.slot_seconds)),
            length=seconds,
            limit=settings.slot_seconds,
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Write the PDF and text into the outbox; a redelivery overwrites them."""
        return deliver_to_outbox(
            self.outbox_dir, rendition, self.settings.file_mode, self.settings.group
        )

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir, self.settings.group)


def _rows(
    release: ReleaseSnapshot,
    chosen: tuple[Passage, ...],
    city: str,
    labels: dict,
    context: RenderContext,
    settings: TvSettings,
) -> list[Row]:
    """Presenter on the lead, then a voice-over row per paragraph with its pictures."""
    audio = said(chosen, context.glossary, settings.pronunciation)
    rows, supered = [], set()
    for index, (passage, spoken) in enumerate(zip(chosen, audio, strict=True)):
        if index == 0:
            rows.append(Row((labels["presenter"],), spoken))
            continue
        video = [labels["vo"], _visual(release, index - 1, labels)]
        if index == 1:
            video.append(f"SUPER: {city}")
        for who in speakers(passage.written):
            if who not in supered:
                supered.add(who)
                video.append(f"SUPER: {who}")
        rows.append(Row(tuple(_plain(cue) for cue in video), spoken))
    return rows


def _plain(text: str) -> str:
    """`text` without emoji: no use on a TV script, and they make the PDF vary."""
    # Colour-emoji fallback fonts make WeasyPrint's output differ from run to run.
    return " ".join(EMOJI.sub("", text).split())


def _visual(release: ReleaseSnapshot, index: int, labels: dict) -> str:
    """The release's photo for this paragraph, else a generic suggestion."""
    if index < len(release.images):
        image = release.images[index]
        caption = " ".join((image.caption or image.alt).split())
        return labels["photo"].format(n=index + 1, caption=caption)
    generic = labels["generic"]
    return generic[(index - len(release.images)) % len(generic)]


def speakers(text: str) -> list[str]:
    """People quoted in `text`, as supers: `Name, Title`, `Title` or `Name`."""
    found = []
    for sentence in sentences(DEGREES.sub("", text)):
        sentence = sentence.strip()
        after = AFTER.search(sentence)
        before = None if after else BEFORE.search(sentence)
        if after:
            who = _who(after["who"], leading=True)
        elif before:
            who = _who(before["who"], leading=False)
        else:
            continue
        if who and who not in found:
            found.append(who)
    return found


def _who(text: str, *, leading: bool) -> str:
    """`Kepala Dinas X, Nama` or `Nama, Jabatan` → `Nama, Jabatan`; "" if no one."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    kept: list[str] = []
    if leading:  # after the verb: `kata Nama, Jabatan, saat membuka forum`
        for part in parts[:3]:
            phrase = _proper(part)
            if not phrase:
                if not kept and _lower_title(part):
                    kept.append(_lower_title(part))
                break
            kept.append(phrase)
            if phrase != part:
                break
    else:  # before the verb: `Dalam kesempatan itu, Jabatan, Nama, mengatakan`
        for part in reversed(parts[-2:]):
            if _proper(part) != part:
                break
            kept.insert(0, part)
    kept = [k for k in kept if k.split()[0].lower() not in PRONOUNS]
    if not kept:
        return ""
    ordered = [k for k in kept if not _is_title(k)] + [k for k in kept if _is_title(k)]
    who = ", ".join(ordered)
    return who[0].upper() + who[1:]


def _is_title(phrase: str) -> bool:
    """Whether a phrase names a job (`Kepala Dinas …`) rather than a person."""
    return phrase.split()[0].lower().rstrip(".") in TITLE_WORDS


def _lower_title(part: str) -> str:
    """`the head of the Sanur traditional village` → `head of the …`; else ""."""
    words = part.split()
    words = words[1:] if words[:1] in (["the"], ["The"]) else words
    if words and words[0].lower() in TITLE_WORDS and len(words) <= 12:
        return " ".join(words)
    return ""


def _proper(part: str) -> str:
    """The run of capitalised words (names, offices) at the start of `part`."""
    words = part.split()
    kept: list[str] = []
    for i, word in enumerate(words):
        if word[:1].isupper() or word[:1].isdigit():
            kept.append(word)
        elif word in LINKS and i + 1 < len(words) and words[i + 1][:1].isupper():
            kept.append(word)
        else:
            break
    return " ".join(kept) if 0 < len(kept) <= 12 else ""


def _columns(rows: list[Row]) -> list[str]:
    """The two columns side by side in plain text, wrapped to 80 characters."""
    lines = [
        f"{'VIDEO':<{VIDEO_WIDTH}} | AUDIO",
        f"{'-' * VIDEO_WIDTH}-+-{'-' * AUDIO_WIDTH}",
    ]
    for number, row in enumerate(rows):
        if number:
            lines.append(f"{'':<{VIDEO_WIDTH}} |")
        video = [line for cue in row.video for line in _wrap(cue, VIDEO_WIDTH, "  ")]
        audio = _wrap(row.audio, AUDIO_WIDTH)
        for i in range(max(len(video), len(audio))):
            left = video[i] if i < len(video) else ""
            right = audio[i] if i < len(audio) else ""
            lines.append(f"{left:<{VIDEO_WIDTH}} | {right}".rstrip())
    return lines


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy word wrap; following lines get `indent`; overlong words are cut."""
    # textwrap does the same but took a third of the whole render.
    lines: list[str] = []
    line = ""
    for word in text.split():
        room = width - (len(indent) if lines else 0)
        if line and len(line) + 1 + len(word) <= room:
            line += " " + word
            continue
        if line:
            lines.append((indent if lines else "") + line)
            room = width - len(indent)
        while len(word) > room:
            lines.append((indent if lines else "") + word[:room])
            word, room = word[room:], width - len(indent)
        line = word
    if line:
        lines.append((indent if lines else "") + line)
    return lines


def _pdf(html: str) -> bytes:
    """The PDF of `html`; nothing is loaded from the network."""
    # Imported here: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
