"""WhatsApp channel or broadcast text: 4,096 characters with WhatsApp's own markup.

The headline is *bold* and the subtitle _italic_ (asterisks and underscores inside
them are dropped so the markup holds); then the lead, one body paragraph
(`paragraphs`), the link and the hashtags. Counted in UTF-16 code units.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..text.counters import utf16_units
from .base import SocialAdapter, SocialSettings
from .markup import WHATSAPP


class WhatsAppSettings(SocialSettings):
    """A WhatsApp Business number; its id and token are for delivery, later."""

    api_base: str | None = "https://graph.facebook.com"
    phone_number_id: str | None = None
    access_token: SecretStr | None = None


class WhatsAppAdapter(SocialAdapter):
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
