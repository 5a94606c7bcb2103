"""Markdown for release bodies: sanitized HTML for screens, plain text for the ear."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

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
    rendered = _md.render(markdown or "")
    # A release's headings sit below its title, so # becomes h2.
    rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def to_paragraphs(markdown: str) -> list[str]:
    """Plain-text paragraphs: markup dropped, links as their text, list items kept."""
    paragraphs: list[str] = []
    for token in _md.parse(markdown or ""):
        if token.type != "inline":
            continue
        text = (
            "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            if token.children
            else token.content
        )
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            paragraphs.append(text)
    return paragraphs


def to_text(markdown: str) -> str:
    """Plain text, one blank line between paragraphs."""
    return "\n\n".join(to_paragraphs(markdown))


def word_count(text: str) -> int:
    """Words as a reader counts them."""
    return len(re.findall(r"\S+", text))
