"""WhatsApp channel or broadcast text: 4,096 characters with WhatsApp's own markup.

The headline is *bold* and the subtitle _italic_ (asterisks and underscores inside
them are dropped so the markup holds); then the lead, one body paragraph
(`paragraphs`), the link and the hashtags. Counted in UTF-16 code units.

Delivery goes through the WhatsApp Cloud API to each number in `recipients`:
`POST /<version>/<phone_number_id>/messages`, a `text` message (with a link
preview), or with a lead image an `image` message whose caption is the post (the
picture is uploaded once with `POST /<phone_number_id>/media`; a post longer than
a caption's 1,024 characters goes as the picture, then the text). WhatsApp lets a
business write freely only to someone who wrote to it in the last 24 hours; for
everyone else set `template` to a template approved in WhatsApp Manager: the post
then goes as that template, its text (on one line) as the body's {{1}}.

Several recipients, sent one by one: which of them already got the post is written
to `<data_dir>/whatsapp/<channel>/<idempotency key>.json` after each message, so a
retry of the same delivery (after a 429, a 5xx, a dropped connection) messages only
those still waiting, and nobody gets it twice. A message whose answer was lost is
not marked: the delivery becomes "unknown" and a person decides.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ..base import (
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    Rendition,
    RetryableError,
    UnknownOutcomeError,
)
from ..notice import Notice
from ..text.counters import utf16_units
from .base import LeadImage, lead_image
from .markup import WHATSAPP
from .meta import GraphAdapter, GraphSettings

CAPTION_LIMIT = 1_024  # an image message's caption
TEMPLATE_PARAMETER_LIMIT = 1_024  # a template body parameter, on one line
PhoneNumber = Annotated[str, Field(pattern=r"^\+?[1-9]\d{6,14}$")]


class WhatsAppTemplate(BaseModel):
    """A message template approved in WhatsApp Manager, with its body's {{1}}."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    language: str = "id"  # the template's language code as approved (id, en_US …)
    header_image: bool = False  # the template has an IMAGE header: the lead image


class WhatsAppSettings(GraphSettings):
    """A WhatsApp Business number, its token and who receives the releases."""

    phone_number_id: str | None = None
    access_token: SecretStr | None = None  # whatsapp_business_messaging
    recipients: list[PhoneNumber] = []  # international format: 6281234567890
    template: WhatsAppTemplate | None = None  # for recipients outside the 24 h


@dataclass(frozen=True)
class Message:
    """One message of the post to one recipient: its part name and request body."""

    part: str
    body: dict


class WhatsAppAdapter(GraphAdapter):
    """A message for a WhatsApp channel or broadcast list."""

    name = "whatsapp"
    label = "WhatsApp"
    Settings = WhatsAppSettings
    limit = 4_096
    counter = staticmethod(utf16_units)
    markup = WHATSAPP
    paragraphs = 1
    subtitle = True
    labelled_link = True
    image_purpose = "web"
    credentials = ("phone_number_id", "access_token", "recipients")
    can_deliver = True

    settings: WhatsAppSettings

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Send the post to every recipient still waiting for it, one by one."""
        progress = Progress(self._progress_file(idempotency_key))
        image = lead_image(rendition)
        media_id = ""
        waiting = [r for r in self.settings.recipients if not progress.done(r)]
        if image is not None and waiting:
            media_id = progress.media_id or self._upload(image)
            progress.keep_media(media_id)
        for recipient in waiting:
            for message in self._messages(rendition.text, image, media_id):
                if progress.sent(recipient, message.part):
                    continue
                try:
                    answer = self.call(
                        "POST",
                        self.graph(str(self.settings.phone_number_id), "messages"),
                        json={"to": recipient, **message.body},
                    )
                except DeliveryError as exc:
                    raise self._partly(exc, progress, recipient) from exc
                ids = answer.get("messages") or [{}]
                progress.mark(recipient, message.part, str(ids[0].get("id") or ""))
            progress.finish(recipient)
        sent = progress.recipients()
        return DeliveryResult(
            remote_id=progress.first_id(),
            remote_url="",
            detail=f"whatsapp: sent to {', '.join(sent)}",
        )

    def check(self) -> CheckResult:
        """Read the business number's display name with the token."""
        return self.check_account(
            str(self.settings.phone_number_id),
            "display_phone_number,verified_name",
            "verified_name",
            "display_phone_number",
        )

    # --- the messages ---

    def _messages(
        self, text: str, image: LeadImage | None, media_id: str
    ) -> list[Message]:
        """What one recipient gets: a template, a picture with text, or text."""
        base = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        template = self.settings.template
        if template is not None:
            line = " ".join(text.split())[:TEMPLATE_PARAMETER_LIMIT]
            components = [
                {"type": "body", "parameters": [{"type": "text", "text": line}]}
            ]
            if template.header_image and media_id:
                header = {"type": "image", "image": {"id": media_id}}
                components.insert(0, {"type": "header", "parameters": [header]})
            body = {
                "name": template.name,
                "language": {"code": template.language},
                "components": components,
            }
            return [Message("template", {**base, "type": "template", "template": body})]
        textual = Message(
            "text",
            {**base, "type": "text", "text": {"preview_url": True, "body": text}},
        )
        if image is None:
            return [textual]
        if utf16_units(text) <= CAPTION_LIMIT:
            picture = {"id": media_id, "caption": text}
            return [Message("image", {**base, "type": "image", "image": picture})]
        picture = {"id": media_id}
        return [Message("image", {**base, "type": "image", "image": picture}), textual]

    def _upload(self, image: LeadImage) -> str:
        """Upload the frozen picture once; its WhatsApp media id."""
        answer = self.call(
            "POST",
            self.graph(str(self.settings.phone_number_id), "media"),
            data={"messaging_product": "whatsapp", "type": image.media_type},
            files={"file": (image.name, image.data, image.media_type)},
            prepares=True,
        )
        return str(answer.get("id") or "")

    # --- progress across retries ---

    def _progress_file(self, idempotency_key: str) -> Path:
        """Where this delivery's progress is kept."""
        safe = "".join(c for c in idempotency_key if c.isalnum() or c in "-_")
        return self.data_dir / "whatsapp" / self.channel / f"{safe or 'delivery'}.json"

    def _partly(
        self, error: DeliveryError, progress: Progress, recipient: str
    ) -> DeliveryError:
        """`error`, said of the recipients still waiting when others already got it."""
        sent = progress.recipients()
        if not sent:
            return error
        pending = [r for r in self.settings.recipients if not progress.done(r)]
        params = {
            "sent": ", ".join(sent),
            "pending": ", ".join(pending),
            "recipient": recipient,
            "remote": str(
                error.notice.params.get("remote")
                or error.notice.params.get("reason")
                or error.notice.params.get("host")
                or ""
            ),
        }
        if isinstance(error, RetryableError):
            return RetryableError(
                Notice("whatsapp.partly_sent_retrying", params),
                status=error.status,
                retry_after=error.retry_after,
            )
        if isinstance(error, UnknownOutcomeError):
            return UnknownOutcomeError(
                Notice("whatsapp.partly_sent_unknown", params), status=error.status
            )
        return PermanentError(
            Notice("whatsapp.partly_sent_refused", params), status=error.status
        )


class Progress:
    """Which recipients got which part of one delivery, kept in a small JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.state = {}
        self.state.setdefault("parts", {})
        self.state.setdefault("done", [])

    @property
    def media_id(self) -> str:
        """The uploaded picture's id from an earlier attempt ('' if none)."""
        return str(self.state.get("media_id") or "")

    def keep_media(self, media_id: str) -> None:
        """Remember the uploaded picture, so a retry does not upload it again."""
        self.state["media_id"] = media_id
        self._write()

    def sent(self, recipient: str, part: str) -> bool:
        """True if `recipient` already got `part`."""
        return f"{recipient} {part}" in self.state["parts"]

    def mark(self, recipient: str, part: str, message_id: str) -> None:
        """`recipient` got `part` (WhatsApp's message id)."""
        self.state["parts"][f"{recipient} {part}"] = message_id
        self._write()

    def finish(self, recipient: str) -> None:
        """`recipient` got the whole post."""
        if recipient not in self.state["done"]:
            self.state["done"].append(recipient)
            self._write()

    def done(self, recipient: str) -> bool:
        """True if `recipient` got the whole post."""
        return recipient in self.state["done"]

    def recipients(self) -> list[str]:
        """Who got the whole post, in order."""
        return list(self.state["done"])

    def first_id(self) -> str:
        """The first message id, as the delivery's remote id."""
        return next(iter(self.state["parts"].values()), "")

    def _write(self) -> None:
        """Write the state atomically: a crash leaves the old or the new file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state), encoding="utf-8")
        os.replace(temporary, self.path)
