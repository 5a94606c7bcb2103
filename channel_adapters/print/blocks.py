"""A release body's Markdown as a tree of blocks, for outputs that are not HTML.

`parse_body` turns markdown-it tokens into headings, paragraphs, lists, quotes and code
made of styled spans, so the print layout can draw the same body as PDF, DOCX and
text. Raw HTML never becomes markup: it is left out, with a note for the drafter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..notice import Notice, distinct

LINE_BREAK = "\n"
# Characters XML 1.0 forbids (python-docx refuses them) and other C0/C1 controls.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_SPACES = re.compile(r"[ \t\r\n\u2028\u2029]+")
_DOUBLE_SPACE = re.compile(r"  +")
_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})

HTML_LEFT_OUT = Notice("print.html_left_out")
PICTURE_LEFT_OUT = Notice("print.picture_left_out")


def clean(text: str) -> str:
    """`text` without control characters, which XML and printers cannot carry."""
    return _CONTROL.sub("", text or "")


def one_line(text: str) -> str:
    """`text` cleaned, with runs of whitespace and line breaks as one space."""
    return _SPACES.sub(" ", clean(text)).strip()


@dataclass(frozen=True)
class Span:
    """A run of body text with one style; LINE_BREAK is a forced line break."""

    text: str
    strong: bool = False
    em: bool = False
    code: bool = False


@dataclass(frozen=True)
class Block:
    """A block of the body: heading, paragraph, list, quote or code."""

    kind: str
    spans: tuple[Span, ...] = ()
    level: int = 0  # heading: 2 or 3
    ordered: bool = False  # list
    start: int = 1  # list: number of the first item
    items: tuple[tuple[Block, ...], ...] = ()  # list: each item's blocks
    children: tuple[Block, ...] = ()  # quote
    text: str = ""  # code


def parse_body(markdown: str) -> tuple[tuple[Block, ...], tuple[Notice, ...]]:
    """The body's blocks and what the drafter should know about what was left out."""
    notes: list[Notice] = []
    blocks, _ = _blocks(_md.parse(clean(markdown)), 0, "", notes)
    return tuple(blocks), tuple(distinct(notes))


def _blocks(
    tokens: list[Token], i: int, stop: str, notes: list[Notice]
) -> tuple[list[Block], int]:
    """Blocks from `tokens[i:]` up to the closing token `stop`; and the next index."""
    out: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        if token.type == stop:
            return out, i + 1
        if token.type in ("heading_open", "paragraph_open"):
            spans = _spans(tokens[i + 1], notes)
            if spans and token.type == "heading_open":
                level = 2 if token.tag in ("h1", "h2") else 3
                out.append(Block("heading", spans, level=level))
            elif spans:
                out.append(Block("paragraph", spans))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            start = int(token.attrGet("start") or 1)
            items: list[tuple[Block, ...]] = []
            i += 1
            while tokens[i].type != close:
                item, i = _blocks(tokens, i + 1, "list_item_close", notes)
                items.append(tuple(item))
            ordered = close == "ordered_list_close"
            out.append(Block("list", ordered=ordered, start=start, items=tuple(items)))
            i += 1
        elif token.type == "blockquote_open":
            children, i = _blocks(tokens, i + 1, "blockquote_close", notes)
            if children:
                out.append(Block("quote", children=tuple(children)))
        elif token.type in ("fence", "code_block"):
            if token.content.strip():
                out.append(Block("code", text=token.content.rstrip("\n")))
            i += 1
        else:
            if token.type == "html_block":
                notes.append(HTML_LEFT_OUT)
            i += 1
    return out, i


def _spans(inline: Token, notes: list[Notice]) -> tuple[Span, ...]:
    """Styled runs of one inline token; a link prints as its text and (address)."""
    spans: list[Span] = []
    strong = em = 0
    links: list[tuple[str, int]] = []  # (address, where its text starts)
    hidden = ""  # the closing tag of a script or style whose content is skipped
    for child in inline.children or ():
        kind = child.type
        if hidden:
            if kind == "html_inline" and child.content.lower().startswith(hidden):
                hidden = ""
            continue
        if kind == "text" and child.content:
            spans.append(Span(child.content, strong > 0, em > 0))
        elif kind == "code_inline":
            spans.append(Span(child.content, strong > 0, em > 0, code=True))
        elif kind == "softbreak":
            spans.append(Span(" ", strong > 0, em > 0))
        elif kind == "hardbreak":
            spans.append(Span(LINE_BREAK))
        elif kind in ("strong_open", "strong_close"):
            strong += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            em += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            links.append((str(child.attrGet("href") or ""), len(spans)))
        elif kind == "link_close" and links:
            href, first = links.pop()
            shown = "".join(s.text for s in spans[first:]).strip()
            address = href.removeprefix("mailto:")
            if address and address != shown:
                spans.append(Span(f" ({address})"))
        elif kind == "image":
            notes.append(PICTURE_LEFT_OUT)
        elif kind == "html_inline":
            notes.append(HTML_LEFT_OUT)
            tag = re.match(r"<\s*(script|style)\b", child.content, re.IGNORECASE)
            if tag:
                hidden = f"</{tag.group(1).lower()}"
    return _merged(spans)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Adjacent runs of the same style joined, outer whitespace trimmed."""
    out: list[Span] = []
    for span in spans:
        style = (span.strong, span.em, span.code)
        if out and LINE_BREAK not in (span.text, out[-1].text):
            last = out[-1]
            if (last.strong, last.em, last.code) == style:
                out[-1] = Span(last.text + span.text, *style)
                continue
        out.append(span)
    out = [
        s if s.code else Span(_DOUBLE_SPACE.sub(" ", s.text), s.strong, s.em)
        for s in out
    ]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        first, last = out[0], out[-1]
        out[0] = Span(first.text.lstrip(), first.strong, first.em, first.code)
        out[-1] = Span(out[-1].text.rstrip(), last.strong, last.em, last.code)
    return tuple(out)


def plain(spans: tuple[Span, ...]) -> str:
    """The text of `spans`, styles dropped."""
    return "".join(span.text for span in spans)


def text_paragraphs(blocks: tuple[Block, ...], prefix: str = "") -> list[str]:
    """The body as plain-text paragraphs: `- ` and `1. ` items, `> ` quotes."""
    out: list[str] = []
    for block in blocks:
        if block.kind in ("heading", "paragraph"):
            out.append(prefix + plain(block.spans))
        elif block.kind == "code":
            out.append(prefix + block.text)
        elif block.kind == "quote":
            out.extend(text_paragraphs(block.children, prefix + "> "))
        elif block.kind == "list":
            lines = []
            for number, item in enumerate(block.items, block.start):
                marker = f"{number}. " if block.ordered else "- "
                item_lines = text_paragraphs(item, prefix + " " * len(marker))
                if item_lines:
                    first = item_lines[0][len(prefix) + len(marker) :]
                    item_lines[0] = prefix + marker + first
                lines.extend(item_lines or [prefix + marker.rstrip()])
            # A list stays one paragraph in plain text: one item to a line.
            out.append("\n".join(lines))
    return out


def word_total(blocks: tuple[Block, ...]) -> int:
    """Words in the body, as a reader counts them."""
    return sum(len(paragraph.split()) for paragraph in text_paragraphs(blocks))
