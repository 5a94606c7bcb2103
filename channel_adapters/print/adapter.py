"""Newspapers and notice boards get a print-ready "siaran pers" in an outbox.

One layout (`print_layout.Sheet`) becomes the PDF (through HTML and WeasyPrint), an
editable DOCX and a plain-text twin; the three files are written atomically into the
channel's outbox folder, which a desk shares, syncs or mails onwards.
"""

from __future__ import annotations

from typing import Literal

from ..base import (
    DOCX,
    PDF,
    TEXT_PLAIN,
    Adapter,
    CheckResult,
    DeliveryResult,
    OutboxSettings,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..outbox import check_outbox, deliver_to_outbox, file_stem
from .docx import build_docx
from .layout import LABELS, build_sheet
from .pdf import build_pdf

__all__ = ["LABELS", "PrintAdapter", "PrintSettings"]

# F4 (folio) is the paper most Indonesian government offices print on.
PAGE_SIZES = {"A4": "A4", "F4": "215mm 330mm", "Letter": "letter", "Legal": "legal"}


class PrintSettings(OutboxSettings):
    """Where the files go (`outbox_dir`) and on which paper they are laid out."""

    page_size: Literal["A4", "F4", "Letter", "Legal"] = "A4"


class PrintAdapter(Adapter):
    """A letterheaded press release as PDF, DOCX and plain text."""

    name = "print"
    label = "Siaran pers cetak (PDF, DOCX)"
    Settings = PrintSettings
    idempotent = True
    uses_outbox = True
    needs = ("pango", "fonts")  # system pieces the PDF needs (publisher/system.py)

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
        return deliver_to_outbox(
            self.outbox_dir, rendition, self.settings.file_mode, self.settings.group
        )

    def check(self) -> CheckResult:
        """The outbox folder exists (or can be made) and accepts a file."""
        return check_outbox(self.outbox_dir, self.settings.group)
