"""Facebook Page posts: up to 63,206 characters, but written to be read.

The post carries the headline, the subtitle, the lead and the first body paragraphs
(`paragraphs`, 3 by default), then "Selengkapnya: <link>" and the hashtags. Length is
counted in UTF-16 code units, as Facebook's own apps measure it (an emoji is 2), so a
post that fits here is never refused for length.

Delivery posts to the Page with a Page access token (`pages_manage_posts`): with a
lead image, `POST /<version>/<page_id>/photos` uploads the frozen picture
(multipart `source`) with the post as `message` and its description as
`alt_text_custom`; without one, `POST /<version>/<page_id>/feed` with `message` and
`link`. The post's id is kept, and its address from `permalink_url` (else
https://www.facebook.com/<id>). "Test connection" reads the Page's name.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..base import CheckResult, DeliveryResult, Rendition
from ..text.counters import utf16_units
from .base import lead_image
from .meta import GraphAdapter, GraphSettings

PAGE_URL = "https://www.facebook.com/"


class FacebookSettings(GraphSettings):
    """A Facebook Page: its id and a Page access token."""

    page_id: str | None = None
    page_access_token: SecretStr | None = None  # with pages_manage_posts


class FacebookAdapter(GraphAdapter):
    """A readable Page post: headline, lead, a few paragraphs, link, hashtags."""

    name = "facebook"
    label = "Facebook"
    Settings = FacebookSettings
    limit = 63_206
    counter = staticmethod(utf16_units)
    paragraphs = 3
    subtitle = True
    labelled_link = True
    image_purpose = "web"
    credentials = ("page_id", "page_access_token")
    token_setting = "page_access_token"
    can_deliver = True

    settings: FacebookSettings

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """One Page post: a photo post with the lead image, else a link post."""
        page = str(self.settings.page_id)
        image = lead_image(rendition)
        if image is None:
            body = self.call(
                "POST",
                self.graph(page, "feed"),
                data={"message": rendition.text, **self._link_card(rendition)},
            )
            post_id = str(body.get("id") or "")
        else:
            body = self.call(
                "POST",
                self.graph(page, "photos"),
                data={"message": rendition.text, "alt_text_custom": image.alt},
                files={"source": (image.name, image.data, image.media_type)},
            )
            post_id = str(body.get("post_id") or body.get("id") or "")
        url = self.permalink(post_id, "permalink_url") or PAGE_URL + post_id
        return DeliveryResult(remote_id=post_id, remote_url=url, detail="facebook")

    def check(self) -> CheckResult:
        """Read the Page's name with the token: the token is valid for the Page."""
        return self.check_account(str(self.settings.page_id), "name", "name")

    def _link_card(self, rendition: Rendition) -> dict[str, str]:
        """The release's address as the post's link card (the last URL in it)."""
        words = [
            w for w in rendition.text.split() if w.startswith(("https://", "http://"))
        ]
        return {"link": words[-1]} if words else {}
