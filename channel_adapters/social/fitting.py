"""Shortening a post until it fits, or splitting it into a numbered thread.

Whole sentences first, then fewer hashtags, then the subtitle, then words; a thread
keeps the link in its first post and the hashtags in its last. Every cut is told to
the drafter as a notice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..notice import Notice
from .story import (
    ELLIPSIS,
    Story,
    cut,
    cut_position,
    join_sentences,
    largest,
    protected,
    shortened,
)

if TYPE_CHECKING:
    from .base import Draft, SocialAdapter


def single_post(
    adapter: SocialAdapter, draft: Draft, story: Story, warnings: list[Notice]
) -> str:
    """One post that fits: whole sentences, then fewer hashtags, then words."""
    total = story.size
    budget = Story(budgeted(adapter, story))

    def text(count: int, tags: int, subtitle: bool = True) -> str:
        """The post with `count` sentences and the first `tags` hashtags."""
        return adapter.compose(
            replace(
                draft,
                story=budget.first(count),
                tags=draft.tags[:tags],
                subtitle=draft.subtitle if subtitle else "",
            )
        )

    full = text(total, len(draft.tags))
    if budget.size == total and adapter.fits(full):
        return full
    least = min(1, budget.size)
    for subtitle in (True, False) if draft.subtitle else (True,):
        # As many hashtags as leave room for the first sentence, then as many
        # sentences as fit beside them.
        tags = largest(
            0, len(draft.tags), lambda t, s=subtitle: adapter.fits(text(least, t, s))
        )
        if tags >= 0:
            kept = largest(
                least,
                budget.size,
                lambda n, t=tags, s=subtitle: adapter.fits(text(n, t, s)),
            )
            note_cuts(adapter, warnings, draft, tags, total - kept, subtitle)
            return text(kept, tags, subtitle)
    bare = replace(draft, subtitle="", tags=())
    first = budget.first(1)
    story_cut = cut(
        first, lambda s: adapter.fits(adapter.compose(replace(bare, story=s)))
    )
    if story_cut:
        note_cuts(adapter, warnings, draft, 0, total - 1, False)
        warnings.append(Notice("social.lead_cut"))
        return adapter.compose(replace(bare, story=story_cut))
    title = cut(
        draft.title, lambda t: adapter.fits(adapter.compose(replace(bare, title=t)))
    )
    note_cuts(adapter, warnings, draft, 0, total, False)
    if title:
        warnings.append(Notice("social.headline_cut"))
        return adapter.compose(replace(bare, title=title))
    warnings.append(Notice("social.link_too_long", {"network": adapter.label}))
    return adapter.compose(replace(bare, title=""))


def budgeted(adapter: SocialAdapter, story: Story) -> tuple[str, ...]:
    """The story without what could never fit, so shortening a huge one is fast."""
    # No network counts a character as less than one, except URLs (23 at most on
    # X), so text beyond this many code points cannot be in the post.
    room = adapter.limit * 4 + 200
    kept = []
    for paragraph in story.paragraphs:
        if room <= 0:
            break
        if len(paragraph) > room:
            at = paragraph.rfind(" ", 0, room)
            at = at if at > 0 else room
            for start, end in protected(paragraph):
                at = start if start < at < end else at
            paragraph = shortened(paragraph, at) if at > 0 else ""
        if paragraph:
            kept.append(paragraph)
        room -= len(paragraph)
    return tuple(kept)


def note_cuts(
    adapter: SocialAdapter,
    warnings: list[Notice],
    draft: Draft,
    tags: int,
    dropped: int,
    subtitle: bool,
) -> None:
    """Tell the drafter what shortening left out."""
    if dropped:
        warnings.append(
            Notice(
                "social.shortened",
                {
                    "network": adapter.label,
                    "limit": adapter.limit,
                    "unit": adapter.unit,
                    "dropped": dropped,
                },
            )
        )
    if tags < len(draft.tags):
        warnings.append(
            Notice("social.hashtags_left_out", {"tags": " ".join(draft.tags[tags:])})
        )
    if draft.subtitle and not subtitle:
        warnings.append(Notice("social.subtitle_left_out"))


def thread_posts(
    adapter: SocialAdapter, draft: Draft, story: Story, warnings: list[Notice]
) -> list[str] | None:
    """Numbered posts, link in the first, hashtags in the last; None: one post."""
    single = adapter.compose(replace(draft, story=story.first(story.size)))
    if adapter.fits(single):
        return None
    most = adapter.max_thread_posts
    probe = f"\n\n{most}/{most}"  # the widest number, so any number fits

    def post(units: list[tuple[int, str]], first: bool, tags=()) -> str:
        """One post of the thread holding these sentences."""
        return adapter.compose(
            replace(
                draft,
                title=draft.title if first else "",
                subtitle=draft.subtitle if first else "",
                link=draft.link if first else "",
                story=join_sentences(units),
                tags=tuple(tags),
            )
        )

    def fits(units: list[tuple[int, str]], first: bool, tags=()) -> bool:
        """True if that post fits with any number below it."""
        return adapter.fits(post(units, first, tags) + probe)

    if not fits([], True):
        return None
    posts: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    queue = list(reversed(story.sentences()))
    truncated = False
    while queue:
        unit = queue.pop()
        first = not posts
        if fits([*current, unit], first):
            current.append(unit)
            continue
        # A sentence too long for what the first post leaves goes whole to the
        # second, rather than being split after the headline.
        if current or (first and fits([unit], False)):
            posts.append(current)
            current = []
            queue.append(unit)
            if len(posts) == most:
                truncated = True
                break
            continue
        index, sentence = unit
        at = cut_position(sentence, lambda s, i=index, f=first: fits([(i, s)], f))
        if at is None:
            return None
        rest = sentence[at:].strip()
        current = [(index, shortened(sentence, at))]
        if rest:
            queue.append((index, ELLIPSIS + rest))
    if current and not truncated:
        posts.append(current)
    if not posts:
        return None
    tags = draft.tags
    while tags and not fits(posts[-1], len(posts) == 1, tags):
        tags = tags[:-1]
    texts = [post(units, n == 0) for n, units in enumerate(posts)]
    texts[-1] = post(posts[-1], len(posts) == 1, tags)
    if len(texts) > 1:
        texts = [f"{t}\n\n{n}/{len(texts)}" for n, t in enumerate(texts, 1)]
    if not all(adapter.fits(t) for t in texts):
        return None
    if truncated:
        warnings.append(Notice("social.thread_truncated", {"most": most}))
    if tags != draft.tags:
        left_out = " ".join(draft.tags[len(tags) :])
        warnings.append(Notice("social.hashtags_left_out", {"tags": left_out}))
    return texts
