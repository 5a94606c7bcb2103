"""Facebook Page posts: up to 63,206 characters, but written to be read.

The post carries the headline, the subtitle, the lead and the first body paragraphs
(`paragraphs`, 3 by default), then "Selengkapnya: <link>" and the hashtags. Length is
counted in UTF-16 code units, as Facebook's own apps measure it (an emoji is 2), so a
post that fits here is never refused for length.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..text.counters import utf16_units
from .base import SocialAdapter, SocialSettings


class FacebookSettings(SocialSettings):
    """A Facebook Page; the page id and token are for delivery, which comes later."""

    api_base: str | None = "https://graph.facebook.com"
    page_id: str | None = None
    page_access_token: SecretStr | None = None


class FacebookAdapter(SocialAdapter):
    """A readable Page post: headline, lead, a few paragraphs, link, hashtags."""

    name = "facebook"
    label = "Facebook"
    Settings = FacebookSettings
    limit = 63_206
    counter = staticmethod(utf16_units)
    paragraphs = 3
    subtitle = True
    labelled_link = True
