"""LinkedIn organization page posts: 3,000 characters.

Headline, lead and two body paragraphs (`paragraphs`), the link and the hashtags,
counted in UTF-16 code units (an emoji is 2). The API's "little text" format needs
`()[]{}<>@#*_~|\\` escaped with a backslash; delivery does that (and writes each
hashtag as LinkedIn's hashtag template), the preview shows the text as readers see
it.

Delivery uses the versioned Posts API (`w_organization_social`) with the headers
`LinkedIn-Version: <version>` and `X-Restli-Protocol-Version: 2.0.0`. With a lead
image, `POST /rest/images?action=initializeUpload` names the organization as owner
and answers an upload URL and an image URN; the frozen bytes are PUT there; then
`POST /rest/posts` (author, commentary, PUBLIC, the main feed, PUBLISHED) carries
the image URN and its alt text in `content.media`. The post's URN comes back in
the `x-restli-id` header; its address is https://www.linkedin.com/feed/update/<urn>.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from ..base import CheckResult, DeliveryError, DeliveryResult, Rendition
from ..http.base import json_object
from ..notice import Notice
from ..text.counters import HASHTAG_RE, utf16_units
from .base import LeadImage, SocialSettings, lead_image
from .steps import StepAdapter

FEED_URL = "https://www.linkedin.com/feed/update/"
RESERVED = set("\\|{}@[]()<>#*_~")


class LinkedInSettings(SocialSettings):
    """A LinkedIn organization page: its URN, a token and the API version."""

    api_base: str | None = "https://api.linkedin.com"
    author: str | None = Field(
        default=None, pattern=r"^urn:li:organization:\d+$"
    )  # e.g. urn:li:organization:12345
    access_token: SecretStr | None = None  # with w_organization_social
    # The LinkedIn-Version (YYYYMM) the requests are written against; LinkedIn
    # keeps a version for at least a year, so raise it once a year.
    version: str = Field(default="202511", pattern=r"^\d{6}$")


class LinkedInAdapter(StepAdapter):
    """A page post: headline, lead, two paragraphs, link, hashtags."""

    name = "linkedin"
    label = "LinkedIn"
    Settings = LinkedInSettings
    limit = 3_000
    counter = staticmethod(utf16_units)
    paragraphs = 2
    labelled_link = True
    image_purpose = "og"
    credentials = ("author", "access_token")
    can_deliver = True

    settings: LinkedInSettings

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Upload the lead image if there is one, then create the post."""
        post = {
            "author": self.settings.author,
            "commentary": little_text(rendition.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        image = lead_image(rendition)
        if image is not None:
            post["content"] = {
                "media": {"id": self._upload(image), "altText": image.alt[:4086]}
            }
        response = self.exchange("POST", self._rest("posts"), json=post)
        urn = response.headers.get("x-restli-id", "") or str(
            json_object(response).get("id") or ""
        )
        return DeliveryResult(
            remote_id=urn, remote_url=FEED_URL + urn if urn else "", detail="linkedin"
        )

    def check(self) -> CheckResult:
        """Read the organization's name with the token."""
        organization = str(self.settings.author).rsplit(":", 1)[-1]
        try:
            body = self.call("GET", self._rest(f"organizations/{organization}"))
        except DeliveryError as exc:
            return CheckResult(ok=False, notice=exc.notice)
        account = str(body.get("localizedName") or self.settings.author)
        return CheckResult(
            ok=True,
            notice=Notice(
                "check.signed_in", {"network": self.label, "account": account}
            ),
        )

    def auth_headers(self) -> dict[str, str]:
        """The token and the versioned API's headers."""
        token = self.settings.access_token
        return {
            "Authorization": f"Bearer {token.get_secret_value() if token else ''}",
            "LinkedIn-Version": self.settings.version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def _rest(self, path: str) -> str:
        """The URL of a versioned REST resource."""
        return f"{(self.settings.api_base or '').rstrip('/')}/rest/{path}"

    def _upload(self, image: LeadImage) -> str:
        """Register the image, PUT its bytes; its URN (urn:li:image:…)."""
        answer = self.call(
            "POST",
            self._rest("images"),
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.settings.author}},
            prepares=True,
        )
        value = answer.get("value") or {}
        self.exchange(
            "PUT",
            str(value.get("uploadUrl") or ""),
            data=image.data,
            headers={"Content-Type": "application/octet-stream"},
            prepares=True,
        )
        return str(value.get("image") or "")


def little_text(text: str) -> str:
    """`text` in LinkedIn's "little text": reserved characters escaped, each
    hashtag as the template {hashtag|\\#|word}."""
    out: list[str] = []
    last = 0
    for match in HASHTAG_RE.finditer(text):
        out.append(_escape(text[last : match.start()]))
        word = match.group()
        out.append("{hashtag|\\#|" + _escape(word.lstrip("#")) + "}")
        last = match.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    """Every reserved character with a backslash before it."""
    return "".join(f"\\{c}" if c in RESERVED else c for c in text)
