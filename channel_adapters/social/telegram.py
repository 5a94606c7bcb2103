"""Telegram channels and groups: an HTML parse-mode message with the lead image.

The generated text uses only <b>, <i> and <a href>, with &, < and > escaped, since
Telegram refuses a whole message for one tag it does not know. Telegram measures
what readers see (tags removed, entities decoded) in UTF-16 code units: 4,096 for a
message, 1,024 for a photo caption. A text that fits a caption goes out as the lead
image's caption; a longer one as a message, the picture sent after it on its own.
`payload.json` says which: {"mode": "photo_caption" | "message_then_photo" |
"message", "parse_mode": "HTML", "photo": <image URL or null>, "image_id": …}.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

import nh3
from pydantic import SecretStr

from ..base import ReleaseSnapshot, Rendition, RenditionFile
from ..notice import Notice, distinct
from ..text.counters import utf16_units
from .base import SocialAdapter, SocialSettings
from .markup import Emphasis, Markup

PAYLOAD = "payload.json"
# Tags Telegram's HTML parse mode accepts, for texts a drafter writes by hand.
TAGS = frozenset("b strong i em u ins s strike del a code pre blockquote".split())
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^>]*)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9A-Fa-f]+);")
_ANY_TAG = re.compile(r"<[^>]*>")


class TelegramHtml(Markup):
    """Telegram's HTML parse mode: <b>, <i> and <a href>; &, < and > escaped.

    Telegram counts what a reader sees: tags removed, entities decoded.
    """

    name = "telegram_html"

    def emphasis(self, text: str, kind: Emphasis) -> str:
        """`<b>text</b>` or `<i>text</i>`, the text escaped."""
        tag = "b" if kind == "bold" else "i"
        return f"<{tag}>{html.escape(text, quote=False)}</{tag}>"

    def escape(self, text: str) -> str:
        """&, < and > as entities."""
        return html.escape(text, quote=False)

    def link(self, url: str) -> str:
        """`<a href="url">url</a>`."""
        return f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>'

    def visible(self, text: str) -> str:
        """What a Telegram reader sees: tags gone, entities decoded."""
        return html.unescape(_ANY_TAG.sub("", text))


TELEGRAM_HTML = TelegramHtml()


class TelegramSettings(SocialSettings):
    """A Telegram chat and bot; the token is for delivery, which comes later."""

    api_base: str | None = "https://api.telegram.org"
    chat_id: str | None = None  # @channelname or a numeric chat id
    bot_token: SecretStr | None = None


class TelegramAdapter(SocialAdapter):
    """A message (or photo caption): bold headline, lead, two paragraphs, link."""

    name = "telegram"
    label = "Telegram"
    Settings = TelegramSettings
    limit = 4_096
    caption_limit = 1_024
    counter = staticmethod(utf16_units)
    markup = TELEGRAM_HTML
    paragraphs = 2
    subtitle = True
    labelled_link = True

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Caption or message, the payload saying so, and an HTML preview."""
        image = release.lead_image
        warnings, limit = [], rendition.limit
        if image is None:
            mode = "message"
        elif rendition.length <= self.caption_limit:
            mode, limit = "photo_caption", self.caption_limit
        else:
            mode = "message_then_photo"
            params = {"length": rendition.length, "limit": self.caption_limit}
            warnings.append(Notice("telegram.caption_too_long", params))
        payload = {
            "mode": mode,
            "parse_mode": "HTML",
            "photo": (image.url or None) if image else None,
            "image_id": image.id if image else None,
        }
        data = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
        preview = nh3.clean(
            rendition.text.replace("\n", "<br>\n"),
            tags=set(TAGS | {"br"}),
            attributes={"a": {"href"}},
        )
        return replace(
            rendition,
            html=preview,
            limit=limit,
            files=(RenditionFile(PAYLOAD, "application/json", data.encode()),),
            warnings=(*rendition.warnings, *warnings),
        )

    def refusals(self, text: str) -> list[Notice]:
        """Markup Telegram's HTML parse mode would refuse."""
        problems: list[Notice] = []
        open_tags: list[str] = []
        for match in _TAG.finditer(text):
            closing, tag = match.group(1), match.group(2).lower()
            if tag not in TAGS:
                problems.append(Notice("telegram.tag_unsupported", {"tag": tag}))
            elif not closing:
                open_tags.append(tag)
            elif not open_tags or open_tags.pop() != tag:
                problems.append(Notice("telegram.tag_misclosed", {"tag": tag}))
        problems += [Notice("telegram.tag_unclosed", {"tag": t}) for t in open_tags]
        if re.search(r"[<>&]", _ENTITY.sub("", _TAG.sub("", text))):
            problems.append(Notice("telegram.unescaped"))
        return distinct(problems)
