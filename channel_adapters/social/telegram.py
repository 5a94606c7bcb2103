"""Telegram channels and groups: an HTML parse-mode message with the lead image.

The generated text uses only <b>, <i> and <a href>, with &, < and > escaped, since
Telegram refuses a whole message for one tag it does not know. Telegram measures
what readers see (tags removed, entities decoded) in UTF-16 code units: 4,096 for a
message, 1,024 for a photo caption. A text that fits a caption goes out as the lead
image's caption; a longer one as a message, the picture sent after it on its own.
`payload.json` says which: {"mode": "photo_caption" | "message_then_photo" |
"message", "parse_mode": "HTML", "photo": <image URL or null>, "image_id": …}.

Delivery follows that payload with the Bot API (`https://api.telegram.org/bot<token>/`):
`sendMessage` (parse_mode HTML) for a message, `sendPhoto` with the frozen image's
bytes uploaded (multipart) for a photo with its caption; a message then its photo
when the text is too long for a caption. The chat is a public channel (`@name`, the
bot added as an administrator allowed to post) or a group or channel's numeric id.
Telegram refuses with `{"ok": false, "error_code": …, "description": …}`; a 429
carries `parameters.retry_after`, which is honoured. `check` calls `getMe` and
`getChat`. The token is part of every URL, so it is masked in urllib3's log lines.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import replace

import nh3
import requests
from pydantic import SecretStr, field_validator

from ..base import (
    CheckResult,
    DeliveryResult,
    ReleaseSnapshot,
    Rendition,
    RenditionFile,
)
from ..http.base import MASK, json_object
from ..notice import Notice, distinct
from ..text.counters import utf16_units
from .api import ApiAdapter
from .base import LeadImage, SocialSettings, lead_image
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


_BOT_PATH = re.compile(r"/bot[^/\s]+/")


class _HideBotTokens(logging.Filter):
    """Masks the bot token in the request paths urllib3 logs at DEBUG level."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's arguments; never drop the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                _BOT_PATH.sub(f"/bot{MASK}/", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_HideBotTokens())


class TelegramSettings(SocialSettings):
    """A Telegram chat and the bot that posts to it."""

    api_base: str | None = "https://api.telegram.org"
    chat_id: str | None = None  # @channelname or a numeric chat id (-100…)
    bot_token: SecretStr | None = None  # from @BotFather: 123456:ABC-…

    @field_validator("chat_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        """A numeric chat id written without quotes in config.yaml is kept as text."""
        return str(value) if isinstance(value, int) else value


class TelegramAdapter(ApiAdapter):
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
    can_deliver = True
    credentials = ("bot_token", "chat_id")
    image_purpose = "web"
    message_keys = ("description", "message", "error")

    settings: TelegramSettings

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

    # --- delivery ---

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Send as payload.json says: photo with caption, or message (then photo)."""
        payload = rendition.file(PAYLOAD)
        mode = json.loads(payload.data).get("mode", "message") if payload else "message"
        image = lead_image(rendition)
        if image is None or mode == "message":
            answer = self._send_message(rendition.text)
            return self._result(answer, 1)
        if mode == "photo_caption":
            answer = self._send_photo(image, rendition.text)
            return self._result(answer, 1)
        answer = self._send_message(rendition.text)
        first = self._result(answer, 2)
        with self.after_first(1, 2, first.remote_url):
            self._send_photo(image, photo_caption(image))
        return first

    def verify(self) -> CheckResult:
        """`getMe` (is the token valid?) and `getChat` (can the bot see the chat?)."""
        me = self.call("POST", self._method_url("getMe")).get("result") or {}
        chat_id = {"chat_id": self.settings.chat_id}
        chat = self.call("POST", self._method_url("getChat"), data=chat_id)
        found = chat.get("result") or {}
        name = found.get("title") or found.get("username") or str(chat_id["chat_id"])
        account = f"@{me.get('username', '?')}"
        return CheckResult(
            ok=True,
            notice=Notice(
                "check.bot_in_chat",
                {"network": self.label, "account": account, "chat": name},
            ),
        )

    def secrets(self) -> list[str]:
        """The bot token, and the part after its colon (in case it is quoted alone)."""
        found = super().secrets()
        return found + [t.split(":", 1)[1] for t in found if ":" in t]

    def rate_reset(self, response: requests.Response) -> float | None:
        """Telegram's `parameters.retry_after` of a 429 answer."""
        wait = (json_object(response).get("parameters") or {}).get("retry_after")
        return float(wait) if isinstance(wait, int | float) else None

    def _method_url(self, method: str) -> str:
        """The Bot API URL of `method` (the token is part of the path)."""
        token = (
            self.settings.bot_token.get_secret_value()
            if self.settings.bot_token
            else ""
        )
        return self.api_url(f"/bot{token}/{method}")

    def _send_message(self, text: str) -> dict:
        """`sendMessage` with HTML parse mode."""
        body = {"chat_id": self.settings.chat_id, "text": text, "parse_mode": "HTML"}
        return self.call("POST", self._method_url("sendMessage"), json=body)

    def _send_photo(self, image: LeadImage, caption: str) -> dict:
        """`sendPhoto` uploading the frozen image's bytes, with an HTML caption."""
        fields = {"chat_id": self.settings.chat_id, "parse_mode": "HTML"}
        if caption:
            fields["caption"] = caption
        return self.call(
            "POST",
            self._method_url("sendPhoto"),
            data=fields,
            files={"photo": (image.name, image.data, image.media_type)},
        )

    def _result(self, answer: dict, posts: int) -> DeliveryResult:
        """The message id and, for a public channel, its t.me address."""
        message = answer.get("result") or {}
        message_id = str(message.get("message_id") or "")
        chat = str(self.settings.chat_id or "")
        public = (
            chat[1:]
            if chat.startswith("@")
            else (message.get("chat") or {}).get("username")
        )
        url = f"https://t.me/{public}/{message_id}" if public and message_id else ""
        return DeliveryResult(
            remote_id=message_id, remote_url=url, detail=f"Telegram: {posts} message(s)"
        )


def photo_caption(image: LeadImage) -> str:
    """The caption of a photo sent after its message: caption and credit, escaped."""
    caption, credit = image.caption.strip(), image.credit.strip()
    text = html.escape(f"{caption} ({credit})" if credit else caption, quote=False)
    return text if utf16_units(text) <= TelegramAdapter.caption_limit else ""
