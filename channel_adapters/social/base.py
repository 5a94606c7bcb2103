"""What social and messaging networks share: a post built from a network's facts.

A network's module states its facts as class attributes of a `SocialAdapter` subclass
(limit, counter, unit, markup, hashtags, threads). This module builds the post from
them: headline, lead (and for long-form networks a few body paragraphs), a link to the
release's public page and hashtags, shortened until it fits as that network counts
(`fitting.py`).

Delivery goes over HTTP (`HttpAdapter`): a network's module sets `can_deliver`, names
the settings its API needs in `credentials` (a channel without them renders for the
preview but cannot be scheduled: `channel.needs_credentials`) and writes `deliver`
and `check` with `self.send`. The lead image travels frozen inside the rendition
(`lead-image.<ext>` + `lead-image.json`, see `attach_lead_image`) so what is sent is
exactly what was approved; `lead_image(rendition)` reads it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import regex
from pydantic import Field, SecretStr

from ..base import (
    AdapterSettings,
    CheckResult,
    DeliveryResult,
    Organization,
    PermanentError,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
    RenditionFile,
)
from ..http.base import HttpAdapter, HttpSettings
from ..notice import Notice
from ..text.counters import code_points, is_linked, links_as
from ..text.language import language_of
from ..text.markdown import body_blocks
from .fitting import single_post, thread_posts
from .hashtags import MAX_TAG_LENGTH, hashtags
from .markup import PLAIN, Markup
from .story import Story

THREAD_BREAK = "\n\n---\n\n"  # between the posts of a thread in Rendition.text
_BREAK_LINE = regex.compile(r"^[ \t]*-{3,}[ \t]*$", regex.M)  # what `parts` splits at
LINK_LABEL = {"id": "Selengkapnya", "en": "Read more"}


def unlinked(label: str, release: ReleaseSnapshot, text: str) -> list[Notice]:
    """A notice if `text` has the public address but twitter-text sees no link."""
    link = release.public_url.strip()
    if not link or link not in text or is_linked(link):
        return []
    return [Notice("social.not_a_link", {"network": label, "link": link})]


def with_warnings(rendition: Rendition, *warnings: Notice) -> Rendition:
    """`rendition` with more warnings for the drafter."""
    return replace(rendition, warnings=(*rendition.warnings, *warnings))


class SocialSettings(HttpSettings):
    """Settings every social channel has: HTTP timeouts, where to send, how long."""

    api_base: str | None = None  # where delivery sends; a default per network
    paragraphs: int | None = Field(default=None, ge=0)  # body paragraphs after the lead


class ThreadSettings(SocialSettings):
    """Settings of a network that can post a long release as a numbered thread."""

    thread: bool = False


@dataclass(frozen=True)
class Draft:
    """The pieces of one post before markup."""

    title: str
    subtitle: str
    story: str
    link: str
    tags: tuple[str, ...]
    language: str


IMAGE_META = "lead-image.json"
_IMAGE_SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@dataclass(frozen=True)
class LeadImage:
    """The lead image frozen in a rendition: its bytes and what readers are told."""

    name: str
    media_type: str
    data: bytes
    alt: str
    caption: str = ""
    credit: str = ""
    url: str = ""  # its public address (only while the release is public)
    width: int = 0
    height: int = 0


def attach_lead_image(
    rendition: Rendition, release: ReleaseSnapshot, purpose: str
) -> Rendition:
    """`rendition` with the lead image's `purpose` variant and its description."""
    image = release.lead_image
    path = image.variant(purpose) if image else None
    if image is None or path is None or not Path(path).is_file():
        return rendition
    suffix = _IMAGE_SUFFIX.get(image.media_type, Path(path).suffix or ".jpg")
    name = f"lead-image{suffix}"
    meta = {
        "name": name,
        "media_type": image.media_type,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "url": image.url,
        "width": image.width,
        "height": image.height,
    }
    files = (
        *rendition.files,
        RenditionFile(name, image.media_type, Path(path).read_bytes()),
        RenditionFile(
            IMAGE_META,
            "application/json",
            json.dumps(meta, ensure_ascii=False, sort_keys=True).encode(),
        ),
    )
    return replace(rendition, files=files)


def lead_image(rendition: Rendition) -> LeadImage | None:
    """The lead image frozen in `rendition`, if it has one."""
    meta_file = rendition.file(IMAGE_META)
    if meta_file is None:
        return None
    meta = json.loads(meta_file.data)
    data = rendition.file(meta["name"])
    if data is None:
        return None
    return LeadImage(
        name=meta["name"],
        media_type=meta.get("media_type", data.media_type),
        data=data.data,
        alt=meta.get("alt", ""),
        caption=meta.get("caption", ""),
        credit=meta.get("credit", ""),
        url=meta.get("url", ""),
        width=int(meta.get("width") or 0),
        height=int(meta.get("height") or 0),
    )


class SocialAdapter(HttpAdapter):
    """A post that fits the network's real rules, written from the release."""

    limit: ClassVar[int]
    counter: ClassVar[Callable[[str], int]] = staticmethod(code_points)
    # What `counter` counts, as a code the catalog names in the reader's language:
    # characters, weighted_characters, graphemes.
    unit: ClassVar[str] = "characters"
    link_weight: ClassVar[int | None] = None  # every URL counts this much if set
    markup: ClassVar[Markup] = PLAIN
    paragraphs: ClassVar[int] = 0  # body paragraphs after the lead
    subtitle: ClassVar[bool] = False  # show the subtitle under the headline
    labelled_link: ClassVar[bool] = False  # "Selengkapnya: <url>", not the bare URL
    max_hashtags: ClassVar[int | None] = None
    release_tags_first: ClassVar[bool] = False
    supports_threads: ClassVar[bool] = False
    max_thread_posts: ClassVar[int] = 5
    # The media library's variant of the lead image this network gets (see Image).
    image_purpose: ClassVar[str] = "web"
    # Settings the network's API needs before anything can be sent.
    credentials: ClassVar[tuple[str, ...]] = ()
    Settings = SocialSettings
    can_deliver = False
    overridable = True
    idempotent = False

    settings: SocialSettings

    def __init__(self, channel: str, settings: AdapterSettings, data_dir: Path) -> None:
        """A channel; its limit is the network's, or the instance's (Mastodon)."""
        super().__init__(channel, settings, data_dir)
        self.limit = self.channel_limit()

    @classmethod
    def delivery_blocker(cls, settings: AdapterSettings) -> Notice | None:
        """Render-only network, or credentials not set (`channel.needs_credentials`)."""
        if not cls.can_deliver:
            return Notice("channel.cannot_send")
        missing = [key for key in cls.credentials if not _is_set(settings, key)]
        if missing:
            return Notice("channel.needs_credentials", {"keys": ", ".join(missing)})
        return None

    def secrets(self) -> list[str]:
        """Every secret setting's value: masked in errors, notices and logs."""
        found = []
        for key in type(self.settings).model_fields:
            value = getattr(self.settings, key)
            if isinstance(value, SecretStr):
                found.append(value.get_secret_value())
        return [value for value in found if value]

    def channel_limit(self) -> int:
        """This channel's post limit: the network's unless its settings say more."""
        return type(self).limit

    # --- counting ---

    def count(self, text: str) -> int:
        """The length of one post as this network counts it."""
        text = self.markup.visible(text)
        if self.link_weight is not None:
            text = links_as(text, self.link_weight)
        return self.counter(text)

    def excess(self, post: str) -> Notice | None:
        """Why one post is too long for the network, or None if it fits."""
        length = self.count(post)
        if length > self.limit:
            return self.too_long(length, self.limit, self.unit)
        return None

    def too_long(self, length: int, limit: int, unit: str) -> Notice:
        """The notice for a post of `length` over `limit`."""
        return Notice(
            "social.too_long",
            {"network": self.label, "length": length, "limit": limit, "unit": unit},
        )

    def fits(self, post: str) -> bool:
        """True if one post is within the network's limits."""
        return self.excess(post) is None

    @property
    def makes_threads(self) -> bool:
        """True if this channel posts a long release as a numbered thread."""
        return (
            self.supports_threads
            and isinstance(self.settings, ThreadSettings)
            and self.settings.thread
        )

    def parts(self, text: str) -> list[str]:
        """The posts in a rendition's text (one unless this channel makes threads)."""
        if not self.makes_threads:
            return [text]
        posts = _BREAK_LINE.split(text)
        return [p.strip() for p in posts if p.strip()] or [text]

    def fit_override(self, text: str) -> list[Notice]:
        """Why a hand-written text cannot be posted as it is (empty list: it can)."""
        if not text.strip():
            return [Notice("override.empty")]
        return self._excesses(self.parts(text)) + self.refusals(text)

    def _excesses(self, posts: list[str]) -> list[Notice]:
        """A notice for every post that is too long, numbered within a thread."""
        found = []
        for number, post in enumerate(posts, 1):
            excess = self.excess(post)
            if excess and len(posts) > 1:
                params = {**excess.params, "post": number, "posts": len(posts)}
                excess = Notice("social.thread_post_too_long", params)
            if excess:
                found.append(excess)
        return found

    def refusals(self, text: str) -> list[Notice]:
        """Network rules besides length that a hand-written text breaks."""
        return []

    # --- writing ---

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """The post (or thread): headline, lead, link and hashtags, fitted."""
        tags, warnings = self._hashtags(release, context.organization)
        paragraphs = self.settings.paragraphs
        blocks = body_blocks(release.body_markdown)
        count = self.paragraphs if paragraphs is None else paragraphs
        lead = " ".join(release.lead.split())
        story = Story(((lead,) if lead else ()) + blocks[:count])
        draft = Draft(
            title=" ".join(release.title.split()),
            subtitle=" ".join(release.subtitle.split()) if self.subtitle else "",
            story="",
            link=release.public_url.strip(),
            tags=tags,
            language=release.language,
        )
        if not draft.link:
            warnings.append(Notice("social.no_link"))
        posts = (
            thread_posts(self, draft, story, warnings) if self.makes_threads else None
        )
        if posts is None:
            posts = [single_post(self, draft, story, warnings)]
        rendition = self._finish(posts, release, warnings)
        return self._with_image(rendition, release, context)

    def apply_override(
        self,
        rendition: Rendition,
        text: str,
        release: ReleaseSnapshot,
        context: RenderContext,
    ) -> Rendition:
        """The drafter's text, measured and checked like a generated one."""
        posts = self.parts(text)
        warnings = []
        link = release.public_url.strip()
        if link and not any(link in self.markup.visible(p) or link in p for p in posts):
            warnings.append(Notice("social.override_no_link"))
        rendition = self._finish(posts, release, warnings)
        return self._with_image(rendition, release, context)

    def _with_image(
        self, rendition: Rendition, release: ReleaseSnapshot, context: RenderContext
    ) -> Rendition:
        """The lead image frozen into a rendition that is going to be sent."""
        if not context.with_files:
            return rendition
        return attach_lead_image(rendition, release, self.image_purpose)

    def finish(
        self, rendition: Rendition, posts: list[str], release: ReleaseSnapshot
    ) -> Rendition:
        """A network's last touches: payload files, its own warnings, another limit."""
        return rendition

    def _finish(
        self, posts: list[str], release: ReleaseSnapshot, warnings: list[Notice]
    ) -> Rendition:
        """The rendition of finished posts, with their longest length and warnings."""
        if len(posts) > 1:
            warnings.append(Notice("social.thread", {"posts": len(posts)}))
        warnings.extend(self._excesses(posts))
        rendition = Rendition(
            channel=self.channel,
            adapter=self.name,
            text=THREAD_BREAK.join(posts),
            warnings=tuple(warnings),
            length=max(self.count(p) for p in posts),
            limit=self.limit,
        )
        return self.finish(rendition, posts, release)

    def _hashtags(
        self, release: ReleaseSnapshot, organization: Organization
    ) -> tuple[tuple[str, ...], list[Notice]]:
        """The organization's and the release's hashtags, and warnings about them."""
        raw = [*organization.hashtags, *release.tags]
        if self.release_tags_first:
            raw = [*release.tags, *organization.hashtags]
        tags, unusable = hashtags(tuple(raw))
        warnings = [
            Notice("social.hashtag_unusable", {"tag": tag, "most": MAX_TAG_LENGTH})
            for tag in unusable
        ]
        most = self.max_hashtags
        if most == 1 and len(tags) > 1:
            warnings.append(
                Notice("social.one_hashtag", {"network": self.label, "tag": tags[0]})
            )
        elif most is not None and len(tags) > most:
            left_out = " ".join(tags[most:])
            warnings.append(
                Notice(
                    "social.too_many_hashtags",
                    {"network": self.label, "most": most, "tags": left_out},
                )
            )
        tags = tags[:most] if most is not None else tags
        return tags, warnings

    def compose(self, draft: Draft) -> str:
        """One post's text: headline, subtitle, story, link and hashtags in blocks."""
        blocks = []
        if draft.title:
            blocks.append(self.markup.emphasis(draft.title, "bold"))
        if draft.subtitle:
            blocks.append(self.markup.emphasis(draft.subtitle, "italic"))
        if draft.story:
            blocks.append(self.markup.escape(draft.story))
        if draft.link:
            blocks.append(self._link(draft.link, draft.language))
        if draft.tags:
            blocks.append(" ".join(draft.tags))
        text = "\n\n".join(blocks)
        # A line of dashes in the release must not read as a break between posts.
        return _BREAK_LINE.sub("—", text) if self.makes_threads else text

    def _link(self, url: str, language: str) -> str:
        """The link line: the URL, labelled on networks with room for a label."""
        shown = self.markup.link(url)
        if not self.labelled_link:
            return shown
        return f"{LINK_LABEL[language_of(language)]}: {shown}"

    # --- delivery (each network's module) ---

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """A network without delivery: the drafter posts the previewed text by hand."""
        raise PermanentError(Notice("social.cannot_send", {"network": self.label}))

    def check(self) -> CheckResult:
        """A network without delivery has nothing to connect to."""
        return CheckResult(
            ok=False, notice=Notice("social.cannot_send", {"network": self.label})
        )


def _is_set(settings: AdapterSettings, key: str) -> bool:
    """True if the setting `key` has a value (a secret: a non-empty one)."""
    value = getattr(settings, key, None)
    if isinstance(value, SecretStr):
        return bool(value.get_secret_value())
    return bool(value)
