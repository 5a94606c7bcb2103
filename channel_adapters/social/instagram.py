"""Instagram feed posts: a picture with a caption of up to 2,200 characters.

Instagram needs a picture: a release without one gets a warning and cannot be posted.
The caption holds the headline, the lead, two body paragraphs (`paragraphs`), the
public address and at most 30 hashtags. Links in captions are not clickable; the
address is still written out in full ("Selengkapnya: https://…") so readers can copy
it, rather than a "link in bio" line that someone would have to keep true by hand.

Delivery (Instagram API with Facebook Login, `instagram_content_publish`):
`POST /<version>/<user_id>/media` with `image_url`, `caption` and `alt_text` makes a
container; `GET /<container>?fields=status_code,status` is asked until it is
FINISHED (ERROR: refused with Instagram's words; still IN_PROGRESS after
`processing_wait`: tried again later, nothing was published); then
`POST /<user_id>/media_publish` with `creation_id` publishes it, and
`GET /<media>?fields=permalink` gives its address. Instagram fetches the picture
itself from the release's public page, so `organization.public_url` must be an
address the internet reaches; a release without a picture, or with one at a
loopback or private address, is refused before anything is sent.
"""

from __future__ import annotations

from pydantic import SecretStr

from ..base import (
    CheckResult,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    Rendition,
)
from ..notice import Notice
from ..text.counters import HASHTAG_RE, utf16_units
from .base import lead_image, with_warnings
from .meta import ContainerSettings, GraphAdapter

PROFILE_URL = "https://www.instagram.com/"


class InstagramSettings(ContainerSettings):
    """An Instagram professional account: its IG user id and an access token."""

    user_id: str | None = None
    access_token: SecretStr | None = None  # with instagram_content_publish


class InstagramAdapter(GraphAdapter):
    """A caption for the release's lead image."""

    name = "instagram"
    label = "Instagram"
    Settings = InstagramSettings
    limit = 2_200
    counter = staticmethod(utf16_units)
    paragraphs = 2
    labelled_link = True
    max_hashtags = 30
    image_purpose = "instagram"
    credentials = ("user_id", "access_token")
    can_deliver = True

    settings: InstagramSettings

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

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Container, wait until processed, publish, then read the permalink."""
        image = lead_image(rendition)
        if image is None:
            raise PermanentError(Notice("instagram.needs_picture"))
        user = str(self.settings.user_id)
        container = self.call(
            "POST",
            self.graph(user, "media"),
            data={
                "image_url": self.public_image_url(image),
                "caption": rendition.text,
                "alt_text": image.alt,
            },
            prepares=True,
        )
        container_id = str(container.get("id") or "")
        self.wait_until_ready(container_id, "status_code", "status")
        media = self.call(
            "POST",
            self.graph(user, "media_publish"),
            data={"creation_id": container_id},
        )
        media_id = str(media.get("id") or "")
        url = self.permalink(media_id, "permalink") or PROFILE_URL
        return DeliveryResult(remote_id=media_id, remote_url=url, detail="instagram")

    def check(self) -> CheckResult:
        """Read the account's username with the token."""
        return self.check_account(str(self.settings.user_id), "username", "username")
