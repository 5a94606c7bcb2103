"""Newspapers and notice boards get a print-ready "siaran pers" in an outbox.

One layout (`print_layout.Sheet`) becomes the PDF (through HTML and WeasyPrint), an
editable DOCX and a plain-text twin; the three files are written atomically into the
channel's outbox folder, which a desk shares, syncs or mails onwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from ..base import (
    DOCX,
    PDF,
    TEXT_PLAIN,
    Adapter,
    AdapterSettings,
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..outbox import check_outbox, deliver_to_outbox, file_stem
from .docx import build_docx
from .layout import LABELS, build_sheet

__all__ = ["LABELS", "PrintAdapter", "PrintSettings"]

# F4 (folio) is the paper most Indonesian government offices print on.
PAGE_SIZES = {"A4": "A4", "F4": "215mm 330mm", "Letter": "letter", "Legal": "legal"}


class PrintSettings(AdapterSettings):
    """Where the files go and on which paper they are laid out."""

    outbox_dir: Path | None = None  # defaults to <data_dir>/outbox/<channel>
    page_size: Literal["A4", "F4", "Letter", "Legal"] = "A4"


class PrintAdapter(Adapter):
    """A letterheaded press release as PDF, DOCX and plain text."""

    name = "print"
    label = "Siaran pers cetak (PDF, DOCX)"
    Settings = PrintSettings
    idempotent = True
    uses_outbox = True

    settings: PrintSettings

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """HTML for the preview, plain text, and with files the PDF, DOCX and text."""
        sheet = build_sheet(release, context)
        values = {"sheet": sheet, "page_size": PAGE_SIZES[self.settings.page_size]}
        page = self.template(context, "siaran_pers.html")
        html = page.render(values, page_numbers=True, for_pdf=False)
        text = self.template(context, "siaran_pers.txt").render(values)
        warnings = list(sheet.warnings)
        files: tuple[RenditionFile, ...] = ()
        if context.with_files:
            stem = file_stem(release)
            moment = release.approved_at or context.now
            pdf, pages = build_pdf(
                lambda numbered: page.render(
                    values, page_numbers=numbered, for_pdf=True
                )
            )
            docx, notes = build_docx(sheet, self.settings.page_size, moment, pages)
            warnings.extend(notes)
            files = (
                RenditionFile(f"{stem}.pdf", PDF, pdf),
                RenditionFile(f"{stem}.docx", DOCX, docx),
                RenditionFile(f"{stem}.txt", TEXT_PLAIN, text.encode()),
            )
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=text,
            html=html,
            files=files,
            warnings=tuple(warnings),
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Write the rendition's files into the outbox; a redelivery overwrites them."""
        return deliver_to_outbox(self.outbox_dir, rendition)

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir)


def build_pdf(layout: Callable[[bool], str]) -> tuple[bytes, int]:
    """The PDF of the HTML `layout(numbered)` and its page count.

    Pages are numbered only when there are two or more: a one-page release is laid
    out a second time, without numbers.
    """
    # Imported here: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import HTML, URLFetcher

    # WeasyPrint re-saves colour emoji fonts with fontTools, which stamps them with
    # the current time unless SOURCE_DATE_EPOCH is set; a fixed stamp keeps the PDF,
    # and so the rendition's hash, the same on every render.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    # Only local files (logo, pictures) may be loaded, nothing from the network.
    fetcher = URLFetcher(allowed_protocols={"file"})
    document = HTML(string=layout(True), url_fetcher=fetcher).render()
    if len(document.pages) == 1:
        document = HTML(string=layout(False), url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)
