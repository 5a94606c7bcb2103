"""The WordPress REST API calls a delivery makes, each safe to repeat.

A delivery is several calls (terms, the featured image, the post). Every call before
the post finds what an earlier attempt made instead of making it again: terms by
name, the image by a slug carrying its content hash, the post by the release's slug.
So a retry, a correction or a manual resend after an unknown outcome never
duplicates anything on the site.

WordPress answers errors as `{"code": "rest_cannot_create", "message": "…",
"data": {"status": 401}}`; `HttpAdapter.result` maps them by status and keeps the
`message` verbatim.
"""

from __future__ import annotations

import hashlib
import html
from typing import TYPE_CHECKING, Any

import requests

from ..base import PermanentError, RetryableError, UnknownOutcomeError
from ..http.base import host, json_object
from ..notice import Notice

if TYPE_CHECKING:
    from ..social.base import LeadImage
    from .adapter import WordPressAdapter

PER_PAGE = 100


class Site:
    """One WordPress site's REST API, spoken with the channel's credentials."""

    def __init__(self, adapter: WordPressAdapter) -> None:
        self.adapter = adapter
        base = adapter.settings.api_base
        self.root = (
            str(base).rstrip("/")
            if base
            else str(adapter.settings.url).rstrip("/") + "/wp-json/wp/v2"
        )

    # --- transport ---

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        """One call; a transport failure raised as HttpAdapter maps it."""
        adapter = self.adapter
        url = f"{self.root}/{path}"
        adapter.guard(url)
        try:
            return requests.request(
                method,
                url,
                headers={"User-Agent": adapter.user_agent, **kw.pop("headers", {})},
                auth=adapter.basic_auth(),
                timeout=adapter.settings.timeout,
                allow_redirects=False,
                **kw,
            )
        except requests.RequestException as exc:
            raise adapter.failure(exc, url) from exc

    def call(self, method: str, path: str, **kw: Any) -> Any:
        """One call's JSON answer; any other status raised as its DeliveryError."""
        response = self.request(method, path, **kw)
        if not 200 <= response.status_code < 300:
            self.adapter.result(response, response.url)  # raises
        try:
            return response.json()
        except ValueError:
            raise PermanentError(
                Notice(
                    "wordpress.not_json",
                    {"host": host(response.url), "status": response.status_code},
                ),
                status=response.status_code,
            ) from None

    def step(self, method: str, path: str, **kw: Any) -> Any:
        """A call before the post: if its answer is lost, nothing was published and
        the next attempt finds what it made, so it is retried, not left unknown."""
        try:
            return self.call(method, path, **kw)
        except UnknownOutcomeError as exc:
            raise unanswered(exc, path) from exc

    # --- what a delivery needs ---

    def user(self) -> dict[str, Any]:
        """The signed-in user with roles and capabilities (context=edit)."""
        return as_object(self.call("GET", "users/me", params={"context": "edit"}))

    def term_id(self, taxonomy: str, name: str) -> int:
        """The id of the category or tag called `name`; created when missing."""
        found = self.step(
            "GET", taxonomy, params={"search": name, "per_page": PER_PAGE}
        )
        for term in as_list(found):
            if html.unescape(str(term.get("name", ""))).casefold() == name.casefold():
                return int(term["id"])
        try:
            response = self.request("POST", taxonomy, json={"name": name})
        except UnknownOutcomeError as exc:
            raise unanswered(exc, taxonomy) from exc
        body = json_object(response)
        # Made meanwhile by someone else (or by an attempt whose answer was lost).
        if body.get("code") == "term_exists":
            return int(
                body.get("data", {}).get("term_id") or body["additional_data"][0]
            )
        if not 200 <= response.status_code < 300:
            self.adapter.result(response, response.url)  # raises
        return int(body["id"])

    def featured_media(self, image: LeadImage, slug: str) -> int:
        """The id of the lead image in the media library; uploaded once per content."""
        digest = hashlib.sha256(image.data).hexdigest()[:12]
        media_slug = f"{slug}-{digest}"
        found = as_list(self.step("GET", "media", params={"slug": media_slug}))
        media_id = int(found[0]["id"]) if found else self._upload(image, media_slug)
        # Described every time: a correction may change the alt text or caption
        # of the same picture, and an earlier attempt may have stopped before.
        self.step(
            "POST",
            f"media/{media_id}",
            json={"alt_text": image.alt, "caption": caption_of(image)},
        )
        return media_id

    def _upload(self, image: LeadImage, media_slug: str) -> int:
        """Upload the picture's bytes under a file name that gives `media_slug`."""
        suffix = image.name.rsplit(".", 1)[-1]
        uploaded = as_object(
            self.step(
                "POST",
                "media",
                data=image.data,
                headers={
                    "Content-Type": image.media_type,
                    "Content-Disposition": (
                        f'attachment; filename="{media_slug}.{suffix}"'
                    ),
                },
            )
        )
        return int(uploaded["id"])

    def post_id(self, slug: str) -> int | None:
        """The id of the post an earlier delivery of this release made, if any."""
        found = self.step(
            "GET",
            "posts",
            params={"slug": slug, "status": "any", "context": "edit"},
        )
        posts = as_list(found)
        return int(posts[0]["id"]) if posts else None


def unanswered(exc: UnknownOutcomeError, step: str) -> RetryableError:
    """A lost answer before the post: nothing is published, and the next attempt
    finds what this one made, so it is tried again."""
    params = {"host": exc.notice.params.get("host", ""), "step": step}
    return RetryableError(Notice("wordpress.step_unanswered", params))


def caption_of(image: LeadImage) -> str:
    """The caption WordPress shows under the picture, with the credit."""
    caption = " ".join(image.caption.split())
    credit = " ".join(image.credit.split())
    if caption and credit:
        return f"{caption} ({credit})"
    return caption or credit


def as_list(found: Any) -> list[dict[str, Any]]:
    """A collection answer's items (objects only)."""
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, dict) and "id" in item]


def as_object(found: Any) -> dict[str, Any]:
    """An object answer, or {} when the site answered something else."""
    return found if isinstance(found, dict) else {}
