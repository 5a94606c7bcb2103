"""WordPress: the release as a post on the office's website, through its REST API.

The site is reached at `<url>/wp-json/wp/v2/` with HTTP Basic authentication: a
user's name and an application password (Users → Profile → Application Passwords).
The post carries the release's title, its body as sanitized HTML, the lead as the
excerpt, the lead image as the featured image (with alt text and caption), our
category mapped to the site's and the release's tags; missing terms are created.

Every revision of a release lands on one post: its slug comes from the release's
public id (`content.slug_for`), and delivery looks the slug up first, so a
correction, a retry or a resend after an unknown outcome updates the post instead
of publishing a second one.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import HttpUrl, SecretStr

from ..base import (
    AdapterSettings,
    CheckResult,
    DeliveryError,
    DeliveryResult,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
    UnknownOutcomeError,
)
from ..http.base import HttpAdapter, HttpSettings, host
from ..notice import Notice
from ..social.base import attach_lead_image, lead_image
from ..text.markdown import to_text
from . import content
from .site import Site

POST = "post.json"
# What a user needs to publish a release with its picture (Author and Editor have
# them; creating a missing category needs Editor's manage_categories).
NEEDED_CAPABILITIES = ("publish_posts", "upload_files")


class WordPressSettings(HttpSettings):
    """A WordPress site, the user that posts and how the post is published."""

    url: HttpUrl  # the site's address, e.g. https://diskominfos.baliprov.go.id
    username: str = ""
    application_password: SecretStr | None = None
    # publish: the post is public at once; future: WordPress holds it and publishes
    # it itself at the channel's planned time (date_gmt).
    status: Literal["publish", "future"] = "publish"
    # Our release category -> the site's category name (unlisted: the same name).
    categories: dict[str, str] = {}
    # Where the REST API's wp/v2 routes are: <url>/wp-json/wp/v2 by default; a site
    # whose permalinks are "Plain" answers at <url>/?rest_route=/wp/v2 instead.
    api_base: HttpUrl | None = None


class WordPressAdapter(HttpAdapter):
    """A post on a WordPress site, created once and updated by corrections."""

    name = "wordpress"
    label = "WordPress"
    Settings = WordPressSettings
    # The slug look-up makes a second delivery update the same post.
    idempotent = True
    # `future` posts carry the planned time, so the payload is made again with it.
    uses_planned_at = True
    credentials = ("username", "application_password")
    image_purpose = "web"

    settings: WordPressSettings

    @classmethod
    def delivery_blocker(cls, settings: AdapterSettings) -> Notice | None:
        """No user or application password: the channel previews but cannot send."""
        missing = [key for key in cls.credentials if not _is_set(settings, key)]
        if missing:
            return Notice("channel.needs_credentials", {"keys": ", ".join(missing)})
        return None

    def secrets(self) -> list[str]:
        """The application password (as WordPress shows it and without its spaces)
        and a password in the URL's user part."""
        password = self.settings.application_password
        value = password.get_secret_value() if password else ""
        in_url = urlsplit(str(self.settings.url)).password or ""
        return [v for v in (value, value.replace(" ", ""), in_url) if v]

    def basic_auth(self) -> tuple[str, str]:
        """HTTP Basic credentials: the user's name and the application password."""
        password = self.settings.application_password
        return self.settings.username, password.get_secret_value() if password else ""

    # --- render ---

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The post as WordPress receives it, frozen in `post.json`, and a preview."""
        tags, too_long = content.tag_names(release.tags)
        post: dict[str, Any] = {
            "slug": content.slug_for(release.public_id),
            "title": " ".join(release.title.split()),
            "content": content.post_html(release),
            "excerpt": " ".join(release.lead.split()),
            "status": self.settings.status,
            "categories": content.category_names(
                release.category, self.settings.categories
            ),
            "tags": tags,
        }
        planned = release.planned_at.get(self.channel)
        if self.settings.status == "future" and planned is not None:
            post["date_gmt"] = content.wordpress_date(planned)
        warnings = [
            Notice(
                "wordpress.tag_too_long",
                {"tag": tag[:40] + "…", "most": content.MAX_TERM_LENGTH},
            )
            for tag in too_long
        ]
        data = json.dumps(post, ensure_ascii=False, sort_keys=True, indent=1).encode()
        preview = "\n\n".join(
            part
            for part in (post["title"], post["excerpt"], to_text(release.body_markdown))
            if part
        )
        rendition = Rendition(
            channel=self.channel,
            adapter=self.name,
            text=preview,
            html=post["content"],
            files=(RenditionFile(POST, "application/json", data),),
            warnings=tuple(warnings),
        )
        if not context.with_files:
            return rendition
        return attach_lead_image(rendition, release, self.image_purpose)

    # --- deliver ---

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Create the post, or update the one an earlier delivery made."""
        frozen = rendition.file(POST)
        if frozen is None:
            raise PermanentError(Notice("delivery.no_payload", {"file": POST}))
        post = json.loads(frozen.data)
        site = Site(self)
        # Signing in first: a wrong password reads "not logged in", not a failed
        # look-up of a status the anonymous visitor may not ask for.
        site.step("GET", "users/me")
        body = {
            key: post[key]
            for key in ("slug", "title", "content", "excerpt", "status", "date_gmt")
            if key in post
        }
        body["categories"] = [site.term_id("categories", n) for n in post["categories"]]
        body["tags"] = [site.term_id("tags", n) for n in post["tags"]]
        image = lead_image(rendition)
        # 0 takes the picture off a post whose correction has none.
        body["featured_media"] = (
            site.featured_media(image, post["slug"]) if image is not None else 0
        )
        earlier = site.post_id(post["slug"])
        path = f"posts/{earlier}" if earlier else "posts"
        try:
            answer = site.call("POST", path, json=body)
        except UnknownOutcomeError as exc:
            raise lost_answer(exc, post["slug"]) from exc
        answer = answer if isinstance(answer, dict) else {}
        action = "updated" if earlier else "created"
        return DeliveryResult(
            remote_id=str(answer.get("id") or earlier or ""),
            remote_url=str(answer.get("link") or ""),
            detail=f"{host(site.root)} {action} post {answer.get('id')}",
        )

    # --- check ---

    def check(self) -> CheckResult:
        """Sign in (`users/me`): who the user is and whether they may publish."""
        where = host(str(self.settings.url))
        blocker = self.delivery_blocker(self.settings)
        if blocker is not None:
            params = {**blocker.params, "channel": self.channel, "label": self.label}
            return CheckResult(ok=False, notice=Notice(blocker.code, params))
        try:
            user = Site(self).user()
        except DeliveryError as exc:
            return CheckResult(ok=False, notice=exc.notice)
        name = str(user.get("name") or user.get("slug") or self.settings.username)
        capabilities = user.get("capabilities") or {}
        missing = [c for c in NEEDED_CAPABILITIES if not capabilities.get(c)]
        roles = ", ".join(str(r) for r in user.get("roles") or [])
        if missing:
            return CheckResult(
                ok=False,
                notice=Notice(
                    "wordpress.cannot_publish",
                    {"host": where, "name": name, "missing": ", ".join(missing)},
                ),
            )
        return CheckResult(
            ok=True,
            notice=Notice(
                "wordpress.signed_in", {"host": where, "name": name, "roles": roles}
            ),
        )


def lost_answer(exc: UnknownOutcomeError, slug: str) -> UnknownOutcomeError:
    """The post's answer was lost; the notice says too that a resend is safe (the
    post is found by its slug and updated)."""
    params = {**exc.notice.params, "slug": slug}
    if exc.notice.code == "delivery.timeout_after_send":
        return UnknownOutcomeError(Notice("wordpress.timeout_after_send", params))
    return UnknownOutcomeError(Notice("wordpress.broken_after_send", params))


def _is_set(settings: AdapterSettings, key: str) -> bool:
    """True if the setting `key` has a value (a secret: a non-empty one)."""
    value = getattr(settings, key, None)
    if isinstance(value, SecretStr):
        return bool(value.get_secret_value())
    return bool(value)
