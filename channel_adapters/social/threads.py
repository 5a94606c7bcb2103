"""Threads (Meta): 500 characters, one hashtag (the post's topic), at most 5 links.

Threads counts characters, except that an emoji counts as many as its UTF-8 bytes
(👍 is 4). Only one hashtag becomes the post's topic, so the release's own first tag
is used, else the organization's.

Delivery (`threads_content_publish`): `POST /v1.0/<user_id>/threads` makes a
container, `media_type` TEXT with the post as `text`, or IMAGE with the lead
image's public `image_url` and `alt_text`; `GET /<container>?fields=status,
error_message` is asked until it is FINISHED; `POST /<user_id>/threads_publish`
with `creation_id` publishes it and `GET /<media>?fields=permalink` gives its
address. Threads fetches the picture itself, so a release with a picture needs
`organization.public_url` to be reachable from the internet.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from ..base import CheckResult, DeliveryResult, ReleaseSnapshot, Rendition
from ..notice import Notice
from ..text.counters import HASHTAG_RE, URL_RE, emoji_as_bytes
from .base import lead_image, with_warnings
from .meta import ContainerSettings, GraphAdapter

MAX_LINKS = 5
PROFILE_URL = "https://www.threads.net/"


class ThreadsSettings(ContainerSettings):
    """A Threads profile: its Threads user id and an access token."""

    api_base: str | None = "https://graph.threads.net"
    api_version: str = Field(default="v1.0", pattern=r"^v\d+\.\d+$")
    user_id: str | None = None
    access_token: SecretStr | None = None  # with threads_content_publish


class ThreadsAdapter(GraphAdapter):
    """A text post on Threads with one topic hashtag."""

    name = "threads"
    label = "Threads"
    Settings = ThreadsSettings
    limit = 500
    counter = staticmethod(emoji_as_bytes)
    max_hashtags = 1
    release_tags_first = True
    image_purpose = "web"
    credentials = ("user_id", "access_token")
    can_deliver = True

    settings: ThreadsSettings

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """Warn when more than one hashtag is written: only the first is a topic."""
        tags = HASHTAG_RE.findall(rendition.text)
        if len(tags) <= 1:
            return rendition
        return with_warnings(
            rendition, Notice("threads.topic_first_hashtag", {"tag": f"#{tags[0]}"})
        )

    def refusals(self, text: str) -> list[Notice]:
        """Threads refuses a post with more than five links."""
        links = {m.group() for m in URL_RE.finditer(text)}
        if len(links) > MAX_LINKS:
            params = {"count": len(links), "most": MAX_LINKS}
            return [Notice("threads.too_many_links", params)]
        return []

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Container (text, or picture with text), wait, publish, read permalink."""
        user = str(self.settings.user_id)
        fields = {"media_type": "TEXT", "text": rendition.text}
        image = lead_image(rendition)
        if image is not None:
            fields.update(
                media_type="IMAGE",
                image_url=self.public_image_url(image),
                alt_text=image.alt,
            )
        container = self.call(
            "POST", self.graph(user, "threads"), data=fields, prepares=True
        )
        container_id = str(container.get("id") or "")
        self.wait_until_ready(container_id, "status", "error_message")
        media = self.call(
            "POST",
            self.graph(user, "threads_publish"),
            data={"creation_id": container_id},
        )
        media_id = str(media.get("id") or "")
        url = self.permalink(media_id, "permalink") or PROFILE_URL
        return DeliveryResult(remote_id=media_id, remote_url=url, detail="threads")

    def check(self) -> CheckResult:
        """Read the profile's username with the token."""
        return self.check_account(str(self.settings.user_id), "username", "username")
