"""RSS 2.0 and Atom feeds for partner media, built with feedgen, served from cache.

What is public is decided here and only here: a release is visible once its approved
revision has been delivered to a channel of that kind and its embargo has lifted.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from channel_adapters.base import Image
from channel_adapters.feeds.rss import RssSettings
from channel_adapters.text.clean import clean
from channel_adapters.text.markdown import to_html

from .config import Config
from .models import (
    Delivery,
    DeliveryStatus,
    FrozenRendition,
    Release,
    ReleaseStatus,
    Revision,
    utcnow,
)
from .rendering import media_snapshot, public_url


@dataclass(frozen=True)
class FeedItem:
    """One release as the feeds show it."""

    public_id: str
    title: str
    summary: str
    html: str
    author: str
    category: str
    tags: tuple[str, ...]
    link: str
    published: datetime
    updated: datetime
    revision: int = 0  # the revision shown (its media are the public ones)
    enclosure: Enclosure | None = None  # the lead image
    images: tuple[Image, ...] = ()  # every picture of the revision shown, lead first


@dataclass(frozen=True)
class Enclosure:
    """A file a feed item points to, with the size and type RSS requires."""

    url: str
    length: int
    media_type: str


def visible_items(
    session: Session,
    config: Config,
    adapter: str | None = "rss",
    limit: int = 50,
    public_id: str | None = None,
) -> list[FeedItem]:
    """Releases delivered to an `adapter` channel (any, if None), newest first.

    Each release shows the newest revision that was delivered: a correction in
    review leaves the published text in place, and once the correction is sent the
    item keeps its GUID and publication date and gets a new `updated`.
    """
    now = utcnow()
    query = (
        select(Delivery, Release, Revision, FrozenRendition)
        .join(Release, Delivery.release_id == Release.id)
        .join(Revision, Delivery.revision_id == Revision.id)
        .join(
            FrozenRendition,
            (FrozenRendition.revision_id == Revision.id)
            & (FrozenRendition.channel == Delivery.channel),
        )
        .where(
            Delivery.status == DeliveryStatus.SENT,
            Delivery.planned_at <= now,
            Release.status != ReleaseStatus.WITHDRAWN,
        )
        .order_by(Revision.number.desc(), Delivery.sent_at.desc(), Delivery.id.desc())
    )
    if adapter is not None:
        query = query.where(Delivery.adapter == adapter)
    if public_id is not None:
        query = query.where(Release.public_id == public_id)
    items: dict[str, FeedItem] = {}
    first_sent: dict[str, datetime] = {}
    for delivery, release, revision, rendition in session.execute(query):
        if revision.embargo_at and revision.embargo_at > now:
            continue
        key = release.public_id
        first_sent[key] = min(first_sent.get(key, delivery.sent_at), delivery.sent_at)
        if key in items:
            continue
        items[key] = FeedItem(
            public_id=key,
            title=revision.title,
            summary=rendition.text if rendition.adapter == "rss" else revision.lead,
            # The rss rendition is the approved HTML; other channels' HTML is theirs.
            html=(rendition.html or "")
            if rendition.adapter == "rss"
            else to_html(revision.body),
            author=config.organization.name,
            category=revision.category,
            tags=tuple(revision.tags or ()),
            link=public_url(config, release),
            published=delivery.sent_at,
            updated=delivery.sent_at,
            revision=revision.number,
            **_pictures(config, release, revision),
        )
    ordered = sorted(
        items.values(), key=lambda i: first_sent[i.public_id], reverse=True
    )
    return [
        _cleaned(replace(item, published=first_sent[item.public_id]))
        for item in ordered[:limit]
    ]


def _cleaned(item: FeedItem) -> FeedItem:
    """The item without characters XML cannot carry, whatever was stored before
    text was cleaned at input: one such character took every feed offline."""
    return replace(
        item,
        title=clean(item.title),
        summary=clean(item.summary),
        html=clean(item.html),
        author=clean(item.author),
        category=clean(item.category),
        tags=tuple(clean(t) for t in item.tags),
        images=tuple(
            replace(
                i, alt=clean(i.alt), caption=clean(i.caption), credit=clean(i.credit)
            )
            for i in item.images
        ),
    )


def _pictures(config: Config, release: Release, revision: Revision) -> dict:
    """The revision's pictures, and the lead one (web size) as an enclosure."""
    images, _attachments = media_snapshot(config, release, revision)
    enclosure = None
    path = images[0].variant("web") if images else None
    if path is not None and path.exists():
        lead = images[0]
        enclosure = Enclosure(lead.url, path.stat().st_size, lead.media_type)
    return {"images": images, "enclosure": enclosure}


def feed_version(session: Session) -> str:
    """A cheap fingerprint of everything a feed depends on, for ETag and caching."""
    deliveries = session.execute(
        select(func.count(Delivery.id), func.max(Delivery.updated_at)).where(
            Delivery.status == DeliveryStatus.SENT
        )
    ).one()
    releases = session.execute(
        select(func.count(Release.id), func.max(Release.updated_at))
    ).one()
    # Embargoes lift with time alone; the minute keeps the version moving with them.
    minute = utcnow().strftime("%Y%m%d%H%M")
    raw = f"{tuple(deliveries)}|{tuple(releases)}|{minute}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def feed_title(config: Config) -> str:
    """The title an rss channel sets, else "Siaran Pers <office>"."""
    return next(
        (
            ch.settings.title
            for ch in config.enabled_channels.values()
            if isinstance(ch.settings, RssSettings) and ch.settings.title
        ),
        f"Siaran Pers {config.organization.name}",
    )


def build_feed(
    config: Config, items: list[FeedItem], kind: str, self_url: str
) -> bytes:
    """Serialize `items` as RSS 2.0 (`kind="rss"`) or Atom (`"atom"`)."""
    org = config.organization
    title = feed_title(config)
    fg = FeedGenerator()
    # RSS <author> must be an e-mail address; dc:creator carries the office's name.
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(f"{org.public_url}/feeds/")
    fg.title(title)
    fg.author(
        {"name": org.name, "email": org.email} if org.email else {"name": org.name}
    )
    fg.language(org.language)
    fg.description(f"Siaran pers resmi {org.name}")
    # The build time never enters the bytes (feedgen's default lastBuildDate is
    # "now"): the same items give the same bytes, hence the same ETag, anywhere.
    newest = last_modified(items)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    # feedgen 1.0: RSS <link> is the last link added (issue #122), so 'self' first.
    fg.link(href=self_url, rel="self")
    fg.link(href=org.public_url, rel="alternate")
    # feedgen prepends entries by default; add oldest first to keep newest on top.
    for item in reversed(items):
        entry = fg.add_entry()
        entry.id(f"urn:uuid:{item.public_id}")
        entry.guid(f"urn:uuid:{item.public_id}", permalink=False)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.summary(item.summary or item.title)
        entry.content(item.html, type="CDATA" if kind == "rss" else "html")
        entry.author(
            {"name": item.author, "email": org.email}
            if org.email
            else {"name": item.author}
        )
        entry.dc.dc_creator(item.author)
        entry.published(item.published)
        entry.updated(item.updated)
        for term in (item.category, *item.tags):
            if term:
                entry.category(term=term)
        if item.enclosure and kind == "rss":
            entry.enclosure(
                item.enclosure.url,
                str(item.enclosure.length),
                item.enclosure.media_type,
            )
    if kind == "rss":
        return fg.rss_str(pretty=False)
    return _with_atom_enclosures(fg.atom_str(pretty=False), items)


def build_json_feed(config: Config, items: list[FeedItem], self_url: str) -> bytes:
    """The same items as JSON Feed 1.1 (jsonfeed.org): full HTML, the lead image,
    the same ids as the RSS GUIDs, so readers that speak JSON see one item per
    release however often it is corrected."""
    org = config.organization
    title = feed_title(config)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": org.public_url,
        "feed_url": self_url,
        "description": f"Siaran pers resmi {org.name}",
        "language": org.language,
        "authors": [{"name": org.name, "url": org.website or org.public_url}],
        "items": [_json_item(item) for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def _json_item(item: FeedItem) -> dict:
    entry = {
        "id": f"urn:uuid:{item.public_id}",
        "url": item.link,
        "title": item.title,
        "content_html": item.html,
        "summary": item.summary or item.title,
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": item.author}],
        "tags": [t for t in (item.category, *item.tags) if t],
    }
    if item.enclosure:
        entry["image"] = item.enclosure.url
        entry["attachments"] = [
            {
                "url": item.enclosure.url,
                "mime_type": item.enclosure.media_type,
                "size_in_bytes": item.enclosure.length,
            }
        ]
    return entry


def _with_atom_enclosures(atom: bytes, items: list[FeedItem]) -> bytes:
    """Add `<link rel="enclosure">` to Atom entries.

    feedgen 1.0 drops rel, type and length from Atom links (feedgen issue #135), which
    would turn the image into a second 'alternate' link; so they are added here.
    """
    if not any(item.enclosure for item in items):
        return atom
    ns = "http://www.w3.org/2005/Atom"
    root = etree.fromstring(atom)
    by_id = {f"urn:uuid:{item.public_id}": item for item in items}
    for entry in root.iter(f"{{{ns}}}entry"):
        item = by_id.get(entry.findtext(f"{{{ns}}}id"))
        if item is None or item.enclosure is None:
            continue
        link = etree.SubElement(entry, f"{{{ns}}}link")
        link.set("rel", "enclosure")
        link.set("href", item.enclosure.url)
        link.set("type", item.enclosure.media_type)
        link.set("length", str(item.enclosure.length))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# What an empty feed says it was last changed: any fixed moment keeps its bytes
# stable; this one is before any release of this product.
EMPTY_SINCE = datetime(2026, 1, 1, tzinfo=UTC)


def last_modified(items: list[FeedItem]) -> datetime:
    """When the newest item changed (a fixed moment for an empty feed)."""
    return max((i.updated for i in items), default=EMPTY_SINCE)


@dataclass(frozen=True)
class BuiltFeed:
    """A feed's bytes, gzipped once, with validators that follow the bytes."""

    data: bytes
    gzipped: bytes
    etag: str
    last_modified: datetime

    @classmethod
    def of(cls, data: bytes, modified: datetime) -> BuiltFeed:
        """Validators from the content: identical bytes, identical ETag."""
        return cls(
            data=data,
            gzipped=gzip.compress(data, compresslevel=6, mtime=0),
            etag=hashlib.sha256(data).hexdigest()[:32],
            last_modified=modified,
        )


class FeedCache:
    """Built feeds by (kind, version): a partner's poll costs one small query."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, BuiltFeed]] = {}
        self._lock = threading.Lock()

    def get(self, kind: str, version: str, build) -> BuiltFeed:
        """The cached feed for `version`, building it with `build()` if stale."""
        with self._lock:
            cached = self._entries.get(kind)
            if cached and cached[0] == version:
                return cached[1]
        built = build()
        with self._lock:
            self._entries[kind] = (version, built)
        return built
