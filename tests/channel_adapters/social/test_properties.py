"""For any release, each social post fits, keeps its link and cuts no hashtag."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from channel_adapters.social.base import SocialAdapter
from channel_adapters.social.hashtags import hashtags
from channel_adapters.text.counters import HASHTAG_RE, URL_RE, x_weighted
from channel_adapters.text.markdown import body_blocks
from tests.channel_adapters.fixtures import (
    FORUM_IMAGE,
    SOCIAL_NETWORKS,
    render_context,
    short_release,
)

NETWORKS = SOCIAL_NETWORKS
SOCIAL = sorted(NETWORKS)
TOKENS = [
    "Pemprov",
    "Bali",
    "warga",
    "Rp5.000.000",
    "Rp 1,2 miliar",
    "35%",
    "10.00",
    "WITA",
    "Dr.",
    "S.Sos.,",
    "No. 7",
    "ke-3",
    "lapor.go.id",
    "https://ppid.baliprov.go.id/a?b=c&d=e",
    "https://contoh.example/" + "jalur" * 30,
    "http://127.0.0.1:5000/p/1",
    "#Bali",
    "#KIM2022",
    "@diskominfos",
    "😀",
    "👨\u200d👩\u200d👧\u200d👦",
    "🇮🇩",
    "1\ufe0f\u20e3",
    "日本語です。",
    "ᬩᬮᬶ ᬤ᭄ᬯᬶᬧ",
    "ꦱꦸꦒꦼꦁꦫꦮꦸꦃ",
    "<b>tebal</b>",
    "<script>x</script>",
    "&amp;",
    "&",
    "*",
    "_",
    "—",
    "…",
    ".",
    "!",
    "?",
    "---",
    "\n",
]
token = st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))
separator = st.sampled_from([" ", " ", " ", "", "\n", ". ", ", "])
phrase = st.lists(st.tuples(token, separator), max_size=40).map(
    lambda pairs: "".join(t + s for t, s in pairs)
)
block = st.one_of(
    phrase,
    phrase.map(lambda p: f"# {p}"),
    st.lists(phrase, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"- {i}" for i in items)
    ),
    st.tuples(phrase, st.sampled_from(TOKENS[13:16])).map(
        lambda p: f"[{p[0]}]({p[1]})"
    ),
)
body = st.lists(block, max_size=8).map("\n\n".join)
tags = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=15)), max_size=12)
public_url = st.builds(
    lambda host, slug: f"https://{host}/p/{slug}",
    st.sampled_from(["rilis.baliprov.go.id", "rilis.baliprov.example", "a.id"]),
    st.text(alphabet="abcdef0123456789-", min_size=1, max_size=80),
)
release = st.builds(
    lambda title, subtitle, lead, body, tags, url, image, language: dataclasses.replace(
        short_release(),
        title=title,
        subtitle=subtitle,
        lead=lead,
        body_markdown=body,
        tags=tuple(tags),
        public_url=url,
        images=(FORUM_IMAGE,) if image else (),
        language=language,
    ),
    phrase,
    phrase,
    phrase,
    body,
    tags,
    public_url,
    st.booleans(),
    st.sampled_from(["id", "en"]),
)
org_tags = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=15)), max_size=4
)


def channel(name: str, data: st.DataObject) -> SocialAdapter:
    """A channel of adapter `name` with drawn settings."""
    cls = NETWORKS[name]
    raw: dict[str, object] = {
        "paragraphs": data.draw(st.none() | st.integers(0, 6), label="paragraphs")
    }
    if cls.supports_threads:
        raw["thread"] = data.draw(st.booleans(), label="thread")
    if name == "mastodon":
        raw["max_characters"] = data.draw(st.integers(200, 3000), label="max")
    return cls(name, cls.validate_settings(raw), Path("/nonexistent"))


def written(text: str) -> set[str]:
    """Hashtags and URLs as a source text holds them, before and after markup."""
    forms = {text, text.replace("*", ""), text.replace("_", ""), " ".join(text.split())}
    return {
        m.group()
        for form in forms
        for r in (HASHTAG_RE, URL_RE)
        for m in r.finditer(form)
    }


@pytest.mark.parametrize("name", SOCIAL)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(release=release, org_tags=org_tags, data=st.data())
def test_every_post_fits_keeps_the_link_and_cuts_no_hashtag(
    name, release, org_tags, data
):
    adapter = channel(name, data)
    context = render_context(with_files=False)
    context = dataclasses.replace(
        context,
        organization=dataclasses.replace(
            context.organization, hashtags=tuple(org_tags)
        ),
    )

    rendition = adapter.render(release, context)

    posts = adapter.parts(rendition.text)
    assert len(posts) <= adapter.max_thread_posts
    for post in posts:
        assert adapter.excess(post) is None, (post, adapter.count(post))
    assert rendition.length == max(adapter.count(p) for p in posts) <= rendition.limit
    visible = [adapter.markup.visible(p) for p in posts]
    assert release.public_url in visible[0]
    allowed = set(hashtags((*org_tags, *release.tags))[0]) | {release.public_url}
    for source in (
        release.title,
        release.subtitle,
        release.lead,
        release.body_markdown,
    ):
        allowed |= written(source)
    allowed |= written("\n\n".join(body_blocks(release.body_markdown)))
    for post in visible:
        for regex_ in (HASHTAG_RE, URL_RE):
            for match in regex_.finditer(post):
                assert match.group() in allowed, match.group()


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.tuples(token, separator), max_size=60))
@example(text=[("Pemprov", " "), ("\x800.", ""), ("ORG", " ")])  # context matters
def test_chunked_x_count_equals_twitter_text_on_the_whole(text):
    joined = "".join(t + s for t, s in text)

    assert x_weighted(joined) == parse_tweet(joined).weightedLength


@settings(max_examples=80, deadline=None)
@given(release=release, thread=st.booleans())
def test_bluesky_facets_slice_exactly_the_link_and_hashtags(release, thread):
    bluesky = NETWORKS["bluesky"](
        "bsky", NETWORKS["bluesky"].validate_settings({"thread": thread}), Path(".")
    )

    rendition = bluesky.render(release, render_context())

    for record in json.loads(rendition.file("post.json").data)["posts"]:
        data = record["text"].encode()
        for facet in record["facets"]:
            piece = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]]
            (feature,) = facet["features"]
            if "tag" in feature:
                assert piece.decode() in ("#" + feature["tag"], "＃" + feature["tag"])
            else:  # a bare domain is linked as https://, as Bluesky's app does
                uri = feature["uri"]
                assert piece.decode() in (uri, uri.removeprefix("https://"))
