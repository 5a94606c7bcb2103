"""One layout of a "siaran pers", shared by its HTML/PDF, DOCX and plain-text forms.

`build_sheet` gathers everything that is printed into a `Sheet`, in reading order,
with the body as blocks (`print_blocks`). Each output walks the same sheet, so all
three carry the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as Picture

from ..base import ReleaseSnapshot, RenderContext
from ..notice import Notice
from ..text.formatting import dateline_date, long_datetime
from ..text.language import language_of
from .blocks import (
    Block,
    clean,
    one_line,
    parse_body,
    text_paragraphs,
    word_total,
)

LABELS = {
    "id": {
        "heading": "SIARAN PERS",
        "number": "Nomor",
        "immediate": "UNTUK DISIARKAN SEGERA",
        "embargo": "EMBARGO hingga {when}",
        "contact": "Narahubung",
        "phone": "Telp.",
        "about": "Tentang {name}",
        "photo": "Foto",
        "page": "Halaman",
        "of": "dari",
    },
    "en": {
        "heading": "PRESS RELEASE",
        "number": "No.",
        "immediate": "FOR IMMEDIATE RELEASE",
        "embargo": "EMBARGOED UNTIL {when}",
        "contact": "Contact",
        "phone": "Phone",
        "about": "About {name}",
        "photo": "Photo",
        "page": "Page",
        "of": "of",
    },
}
LONG_BODY_WORDS = 2000
# Picture formats WeasyPrint draws; the DOCX re-encodes all but JPEG, PNG and GIF.
PRINTABLE = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF"}


@dataclass(frozen=True)
class Figure:
    """A release picture as printed: its local file, caption and credit."""

    path: Path
    caption: str
    credit: str
    alt: str
    url: str = ""  # the web size's public address, for previews in a browser

    @property
    def uri(self) -> str:
        """The picture's file: URL, the only kind the PDF maker may load."""
        return self.path.resolve().as_uri()


@dataclass(frozen=True)
class Sheet:
    """Everything printed on a siaran pers, in reading order."""

    language: str
    labels: dict[str, str]
    org_name: str
    org_lines: tuple[str, ...]  # address; phone · e-mail; website
    logo: Path | None
    number: str
    release_line: str
    embargoed: bool
    headline: str
    subtitle: str
    figures: tuple[
        Figure, ...
    ]  # the first goes beside the lead, the rest after the body
    dateline: str
    lead: str
    blocks: tuple[Block, ...]
    about_title: str
    about: tuple[str, ...]  # paragraphs
    contact: tuple[str, ...]  # name, phone, e-mail
    warnings: tuple[Notice, ...]

    @property
    def body_text(self) -> list[Notice]:
        """The body as plain-text paragraphs."""
        return text_paragraphs(self.blocks)

    def caption(self, figure: Figure) -> str:
        """A picture's caption followed by `(Foto: credit)` when the credit is known."""
        credit = f"({self.labels['photo']}: {figure.credit})" if figure.credit else ""
        return " ".join(filter(None, (figure.caption, credit)))


def build_sheet(release: ReleaseSnapshot, context: RenderContext) -> Sheet:
    """What goes on the page for `release`, and the warnings a drafter should see."""
    org = context.organization
    lang = language_of(release.language)
    labels = LABELS[lang]
    warnings: list[Notice] = []
    release_line = labels["immediate"]
    if release.embargo_at:
        when = long_datetime(release.embargo_at, org.timezone, lang)
        release_line = labels["embargo"].format(when=when)
    moment = release.approved_at or context.now
    city = one_line(release.dateline_city or org.city)
    date = dateline_date(moment, org.timezone, lang)
    office_phone = (
        f"{labels['phone']} {one_line(org.phone)}" if org.phone.strip() else ""
    )
    website = re.sub(r"^https?://|/$", "", one_line(org.website))
    contact_line = " · ".join(filter(None, (office_phone, one_line(org.email))))
    logo = org.logo_path if org.logo_path and org.logo_path.is_file() else None
    blocks, notes = parse_body(release.body_markdown)
    warnings.extend(notes)
    about = org.about_en if lang == "en" else org.about
    if lang == "en" and not about.strip() and org.about.strip():
        warnings.append(Notice("print.no_english_about"))
    contact = release.contact
    phone = (
        f"{labels['phone']} {one_line(contact.phone)}" if contact.phone.strip() else ""
    )
    email = one_line(contact.email)
    return Sheet(
        language=lang,
        labels=labels,
        org_name=one_line(org.name),
        org_lines=tuple(filter(None, (one_line(org.address), contact_line, website))),
        logo=logo,
        number=one_line(release.number),
        release_line=release_line,
        embargoed=release.embargo_at is not None,
        headline=one_line(release.title),
        subtitle=one_line(release.subtitle),
        figures=_figures(release, labels, warnings),
        dateline=f"{city}, {date} –" if city else f"{date} –",
        lead=one_line(release.lead),
        blocks=blocks,
        about_title=labels["about"].format(name=one_line(org.short_name or org.name)),
        about=tuple(p for p in map(one_line, clean(about).split("\n\n")) if p),
        contact=tuple(filter(None, (one_line(contact.name), phone, email))),
        warnings=tuple(_warnings(release, blocks, warnings)),
    )


def _figures(
    release: ReleaseSnapshot, labels: dict[str, str], warnings: list[Notice]
) -> tuple[Figure, ...]:
    """The release's pictures that can be printed, original size preferred."""
    figures = []
    for image in release.images:
        candidates = (image.variants.get("original"), image.variants.get("web"))
        path = next((Path(p) for p in candidates if p and _printable(Path(p))), None)
        if path is None:
            warnings.append(Notice("print.photo_not_printable", {"image": image.id}))
            continue
        caption = one_line(image.caption) or one_line(image.alt)
        credit = one_line(image.credit)
        figures.append(Figure(path, caption, credit, one_line(image.alt), image.url))
    return tuple(figures)


def _printable(path: Path) -> bool:
    """Whether `path` is a picture both WeasyPrint and the DOCX can take."""
    try:
        with Picture.open(path) as picture:  # reads the header only
            return picture.format in PRINTABLE
    except (OSError, ValueError):  # UnidentifiedImageError is an OSError
        return False


def _warnings(
    release: ReleaseSnapshot, blocks: tuple[Block, ...], found: list[Notice]
) -> list[Notice]:
    """What a drafter should fix before the release goes to print."""
    warnings = []
    if not one_line(release.title):
        warnings.append(Notice("print.headline_empty"))
    if not one_line(release.lead):
        warnings.append(Notice("print.lead_empty"))
    contact = release.contact
    if not (contact.name.strip() or contact.phone.strip() or contact.email.strip()):
        warnings.append(Notice("print.no_contact"))
    words = word_total(blocks)
    if words > LONG_BODY_WORDS:
        params = {"words": words, "most": LONG_BODY_WORDS}
        warnings.append(Notice("print.body_long", params))
    return warnings + found
