"""The RSS adapter: what partner media see as an item in the office's feeds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from channel_adapters.feeds.rss import RssAdapter
from channel_adapters.notice import Notice
from tests.channel_adapters.fixtures import FIXTURES, render_context


def adapter() -> RssAdapter:
    """The office's feed channel."""
    return RssAdapter("feed", RssAdapter.validate_settings({}), Path("/tmp"))


def test_the_summary_is_the_lead_and_the_item_carries_the_full_body(release, context):
    rendition = adapter().render(release, context)

    assert rendition.text == release.lead
    assert f"<p><strong>{release.lead}</strong></p>" in rendition.html
    assert "<h2>Layanan informasi yang lebih dekat</h2>" in rendition.html
    assert "<strong>layanan permohonan informasi daring</strong>" in rendition.html
    assert "Narahubung: Ni Luh Putu Ayu Lestari, 0812-3456-7890" in rendition.html
    assert rendition.warnings == ()


def test_html_in_the_release_is_escaped_or_sanitized(release, context):
    release = dataclasses.replace(
        release,
        lead="Seni & Budaya <b>Bali</b>",
        body_markdown="<script>alert('x')</script>\n\n[tautan](javascript:alert(1))",
    )

    html = adapter().render(release, context).html

    assert "Seni &amp; Budaya &lt;b&gt;Bali&lt;/b&gt;" in html
    assert "<script" not in html and 'href="javascript:' not in html


def test_an_english_release_names_its_contact_in_english(release, context):
    release = dataclasses.replace(release, language="en")

    html = adapter().render(release, context).html

    assert "Contact: Ni Luh Putu Ayu Lestari" in html and "Narahubung" not in html


def test_an_empty_lead_warns_that_the_summary_will_be_blank(release, context):
    release = dataclasses.replace(release, lead="  ")

    rendition = adapter().render(release, context)

    assert rendition.text == ""
    assert Notice("rss.lead_empty") in rendition.warnings


def test_delivery_sends_nothing_and_the_feed_shows_the_item(release, context):
    feed = adapter()

    result = feed.deliver(feed.render(release, context), "key-1")

    assert result.detail == "visible in the feeds"
    assert feed.idempotent and not feed.uses_outbox


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_golden_feed_item(fixture, golden):
    rendition = adapter().render(FIXTURES[fixture](), render_context(with_files=False))
    golden(
        f"{fixture}.rss.txt", f"SUMMARY\n{rendition.text}\n\nCONTENT\n{rendition.html}"
    )
