"""How a network marks up a post, declared as an object (like apprise's NotifyFormat).

A network's module sets `markup = PLAIN` (or `WHATSAPP`, or its own subclass, as
Telegram does for its HTML parse mode); the base asks it for emphasis, escaping, the
link line and what a reader sees, which is what the network counts.
"""

from __future__ import annotations

from typing import Literal

import regex

from .story import protected

Emphasis = Literal["bold", "italic"]
_PUNCTUATION = regex.compile(r"[\p{P}\p{S}]*")


class Markup:
    """Plain text: nothing marked, nothing escaped; the reader sees what is written."""

    name = "plain"

    def emphasis(self, text: str, kind: Emphasis) -> str:
        """`text` in bold or italic, as far as this markup has them."""
        return text

    def escape(self, text: str) -> str:
        """`text` made safe to stand in this markup."""
        return text

    def link(self, url: str) -> str:
        """A link to `url` as this markup writes it."""
        return url

    def visible(self, text: str) -> str:
        """What a reader sees of `text` (tags gone, entities decoded)."""
        return text


class WhatsAppMarkup(Markup):
    """WhatsApp's own: *bold* and _italic_; nothing to escape."""

    name = "whatsapp"

    def emphasis(self, text: str, kind: Emphasis) -> str:
        """`*text*` or `_text_`, unless a marker would stick to a link or hashtag."""
        marker = "*" if kind == "bold" else "_"
        text = text.replace(marker, "").strip()
        # A marker near a link or hashtag (only punctuation between) would be read
        # as part of it.
        if any(
            _PUNCTUATION.fullmatch(text[:start]) or _PUNCTUATION.fullmatch(text[end:])
            for start, end in protected(text)
        ):
            return text
        return f"{marker}{text}{marker}"


PLAIN = Markup()
WHATSAPP = WhatsAppMarkup()
