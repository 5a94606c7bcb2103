"""LinkedIn organization page posts: 3,000 characters.

Headline, lead and two body paragraphs (`paragraphs`), the link and the hashtags,
counted in UTF-16 code units (an emoji is 2). The API's "little text" format needs
`()[]{}<>@#*_~|\\` escaped with a backslash; delivery will do that, the preview shows
the text as readers see it.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..text.counters import utf16_units
from .base import SocialAdapter, SocialSettings


class LinkedInSettings(SocialSettings):
    """A LinkedIn organization page; author and token are for delivery, later."""

    api_base: str | None = "https://api.linkedin.com"
    author: str | None = None  # e.g. urn:li:organization:12345
    access_token: SecretStr | None = None  # with w_organization_social


class LinkedInAdapter(SocialAdapter):
    """A page post: headline, lead, two paragraphs, link, hashtags."""

    name = "linkedin"
    label = "LinkedIn"
    Settings = LinkedInSettings
    limit = 3_000
    counter = staticmethod(utf16_units)
    paragraphs = 2
    labelled_link = True
