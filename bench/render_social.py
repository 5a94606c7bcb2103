"""How long do the nine social renditions of a 600-word release take together?

Renders x, facebook, instagram, telegram, mastodon, bluesky, threads, whatsapp and
linkedin for the long fixture release (about 600 words, Indonesian) and prints the
median total time of one round of all nine:
- cold: the adapters' caches (parsed Markdown, sentence ends, twitter-text counts)
  are emptied before every round, as for the first preview of a new revision;
- warm: caches kept, as for the approval render after a preview;
- threads: cold, with `thread: true` on x, mastodon and bluesky.

Usage: .venv/bin/python bench/render_social.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from channel_adapters.social.base import SocialAdapter  # noqa: E402
from channel_adapters.social.bluesky import BlueskyAdapter  # noqa: E402
from channel_adapters.social.facebook import FacebookAdapter  # noqa: E402
from channel_adapters.social.hashtags import hashtags  # noqa: E402
from channel_adapters.social.instagram import InstagramAdapter  # noqa: E402
from channel_adapters.social.linkedin import LinkedInAdapter  # noqa: E402
from channel_adapters.social.mastodon import MastodonAdapter  # noqa: E402
from channel_adapters.social.telegram import TelegramAdapter  # noqa: E402
from channel_adapters.social.threads import ThreadsAdapter  # noqa: E402
from channel_adapters.social.whatsapp import WhatsAppAdapter  # noqa: E402
from channel_adapters.social.x import XAdapter  # noqa: E402
from channel_adapters.text import counters  # noqa: E402
from channel_adapters.text.markdown import body_blocks, to_text, word_count  # noqa: E402
from channel_adapters.text.sentences import sentence_ends  # noqa: E402
from tests.channel_adapters.fixtures import long_release, render_context  # noqa: E402

NETWORKS = (
    XAdapter,
    FacebookAdapter,
    InstagramAdapter,
    TelegramAdapter,
    MastodonAdapter,
    BlueskyAdapter,
    ThreadsAdapter,
    WhatsAppAdapter,
    LinkedInAdapter,
)
CACHES = (
    body_blocks,
    sentence_ends,
    counters._chunk_weight,
    counters._chunk_links_as,
    hashtags,
)


def adapters(thread: bool) -> list[SocialAdapter]:
    """One channel of each social adapter."""
    made = []
    for cls in NETWORKS:
        raw = {"thread": True} if thread and cls.supports_threads else {}
        made.append(cls(cls.name, cls.validate_settings(raw), ROOT / "instance"))
    return made


def measure(rounds: int, *, cold: bool, thread: bool) -> list[float]:
    """Milliseconds for each round of rendering all nine."""
    release, context = long_release(), render_context(with_files=True)
    channels = adapters(thread)
    times = []
    for _ in range(rounds):
        if cold:
            for cache in CACHES:
                cache.cache_clear()
        start = time.perf_counter()
        for channel in channels:
            channel.render(release, context)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    """Print the median and 90th percentile of each set-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    release = long_release()
    words = word_count(
        " ".join([release.title, release.lead, to_text(release.body_markdown)])
    )
    print(f"release: {words} words; {len(NETWORKS)} social channels; {rounds} rounds")
    measure(5, cold=False, thread=False)  # imports and first-call costs
    for label, cold, thread in (
        ("cold", True, False),
        ("warm", False, False),
        ("threads", True, True),
    ):
        times = measure(rounds, cold=cold, thread=thread)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{label:8} median {statistics.median(times):6.2f} ms"
            f"   p90 {p90:6.2f} ms   (all nine together)"
        )


if __name__ == "__main__":
    main()
