"""What a WordPress post of a release says: its slug, clean HTML, excerpt and terms.

Everything here is pure: the adapter freezes the result into the rendition's
`post.json`, so the post that is sent is exactly the one an editor approved. Term
names (categories, tags) are resolved to the site's ids only when delivering.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime

import nh3

from ..base import ReleaseSnapshot
from ..text.language import language_of
from ..text.markdown import ALLOWED_TAGS, to_html

# WordPress keeps term names up to 200 characters (wp_insert_term refuses longer).
MAX_TERM_LENGTH = 200
CONTACT_LABEL = {"id": "Narahubung", "en": "Contact"}
NUMBER_LABEL = {"id": "Nomor", "en": "Number"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug_for(public_id: str) -> str:
    """The post's slug: stable for every revision of one release, unique per release.

    Delivery looks the post up by it, so a retry or a correction updates the post
    instead of making a second one.
    """
    cleaned = _NOT_SLUG.sub("-", public_id.lower()).strip("-") or "tanpa-id"
    return cleaned if cleaned.startswith("rilis-") else f"rilis-{cleaned}"


def post_html(release: ReleaseSnapshot) -> str:
    """The post's body: dateline and lead, the body as sanitized HTML, the contact."""
    language = language_of(release.language)
    parts = []
    lead = " ".join(release.lead.split())
    city = " ".join(release.dateline_city.split())
    if lead and city:
        parts.append(
            f"<p><strong>{html.escape(city)}</strong> – {html.escape(lead)}</p>"
        )
    elif lead:
        parts.append(f"<p>{html.escape(lead)}</p>")
    parts.append(to_html(release.body_markdown).strip())
    contact = [
        " ".join(value.split())
        for value in (
            release.contact.name,
            release.contact.phone,
            release.contact.email,
        )
        if value.strip()
    ]
    if contact:
        label = CONTACT_LABEL[language]
        parts.append(f"<p><em>{label}: {html.escape(', '.join(contact))}</em></p>")
    if release.number.strip():
        label = NUMBER_LABEL[language]
        parts.append(f"<p><em>{label}: {html.escape(release.number.strip())}</em></p>")
    document = "\n".join(part for part in parts if part)
    # The pieces above are escaped already; cleaning once more keeps the promise
    # that only the allowed tags reach the site, whatever changes here later.
    return nh3.clean(
        document,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def category_names(category: str, mapping: Mapping[str, str]) -> list[str]:
    """The site's category for our category: the mapped name, else our own name."""
    ours = " ".join(category.split())
    if not ours:
        return []
    theirs = mapping.get(ours, mapping.get(category, ours))
    theirs = " ".join(theirs.split())
    return [theirs] if theirs else []


def tag_names(tags: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The release's tags as WordPress tag names, and those too long to keep."""
    kept: list[str] = []
    too_long: list[str] = []
    for tag in tags:
        name = " ".join(tag.split()).lstrip("#").strip()
        if not name or name.casefold() in (k.casefold() for k in kept):
            continue
        (too_long if len(name) > MAX_TERM_LENGTH else kept).append(name)
    return kept, too_long


def wordpress_date(moment: datetime) -> str:
    """A moment as WordPress's `date_gmt`: ISO 8601 in UTC without an offset."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
