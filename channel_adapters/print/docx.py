"""The siaran pers as an editable Word document, drawn from the shared `Sheet`."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Inches, Pt
from docx.text.paragraph import Paragraph

from ..notice import Notice
from .blocks import LINE_BREAK, Block, Span
from .layout import Figure, Sheet

# Word's own names: the recipient's Word has them, LibreOffice maps them to the
# metric-compatible Liberation fonts the PDF uses, so both break lines alike.
SERIF, SANS, MONO = "Times New Roman", "Arial", "Courier New"
PAPER = {
    "A4": (Cm(21), Cm(29.7)),
    "F4": (Cm(21.5), Cm(33)),
    "Letter": (Inches(8.5), Inches(11)),
    "Legal": (Inches(8.5), Inches(14)),
}
MARGINS = {"top": Cm(2), "bottom": Cm(2.2), "left": Cm(2.5), "right": Cm(2.2)}
LOGO_HEIGHT = Cm(2.2)
FIGURE_HEIGHT = Cm(8)
INDENT = Cm(0.75)
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-GB"}
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
# DOS time 00:00:00 and date 1980-01-01, little-endian, as zip headers store them.
ZIP_TIME = bytes((0, 0, 0x21, 0))


def build_docx(
    sheet: Sheet, paper: str, moment: datetime, pages: int = 1
) -> tuple[bytes, list[str]]:
    """The DOCX bytes of `sheet`, and warnings about pictures Word cannot hold.

    `pages` (the PDF's page count) is what the footer shows until Word recounts.
    """
    doc = Document()
    notes: list[Notice] = []
    section = doc.sections[0]
    section.page_width, section.page_height = PAPER[paper]
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    width = section.page_width - section.left_margin - section.right_margin
    _styles(doc, sheet.language)
    _letterhead(doc, sheet, width, notes)

    _line(doc, sheet.labels["heading"], size=15, bold=True, center=True, before=14)
    if sheet.number:
        _line(doc, f"{sheet.labels['number']}: {sheet.number}", center=True)
    release = _line(doc, sheet.release_line, size=10.5, bold=True, before=10)
    if sheet.embargoed:
        _border(release, ("top", "left", "bottom", "right"), "single", 6)
    after_headline = 2 if sheet.subtitle else 8
    _line(doc, sheet.headline, size=16, bold=True, before=10, after=after_headline)
    if sheet.subtitle:
        _line(doc, sheet.subtitle, size=12, italic=True, after=8)
    for figure in sheet.figures[:1]:
        _figure(doc, sheet, figure, width, notes)
    lead = doc.add_paragraph()
    _format(lead, justify=True)
    lead.add_run(sheet.dateline).bold = True
    if sheet.lead:
        lead.add_run(" " + sheet.lead)
    for block in sheet.blocks:
        _block(doc, block, 0)
    for figure in sheet.figures[1:]:
        _figure(doc, sheet, figure, width, notes)
    if sheet.about:
        title = _line(doc, sheet.about_title, size=10, bold=True, before=14, sans=True)
        _border(title, ("top",), "single", 4)
        for text in sheet.about:
            about = _line(doc, text, size=10, justify=True)
            about.paragraph_format.keep_with_next = True
    if sheet.contact:
        _line(doc, f"{sheet.labels['contact']}:", bold=True, before=12)
        for text in sheet.contact:
            _line(doc, text, after=0).paragraph_format.keep_with_next = True
    _line(doc, "###", bold=True, center=True, before=14)
    _footer(section.footer.paragraphs[0], sheet, pages)

    props = doc.core_properties
    props.title, props.author = sheet.headline, sheet.org_name
    props.language = LANGUAGE_TAGS[sheet.language]
    # The approval time, not the clock, so the same revision gives the same bytes.
    stamp = moment.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    return _reproducible(doc), notes


def _styles(doc, language: str) -> None:
    """Body in a serif like the PDF; headings black and plain, not Word's blue."""
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = SERIF, Pt(11.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), SERIF)
    for lang in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
        lang.set(qn("w:val"), LANGUAGE_TAGS[language])  # for Word's spelling check
    for name, size in (("Heading 2", 12), ("Heading 3", 11.5)):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.bold = SANS, Pt(size), True
        style.font.italic = False
        style.font.color.rgb = None
        _drop_theme_fonts(style)
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True


def _drop_theme_fonts(style) -> None:
    """Remove theme font references, which would override the named font."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _letterhead(doc, sheet: Sheet, width: Emu, notes: list[Notice]) -> None:
    """Logo on the left, the office centred beside it, a double rule beneath."""
    table = doc.add_table(rows=1, cols=2 if sheet.logo else 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    text_cell = table.rows[0].cells[-1]
    table.autofit = False
    text_cell.width = table.columns[-1].width = width
    if sheet.logo:
        logo_cell = table.rows[0].cells[0]
        # Word reads the cell widths, LibreOffice the grid's: set both.
        logo_cell.width = table.columns[0].width = Cm(2.8)
        text_cell.width = table.columns[1].width = width - Cm(2.8)
        _picture(logo_cell.paragraphs[0], sheet.logo, Cm(2.6), LOGO_HEIGHT, notes)
    name = text_cell.paragraphs[0]
    _runs(name, (Span(sheet.org_name, strong=True),), size=13, sans=True)
    name.runs[0].font.all_caps = True  # shown in capitals, stored as written
    _format(name, center=True, after=0)
    for text in sheet.org_lines:
        line = text_cell.add_paragraph()
        _runs(line, (Span(text),), size=9.5, sans=True)
        _format(line, center=True, after=0)
    rule = doc.add_paragraph()
    _format(rule, after=0)
    rule.paragraph_format.line_spacing = 0.5
    _border(rule, ("bottom",), "thickThinSmallGap", 18)


def _block(doc, block: Block, depth: int, italic: bool = False) -> None:
    """One body block; lists and quotes indent their children by `depth`."""
    if block.kind == "heading":
        paragraph = doc.add_paragraph()
        # The style id directly: looking a style up by name costs a scan of styles.xml.
        paragraph._p.get_or_add_pPr().style = f"Heading{block.level}"
        _runs(paragraph, block.spans)
    elif block.kind == "paragraph":
        paragraph = doc.add_paragraph()
        _runs(paragraph, block.spans, italic=italic)
        _format(paragraph, justify=True)
    elif block.kind == "code":
        paragraph = doc.add_paragraph()
        _runs(paragraph, (Span(block.text, code=True),), size=10)
    elif block.kind == "quote":
        for child in block.children:
            _block(doc, child, depth + 1, italic=True)
        return
    else:
        for number, item in enumerate(block.items, block.start):
            marker = f"{number}." if block.ordered else "•"
            for index, child in enumerate(item):
                if child.kind == "paragraph":
                    paragraph = doc.add_paragraph()
                    _indent(paragraph, depth + 1, hanging=index == 0)
                    if index == 0:
                        paragraph.add_run(marker + "\t")
                    _runs(paragraph, child.spans, italic=italic)
                    paragraph.paragraph_format.space_after = Pt(3)
                else:
                    _block(doc, child, depth + 1, italic)
        return
    _indent(paragraph, depth)


def _indent(paragraph: Paragraph, depth: int, hanging: bool = False) -> None:
    """Indent a paragraph `depth` steps; a list item's marker hangs to the left."""
    if depth:
        paragraph.paragraph_format.left_indent = INDENT * depth
    if hanging:
        paragraph.paragraph_format.first_line_indent = -Cm(0.6)
        paragraph.paragraph_format.tab_stops.add_tab_stop(INDENT * depth)


def _figure(doc, sheet: Sheet, figure: Figure, width: Emu, notes: list[Notice]) -> None:
    """A release picture, centred, with its caption and credit below."""
    paragraph = doc.add_paragraph()
    _format(paragraph, center=True, after=2)
    paragraph.paragraph_format.keep_with_next = True
    if not _picture(paragraph, figure.path, width, FIGURE_HEIGHT, notes):
        paragraph._element.getparent().remove(paragraph._element)
        return
    _line(doc, sheet.caption(figure), size=9.5, italic=True, center=True, after=10)


def _picture(
    paragraph: Paragraph, path: Path, width: Emu, height: Emu, notes: list[Notice]
) -> bool:
    """Put the picture at `path` into `paragraph`, at most `width` by `height`."""
    run = paragraph.add_run()
    try:
        shape = run.add_picture(str(path), width=width)
    except UnrecognizedImageError:
        data = _as_png(path)
        if data is None:
            notes.append(Notice("print.picture_not_in_docx", {"file": path.name}))
            return False
        shape = run.add_picture(data, width=width)
    if shape.height > height:
        shape.width, shape.height = int(shape.width * height / shape.height), height
    return True


def _as_png(path: Path) -> io.BytesIO | None:
    """The picture re-encoded as PNG (for WebP and the like), or None if unreadable."""
    from PIL import Image as PILImage  # only for the rare picture Word cannot read

    try:
        with PILImage.open(path) as picture:
            out = io.BytesIO()
            picture.save(out, "PNG")
    except (OSError, ValueError):
        return None
    out.seek(0)
    return out


def _footer(paragraph: Paragraph, sheet: Sheet, pages: int) -> None:
    """`Halaman N dari M` from Word fields, which Word updates as the text changes."""
    _format(paragraph, center=True, after=0)
    for text, field, shown in (
        (f"{sheet.labels['page']} ", "PAGE", "1"),
        (f" {sheet.labels['of']} ", "NUMPAGES", str(pages)),
    ):
        _runs(paragraph, (Span(text),), size=9, sans=True)
        _field(paragraph, field, shown)


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) showing `shown` until Word computes it."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        if kind == "result":
            _runs(paragraph, (Span(shown),), size=9, sans=True)
            continue
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)


def _line(
    doc,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    justify: bool = False,
    sans: bool | None = None,
    before: float | None = None,
    after: float | None = None,
) -> Paragraph:
    """A paragraph of one style; bold lines are set in the sans-serif like the PDF."""
    paragraph = doc.add_paragraph()
    _runs(
        paragraph,
        (Span(text, strong=bold),),
        size=size,
        italic=italic,
        sans=bold if sans is None else sans,
    )
    _format(paragraph, center=center, justify=justify, before=before, after=after)
    return paragraph


def _runs(
    paragraph: Paragraph,
    spans: tuple[Span, ...],
    *,
    size: float | None = None,
    italic: bool = False,
    sans: bool = False,
) -> None:
    """Add `spans` as runs of `paragraph`."""
    for span in spans:
        if span.text == LINE_BREAK:
            paragraph.add_run().add_break()
            continue
        run = paragraph.add_run(span.text)
        if span.strong:
            run.bold = True
        if span.em or italic:
            run.italic = True
        if span.code or sans:
            run.font.name = MONO if span.code else SANS
        if size:
            run.font.size = Pt(size)


def _format(
    paragraph: Paragraph,
    *,
    center: bool = False,
    justify: bool = False,
    before: float | None = None,
    after: float | None = None,
) -> None:
    """Alignment and spacing of one paragraph."""
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if before is not None:
        paragraph.paragraph_format.space_before = Pt(before)
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)


def _border(paragraph: Paragraph, sides: tuple[str, ...], kind: str, size: int) -> None:
    """Draw a border on the given sides of `paragraph` (size in eighths of a point)."""
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), kind)
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # Word rejects a document whose pPr children are out of schema order.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)


def _reproducible(doc) -> bytes:
    """The saved document, with every zip entry stamped 1980-01-01 00:00."""
    saved = io.BytesIO()
    doc.save(saved)
    data = bytearray(saved.getvalue())
    # Zip entries carry the time they were written; a fixed time keeps the bytes,
    # and so the rendition's hash, the same on every render. Patching the headers
    # in place (APPNOTE 4.3.7 and 4.3.12) is cheaper than compressing again.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        entries = archive.infolist()
    end = data.rindex(b"PK\x05\x06")
    central = int.from_bytes(data[end + 16 : end + 20], "little")
    for entry in entries:
        data[entry.header_offset + 10 : entry.header_offset + 14] = ZIP_TIME
        data[central + 12 : central + 16] = ZIP_TIME
        name, extra, comment = (
            int.from_bytes(data[central + at : central + at + 2], "little")
            for at in (28, 30, 32)
        )
        central += 46 + name + extra + comment
    return bytes(data)
