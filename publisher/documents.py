"""Make an uploaded PDF or DOCX safe to store and to pass on to newsrooms.

(Over 400 lines on purpose: the whole policy for attachments, both formats, reads in
one place; the two share the refusal rules and the zip checks.)

A document attached to a release travels unchanged to every print desk that opens
it, so what it could do there is decided here, once, before it is stored:

- DOCX (a zip of XML parts): refused when it unpacks too large or compresses too
  well (a zip bomb), carries macros, OLE objects or ActiveX controls, or fetches
  anything from elsewhere when opened (an external relationship other than a plain
  hyperlink); cleaned of its template path (local or remote), author, last editor,
  company, editing-session ids (rsid), reviewers' names and custom properties.
- PDF: rewritten by qpdf (pikepdf) without JavaScript, automatic actions (open,
  page and field actions), launch and other outward actions, embedded files and
  XFA forms, and without its document information and XMP metadata.

Refusing or cleaning follows one rule: what a reader sees on the page is never
changed behind the drafter's back. An OLE object or a linked picture is part of
the page, so such a file is refused and the drafter saves it again without; a
template path, a script or a name in the properties is not, so it is removed.
Bytes in, cleaned bytes out, or `Refused` with a reason code that `uploads` turns
into the refusal naming the file.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from .config import MediaConfig

if TYPE_CHECKING:  # imported when a PDF arrives, not when the app starts
    import pikepdf

# --- DOCX --------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

# Relationship types (their last path segment) that put a program or a foreign
# object on the page: refused, whatever their target.
ACTIVE_TYPES = frozenset(
    {"oleObject", "control", "activeXControl", "activeXControlBinary", "vbaProject"}
)
# An external target that may stay: a link the reader chooses to follow.
HARMLESS_EXTERNAL = frozenset({"hyperlink"})
# Parts that hold who wrote or reviewed the document and nothing a reader sees.
DROPPED_PARTS = frozenset({"docProps/custom.xml", "word/people.xml"})
# In core.xml only these survive; the rest names people, dates and revisions.
KEPT_CORE = frozenset({f"{{{DC}}}title", f"{{{DC}}}language"})
# In app.xml these go: who, for whom, from which template, how long.
DROPPED_APP = frozenset(
    f"{{{EXTENDED}}}{name}"
    for name in ("Template", "Company", "Manager", "TotalTime", "HyperlinkBase")
)
# w:rsid* attributes: ids of the editing sessions, which link copies of a document.
RSID_PREFIX = f"{{{W}}}rsid"
AUTHOR, INITIALS = f"{{{W}}}author", f"{{{W}}}initials"
# Every part is rewritten with this timestamp, so the same upload gives the same
# bytes (and the same SHA-256) each time.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Entries smaller than this are never judged by their ratio: they cannot hurt.
RATIO_FLOOR = 1 << 20
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


class Refused(Exception):
    """The document is not accepted: `reason` is a `media.<reason>` notice code."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Cleaned:
    """A cleaned document and what was taken out of it (for the audit trail)."""

    data: bytes
    removed: tuple[str, ...]


def clean_docx(data: bytes, limits: MediaConfig) -> Cleaned:
    """The Word document without metadata or template path; `Refused` if hostile."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _refuse_bombs(infos, limits)
            parts = {info.filename: archive.read(info) for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise Refused("damaged", detail=str(exc)) from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise Refused("unsupported") from None
    return _Docx(parts).clean()


def _refuse_bombs(infos: list[zipfile.ZipInfo], limits: MediaConfig) -> None:
    """Refuse by the sizes the zip declares, before anything is unpacked.

    zipfile never gives more bytes than an entry declares (and fails on a CRC
    mismatch), so the declared sizes bound what reading the parts can cost.
    """
    total = sum(info.file_size for info in infos)
    if total > limits.max_document_unpacked_bytes:
        raise Refused(
            "unpacks_too_large",
            unpacked=total,
            limit=limits.max_document_unpacked_bytes,
        )
    for info in infos:
        if info.file_size < RATIO_FLOOR:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise Refused(
                "compression_ratio",
                ratio=round(ratio),
                limit=limits.max_compression_ratio,
            )


class _Docx:
    """The parts of one Word document, judged and cleaned in place."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self.removed: list[str] = []

    def xml(self, part: str) -> etree._Element:
        """A part parsed without entities or network (no XXE, no billion laughs)."""
        try:
            return etree.fromstring(self.parts[part], SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise Refused("damaged", detail=f"{part}: {exc}") from None

    def put(self, part: str, root: etree._Element) -> None:
        """Write a changed part back."""
        self.parts[part] = etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        )

    def clean(self) -> Cleaned:
        """Judge every relationship, then strip what only describes the document."""
        for part in list(self.parts):
            lowered = part.lower()
            if lowered.endswith("vbaproject.bin") or lowered.endswith("vbadata.xml"):
                raise Refused("macros")
            if lowered.startswith("word/activex/") or (
                lowered.startswith("word/embeddings/") and lowered.endswith(".bin")
            ):
                raise Refused("embedded_objects")
        for part in [p for p in self.parts if p.endswith(".rels")]:
            self._judge_relationships(part)
        for part in DROPPED_PARTS & set(self.parts):
            self._drop(part)
        if "docProps/core.xml" in self.parts:
            self._clean_core()
        if "docProps/app.xml" in self.parts:
            self._clean_app()
        for part in list(self.parts):
            if part.startswith("word/") and part.endswith(".xml"):
                self._clean_word_part(part)
            elif part.startswith(("word/media/", "docProps/thumbnail")):
                self._clean_picture(part)
        return Cleaned(self._pack(), tuple(sorted(set(self.removed))))

    def _clean_picture(self, part: str) -> None:
        """A photo in the document loses EXIF (GPS too), XMP, IPTC and comments."""
        data = self.parts[part]
        cleaned = strip_jpeg(data) if data.startswith(b"\xff\xd8") else data
        if data.startswith(PNG_SIGNATURE):
            cleaned = strip_png(data)
        if cleaned != data:
            self.parts[part] = cleaned
            self.removed.append("picture metadata")

    def _judge_relationships(self, rels_part: str) -> None:
        """Refuse what runs or fetches; drop the template, keep hyperlinks."""
        root = self.xml(rels_part)
        source = _source_of(rels_part)
        changed = False
        for rel in list(root.iter(f"{{{REL}}}Relationship")):
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            external = rel.get("TargetMode", "") == "External"
            target = rel.get("Target", "")
            if kind in ACTIVE_TYPES:
                raise Refused("embedded_objects")
            if kind == "package" and not source.startswith("word/charts/"):
                # A whole file on the page (an icon that opens it); charts keep
                # their own workbook of figures this way, which is data only.
                raise Refused("embedded_objects")
            if kind == "attachedTemplate":
                # Where the author's template lives, on their disk or a server.
                # Word opens the document without it; nothing on the page changes.
                root.remove(rel)
                self._drop_attached_template(source)
                self.removed.append("template")
                changed = True
            elif external and kind not in HARMLESS_EXTERNAL:
                raise Refused("external_content", target=target[:200])
        if changed:
            self.put(rels_part, root)

    def _drop_attached_template(self, settings_part: str) -> None:
        """Remove <w:attachedTemplate> from the settings that named the template."""
        if settings_part not in self.parts:
            return
        root = self.xml(settings_part)
        for element in list(root.iter(f"{{{W}}}attachedTemplate")):
            element.getparent().remove(element)
        self.put(settings_part, root)

    def _drop(self, part: str) -> None:
        """Remove a part, its relationships and its content type."""
        del self.parts[part]
        self.parts.pop(_rels_of(part), None)
        self.removed.append(posixpath.basename(part))
        for rels_part in [p for p in self.parts if p.endswith(".rels")]:
            root = self.xml(rels_part)
            base = posixpath.dirname(_source_of(rels_part))
            gone = [
                rel
                for rel in root.iter(f"{{{REL}}}Relationship")
                if rel.get("TargetMode") != "External"
                and _resolve(base, rel.get("Target", "")) == part
            ]
            for rel in gone:
                root.remove(rel)
            if gone:
                self.put(rels_part, root)
        if "[Content_Types].xml" in self.parts:
            root = self.xml("[Content_Types].xml")
            for override in list(root.iter(f"{{{TYPES}}}Override")):
                if override.get("PartName", "").lstrip("/") == part:
                    root.remove(override)
            self.put("[Content_Types].xml", root)

    def _clean_core(self) -> None:
        """Keep the title and language; author, last editor, dates, revision go."""
        root = self.xml("docProps/core.xml")
        for child in list(root):
            if child.tag not in KEPT_CORE:
                root.remove(child)
                self.removed.append("core properties")
        self.put("docProps/core.xml", root)

    def _clean_app(self) -> None:
        """Remove company, manager, template name, editing time, hyperlink base."""
        root = self.xml("docProps/app.xml")
        for child in list(root):
            if child.tag in DROPPED_APP:
                root.remove(child)
                self.removed.append("app properties")
        self.put("docProps/app.xml", root)

    def _clean_word_part(self, part: str) -> None:
        """Remove editing-session ids and reviewers' names from a Word XML part."""
        root = self.xml(part)
        changed = False
        for element in list(root.iter(f"{{{W}}}rsids", f"{{{W}}}rsid")):
            element.getparent().remove(element)
            changed = True
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute in list(element.attrib):
                if attribute.startswith(RSID_PREFIX):
                    del element.attrib[attribute]
                    changed = True
                elif attribute == AUTHOR:
                    # Tracked changes and comments require an author: an empty one.
                    element.set(AUTHOR, "")
                    changed = True
                elif attribute == INITIALS:
                    del element.attrib[attribute]
                    changed = True
        if changed:
            self.removed.append("revision ids and reviewers")
            self.put(part, root)

    def _pack(self) -> bytes:
        """The parts as a new zip, [Content_Types].xml first, fixed timestamps."""
        out = io.BytesIO()
        order = sorted(self.parts, key=lambda p: (p != "[Content_Types].xml", p))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in order:
                info = zipfile.ZipInfo(part, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, self.parts[part])
        return out.getvalue()


# --- pictures inside documents ------------------------------------------------------
# Cut out losslessly: the pixels stay byte for byte, so the page looks the same.

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG chunks that describe rather than draw: EXIF, text (author, software), time.
PNG_DROPPED = frozenset({b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"})
# JPEG segments kept besides the image data: JFIF (APP0), ICC profile and MPF
# (APP2), Adobe colour transform (APP14). APP1 (EXIF, XMP), APP13 (IPTC), other
# APPn and comments go; an EXIF orientation other than upright is written back
# alone, so Word turns the picture as before.
JPEG_KEPT_APPS = frozenset({0xE0, 0xE2, 0xEE})
JPEG_ORIENTATION = 0x0112


def strip_png(data: bytes) -> bytes:
    """The PNG without its metadata chunks; unchanged if it is not well formed."""
    out, position = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            return data
        if kind not in PNG_DROPPED:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    return data


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG without EXIF, XMP, IPTC or comments (orientation kept); unchanged
    if its segments are not well formed."""
    out, position = [data[:2]], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return data
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan: the rest is the picture
            out.append(data[position:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            out.append(data[position : position + 2])
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(data):
            return data
        segment = data[position:end]
        if marker == 0xE1 and segment[4:10] == b"Exif\x00\x00":
            turned = _orientation_segment(segment[4:])
            if turned:
                out.append(turned)
        elif marker == 0xFE or (
            0xE0 <= marker <= 0xEF and marker not in JPEG_KEPT_APPS
        ):
            pass  # a comment or an application segment that describes the photo
        else:
            out.append(segment)
        position = end
    return data


def _orientation_segment(payload: bytes) -> bytes:
    """An APP1 segment holding only the EXIF orientation, if it is not upright."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(payload)
        orientation = int(exif.get(JPEG_ORIENTATION, 1))
    except (ValueError, TypeError, KeyError, IndexError, OSError, SyntaxError):
        return b""
    if orientation == 1:
        return b""
    alone = Image.Exif()
    alone[JPEG_ORIENTATION] = orientation
    body = alone.tobytes()
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def _source_of(rels_part: str) -> str:
    """The part a relationships part belongs to (`word/_rels/x.xml.rels` → x.xml)."""
    folder, file = posixpath.split(rels_part)
    parent = posixpath.dirname(folder)
    return posixpath.join(parent, file.removesuffix(".rels"))


def _rels_of(part: str) -> str:
    """The relationships part of `part`."""
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _resolve(base: str, target: str) -> str:
    """An internal relationship target as a part name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


# --- PDF ---------------------------------------------------------------------------

# Actions that run something, open another file or send data somewhere. A /URI
# link (the reader clicks it) and moves within the document stay.
OUTWARD_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/GoToE",
        "/GoToR",
        "/ImportData",
        "/SubmitForm",
        "/RichMediaExecute",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)


# Markup annotations (comments, highlights, stamps): their /T is the commenter's
# name. A form field's (/Widget) /T is its name and stays.
MARKUP_ANNOTATIONS = frozenset(
    {
        "/Text",
        "/FreeText",
        "/Line",
        "/Square",
        "/Circle",
        "/Polygon",
        "/PolyLine",
        "/Highlight",
        "/Underline",
        "/Squiggly",
        "/StrikeOut",
        "/Stamp",
        "/Caret",
        "/Ink",
        "/FileAttachment",
        "/Sound",
        "/Redact",
    }
)


def clean_pdf(data: bytes) -> Cleaned:
    """The PDF without scripts, automatic or outward actions, attachments, metadata.

    pikepdf (qpdf) rather than hand-written parsing: a hostile PDF hides its objects
    in compressed object streams, broken cross-reference tables and incremental
    updates, which qpdf reads like a viewer does and writes out as one new file
    holding only what is still referenced.
    """
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except pikepdf.PdfError as exc:
        raise Refused("damaged", detail=str(exc)) from None
    with pdf:
        removed = _strip_pdf(pdf)
        out = io.BytesIO()
        try:
            pdf.save(
                out,
                fix_metadata_version=False,
                deterministic_id=True,
                compress_streams=True,
            )
        except pikepdf.PdfError as exc:
            raise Refused("damaged", detail=str(exc)) from None
    return Cleaned(out.getvalue(), tuple(sorted(removed)))


def _strip_pdf(pdf: pikepdf.Pdf) -> set[str]:
    """Remove the hostile and descriptive parts of every object; what was removed."""
    import pikepdf

    removed: set[str] = set()
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
        removed.add("document information")
    seen: set[tuple[int, int]] = set()
    stack: list = [pdf.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Object) and item.is_indirect:
            key = item.objgen
            if key in seen:
                continue
            seen.add(key)
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if isinstance(item, pikepdf.Stream):
            dictionary = item.stream_dict
        elif isinstance(item, pikepdf.Dictionary):
            dictionary = item
        else:
            continue
        removed |= _strip_dictionary(dictionary)
        stack.extend(dictionary[k] for k in list(dictionary.keys()))
    return removed


def _strip_dictionary(dictionary: pikepdf.Dictionary) -> set[str]:
    """Remove from one dictionary what runs, fetches, carries files or names people."""
    import pikepdf

    removed: set[str] = set()
    for key, what in (
        ("/OpenAction", "open action"),
        ("/AA", "automatic actions"),
        ("/JS", "JavaScript"),
        ("/JavaScript", "JavaScript"),
        ("/EmbeddedFiles", "embedded files"),
        ("/EF", "embedded files"),
        ("/AF", "embedded files"),
        ("/XFA", "XFA form"),
        ("/Metadata", "XMP metadata"),
        ("/PieceInfo", "application data"),
    ):
        if key in dictionary:
            del dictionary[key]
            removed.add(what)
    if "/T" in dictionary and str(dictionary.get("/Subtype", "")) in (
        MARKUP_ANNOTATIONS
    ):
        del dictionary["/T"]
        removed.add("commenters' names")
    for key in ("/A", "/Next"):
        action = dictionary.get(key)
        if isinstance(action, pikepdf.Dictionary) and (
            str(action.get("/S", "")) in OUTWARD_ACTIONS
        ):
            del dictionary[key]
            removed.add("outward action")
    annots = dictionary.get("/Annots")
    if isinstance(annots, pikepdf.Array):
        kept = [
            a
            for a in annots
            if not (
                isinstance(a, pikepdf.Dictionary)
                and str(a.get("/Subtype", "")) == "/FileAttachment"
            )
        ]
        if len(kept) != len(annots):
            dictionary["/Annots"] = pikepdf.Array(kept)
            removed.add("embedded files")
    return removed
