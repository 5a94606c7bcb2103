"""Markdown for release bodies: sanitized HTML for screens, plain text for the rest.

One parser and one way to turn a paragraph into plain text (`inline_text`), used by
every adapter that writes plain text: the webhook's and e-mail's `body_text`
(`to_paragraphs`), social posts (`body_blocks`) and the ear's passages
(`broadcast/ear.py`, which adds lists said as a sentence and attributed quotes).
The print desk keeps a parser of its own (`print/blocks.py`): it needs bold, italic
and list depth, not plain text, and reports raw HTML it leaves out.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "em",
    "strong",
    "a",
    "code",
    "pre",
    "hr",
}


def to_html(markdown: str) -> str:
    """CommonMark to HTML, then sanitized: no raw HTML, scripts or odd URLs survive."""
    rendered = MD.render(markdown or "")
    # A release's headings sit below its title, so # becomes h2.
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def inline_text(token: Token, *, urls: bool = False, tags: bool = True) -> str:
    """An inline token as one line of plain text: markup dropped.

    `urls`: a link is written "words (URL)" unless its words are the URL;
    `tags=False`: text that looks like an HTML tag is dropped too (for the ear).
    """
    if not token.children:
        text = token.content
    else:
        parts, href, start = [], "", 0
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif not urls:
                continue
            elif child.type == "link_open":
                href, start = str(child.attrs.get("href", "")), len(parts)
            elif child.type == "link_close" and href.startswith(
                ("http://", "https://")
            ):
                if "".join(parts[start:]).strip() != href:
                    parts.append(f" ({href})")
        text = "".join(parts)
    if not tags:
        text = _TAG.sub(" ", text)
    return " ".join(text.split())


def to_paragraphs(markdown: str) -> list[str]:
    """Plain-text paragraphs: markup dropped, links as their text, list items kept."""
    return [
        text
        for token in MD.parse(markdown or "")
        if token.type == "inline" and (text := inline_text(token))
    ]


@lru_cache(maxsize=32)
def body_blocks(markdown: str) -> tuple[str, ...]:
    """Body paragraphs for a post: headings left out, links with their URL, a list
    as bullet lines under the paragraph before it."""
    blocks: list[str] = []
    heading, lists = False, 0
    for token in MD.parse(markdown or ""):
        if token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "inline" and not heading:
            text = inline_text(token, urls=True)
            if text and lists and blocks:
                blocks[-1] += f"\n• {text}"  # a list belongs to the sentence before it
            elif text:
                blocks.append(f"• {text}" if lists else text)
    return tuple(blocks)


def to_text(markdown: str) -> str:
    """Plain text, one blank line between paragraphs."""
    return "\n\n".join(to_paragraphs(markdown))


def word_count(text: str) -> int:
    """Words as a reader counts them."""
    return len(re.findall(r"\S+", text))
