"""Newspapers and notice boards get a print-ready "siaran pers" as PDF in an outbox.

The PDF and a plain-text twin are written atomically into the channel's outbox folder,
which a desk shares, syncs or mails onwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
from .formatting import dateline_date, long_datetime
from .markup import to_html, to_paragraphs
from .outbox import check_outbox, deliver_to_outbox, file_stem

LABELS = {
    "id": {
        "heading": "SIARAN PERS",
        "number": "Nomor",
        "immediate": "UNTUK DISIARKAN SEGERA",
        "embargo": "EMBARGO hingga {when}",
        "contact": "Narahubung",
        "phone": "Telp.",
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
        "page": "Page",
        "of": "of",
    },
}
# F4 (folio) is the paper most Indonesian government offices print on.
PAGE_SIZES = {"A4": "A4", "F4": "215mm 330mm", "Letter": "letter", "Legal": "legal"}
TEXT_PLAIN = "text/plain; charset=utf-8"


class PrintSettings(AdapterSettings):
    """Where the PDFs go and on which paper they are laid out."""

    outbox_dir: Path | None = None  # defaults to <data_dir>/outbox/<channel>
    page_size: Literal["A4", "F4", "Letter", "Legal"] = "A4"


class PrintAdapter(Adapter):
    """A letterheaded press release as HTML, plain text and PDF."""

    name = "print"
    label = "Siaran pers cetak (PDF)"
    Settings = PrintSettings
    idempotent = True
    uses_outbox = True

    settings: PrintSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """HTML for the preview and the PDF, plain text for e-mail bodies."""
        org = context.organization
        lang = "en" if release.language == "en" else "id"
        labels = LABELS[lang]
        release_line = labels["immediate"]
        if release.embargo_at:
            when = long_datetime(release.embargo_at, org.timezone, lang)
            release_line = labels["embargo"].format(when=when)
        moment = release.approved_at or context.now
        city = release.dateline_city or org.city
        phone = f"{labels['phone']} {org.phone}" if org.phone else ""
        logo = org.logo_path if org.logo_path and org.logo_path.is_file() else None
        values = {
            "release": release,
            "org": org,
            "labels": labels,
            "release_line": release_line,
            "dateline": f"{city}, {dateline_date(moment, org.timezone, lang)} –",
            "org_line": " · ".join(filter(None, (phone, org.email, org.website))),
            "body_html": to_html(release.body_markdown),
            "paragraphs": to_paragraphs(release.body_markdown),
            "logo_uri": logo.resolve().as_uri() if logo else "",
            "page_size": PAGE_SIZES[self.settings.page_size],
        }
        html = self.template(context, "siaran_pers.html").render(values)
        text = self.template(context, "siaran_pers.txt").render(values)
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            stem = file_stem(release)
            files = (
                RenditionFile(f"{stem}.pdf", "application/pdf", _pdf(html)),
                RenditionFile(f"{stem}.txt", TEXT_PLAIN, text.encode()),
            )
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            html=html,
            files=files,
            warnings=_warnings(release),
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Write the rendition's files into the outbox; a redelivery overwrites them."""
        return deliver_to_outbox(self.outbox_dir, rendition)

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir)


def _pdf(html: str) -> bytes:
    """The PDF of `html`; only local files (the logo) may be loaded, nothing remote."""
    # Imported here: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _warnings(release: ReleaseSnapshot) -> tuple[str, ...]:
    """What a drafter should fix before the release goes to print."""
    warnings = []
    if not release.lead.strip():
        warnings.append("The lead is empty; the dateline will stand on its own.")
    if not (release.contact.name or release.contact.phone or release.contact.email):
        warnings.append("No contact person; journalists will not know whom to call.")
    return tuple(warnings)
