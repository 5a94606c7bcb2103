"""Instagram feed posts: a picture with a caption of up to 2,200 characters.

Instagram needs a picture: a release without one gets a warning and cannot be posted.
The caption holds the headline, the lead, two body paragraphs (`paragraphs`), the
public address and at most 30 hashtags. Links in captions are not clickable; the
address is still written out in full ("Selengkapnya: https://…") so readers can copy
it, rather than a "link in bio" line that someone would have to keep true by hand.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..base import ReleaseSnapshot, Rendition
from ..notice import Notice
from ..text.counters import HASHTAG_RE, utf16_units
from .base import SocialAdapter, SocialSettings, with_warnings


class InstagramSettings(SocialSettings):
    """An Instagram professional account; id and token are for delivery, later."""

    api_base: str | None = "https://graph.facebook.com"
    user_id: str | None = None
    access_token: SecretStr | None = None  # with instagram_content_publish


class InstagramAdapter(SocialAdapter):
    """A caption for the release's lead image."""

    name = "instagram"
    label = "Instagram"
    Settings = InstagramSettings
    limit = 2_200
    counter = staticmethod(utf16_units)
    paragraphs = 2
    labelled_link = True
    max_hashtags = 30

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn that Instagram cannot post a release without a picture."""
        if release.lead_image is not None:
            return rendition
        return with_warnings(rendition, Notice("instagram.needs_picture"))

    def refusals(self, text: str) -> list[Notice]:
        """Instagram refuses a caption with more than 30 hashtags."""
        count = len(HASHTAG_RE.findall(text))
        if count > self.max_hashtags:
            params = {"count": count, "most": self.max_hashtags}
            return [Notice("instagram.too_many_hashtags", params)]
        return []
