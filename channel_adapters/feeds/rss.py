"""Partner online media pull the office's RSS and Atom feeds.

Delivery publishes nothing over the network: a sent `rss` delivery is what makes the
release appear in `/feeds/rss.xml` and `/feeds/atom.xml` at its planned time.
"""

from __future__ import annotations

from ..base import (
    Adapter,
    AdapterSettings,
    DeliveryResult,
    ReleaseSnapshot,
    RenderContext,
    Rendition,
)
from ..notice import Notice
from ..text.markdown import to_html


class RssSettings(AdapterSettings):
    """Feed settings."""

    title: str | None = None  # defaults to "Siaran Pers <organization name>"
    items: int = 50  # how many releases a feed holds


class RssAdapter(Adapter):
    """An item in the office's feeds, with the lead as summary and the full text."""

    name = "rss"
    label = "RSS/Atom"
    Settings = RssSettings
    idempotent = True

    def render(self, release: ReleaseSnapshot, context: RenderContext) -> Rendition:
        """Summary (the lead) as text, the sanitized body as HTML."""
        html = self.template(context, "item.html").render(
            release=release, body_html=to_html(release.body_markdown)
        )
        warnings = () if release.lead.strip() else (Notice("rss.lead_empty"),)
        return Rendition(
            channel=self.channel,
            adapter=self.name,
            text=release.lead.strip(),
            html=html,
            warnings=warnings,
        )

    def deliver(self, rendition: Rendition, idempotency_key: str) -> DeliveryResult:
        """Nothing to send: the feeds read sent deliveries from the database."""
        return DeliveryResult(detail="visible in the feeds")
