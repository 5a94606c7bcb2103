"""A local Telegram Bot API: getMe, getChat, sendMessage and sendPhoto.

Every method is `POST /bot<token>/<method>` with JSON, form or multipart fields,
and answers `{"ok": true, "result": …}` or `{"ok": false, "error_code": …,
"description": …}` (a 429 adds `"parameters": {"retry_after": N}`). A wrong token
is a 401 "Unauthorized"; an unknown chat a 400 "Bad Request: chat not found".
"""

from __future__ import annotations

import time
from itertools import count

from tests.fakes.api import FakeApi, Request, route
from tests.fakes.multipart import form_fields
from tests.support import Reply

TOKEN = "123456789:AAH-rahasia-bot-token-0123456789abc"
CHANNEL = "@diskominfobali"
CHAT = {
    "id": -1001234567890,
    "title": "Diskominfos Bali",
    "username": "diskominfobali",
    "type": "channel",
}


def error(code: int, description: str, retry_after: int | None = None) -> Reply:
    """A Bot API error answer."""
    body: dict = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return Reply(code, body)


def fields_of(request: Request) -> dict[str, object]:
    """A method's parameters from JSON, a urlencoded form or a multipart form."""
    kind = request.headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        return request.json()
    if kind.startswith("multipart/form-data"):
        found: dict[str, object] = {}
        for name, parts in form_fields(request).items():
            part = parts[0]
            found[name] = part if part.filename else part.text
        return found
    return {k: v[0] for k, v in request.form.items()}


class FakeTelegram(FakeApi):
    """The Bot API for one bot in one channel; `messages` holds what was sent."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.ids = count(101)
        self.messages: list[dict] = []

    def _check(self, request: Request) -> tuple[Reply | None, dict]:
        """An error for a wrong token or an unknown chat, and the parameters."""
        if request.match.group("token") != self.token:
            return error(401, "Unauthorized"), {}
        fields = fields_of(request)
        if "chat_id" in fields and str(fields["chat_id"]) not in (
            CHANNEL,
            str(CHAT["id"]),
        ):
            return error(400, "Bad Request: chat not found"), fields
        return None, fields

    def _sent(self, kind: str, fields: dict, **extra: object) -> Reply:
        """Record a message and answer with it."""
        message = {
            "message_id": next(self.ids),
            "chat": CHAT,
            "date": int(time.time()),
            **extra,
        }
        self.messages.append({"kind": kind, "fields": fields, **message})
        return Reply(200, {"ok": True, "result": {k: v for k, v in message.items()}})

    @route("POST", r"/bot(?P<token>[^/]+)/getMe")
    def get_me(self, request: Request) -> Reply:
        refused, _ = self._check(request)
        return refused or Reply(
            200,
            {
                "ok": True,
                "result": {
                    "id": 123456789,
                    "is_bot": True,
                    "first_name": "Humas",
                    "username": "humas_bali_bot",
                },
            },
        )

    @route("POST", r"/bot(?P<token>[^/]+)/getChat")
    def get_chat(self, request: Request) -> Reply:
        refused, _ = self._check(request)
        return refused or Reply(200, {"ok": True, "result": CHAT})

    @route("POST", r"/bot(?P<token>[^/]+)/sendMessage")
    def send_message(self, request: Request) -> Reply:
        refused, fields = self._check(request)
        if refused:
            return refused
        text = str(fields.get("text") or "")
        if not text.strip():
            return error(400, "Bad Request: message text is empty")
        if fields.get("parse_mode") == "HTML" and text.count("<b>") != text.count(
            "</b>"
        ):
            return error(400, "Bad Request: can't parse entities: unclosed start tag")
        return self._sent("message", fields, text=text)

    @route("POST", r"/bot(?P<token>[^/]+)/sendPhoto")
    def send_photo(self, request: Request) -> Reply:
        refused, fields = self._check(request)
        if refused:
            return refused
        photo = fields.get("photo")
        if photo is None or isinstance(photo, str) and not photo:
            return error(400, "Bad Request: there is no photo in the request")
        caption = str(fields.get("caption") or "")
        if len(caption.encode("utf-16-le")) // 2 > 1024:
            return error(400, "Bad Request: message caption is too long")
        return self._sent(
            "photo",
            fields,
            caption=caption,
            photo=[{"file_id": "AgAC-1", "width": 1200, "height": 800}],
        )

    def not_found(self, request: Request) -> Reply:
        """The Bot API's answer for a method it does not have."""
        return error(404, "Not Found")
