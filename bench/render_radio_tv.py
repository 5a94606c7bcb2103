"""Median text render times of the radio and TV scripts for a 600-word release.

The release is the long fixture of the adapter tests (about 600 words, dense with
money, dates, times, percentages and abbreviations); previews render without files.
"cold" empties the caches of passages and normalized sentences first; a preview
renders radio, then TV, which finds radio's sentences already said ("warm").
Usage: .venv/bin/python bench/render_radio_tv.py [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from channel_adapters.broadcast import ear  # noqa: E402
from channel_adapters.broadcast.radio import RadioAdapter  # noqa: E402
from channel_adapters.broadcast.tv import TvAdapter  # noqa: E402
from channel_adapters.text import spoken  # noqa: E402
from channel_adapters.text.markdown import word_count  # noqa: E402
from tests.channel_adapters.fixtures import long_release, render_context  # noqa: E402


def timed(action, runs: int) -> str:
    """Median (and fastest) wall time of `action()` after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return f"{statistics.median(samples):7.2f} ms {min(samples):7.2f} ms"


def main() -> None:
    """Print one line per adapter: median milliseconds for the text rendition."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    release = long_release()
    context = render_context(with_files=False)
    words = word_count(" ".join((release.title, release.lead, release.body_markdown)))
    print(f"release: {words} words, {runs} runs each, with_files=False")
    radio, tv = (
        cls(cls.name, cls.validate_settings({}), ROOT / "instance")
        for cls in (RadioAdapter, TvAdapter)
    )

    def forget() -> None:
        """Empty the caches of passages and normalized sentences."""
        ear.passages.cache_clear()
        spoken._normalize.cache_clear()

    def cold(adapter) -> None:
        """A render that finds nothing of this release already said."""
        forget()
        adapter.render(release, context)

    def both() -> None:
        """Radio then TV, as a preview renders them: TV reuses radio's sentences."""
        forget()
        radio.render(release, context)
        tv.render(release, context)

    print(f"{'':<22}{'median':>10}{'fastest':>11}")
    print(f"{'radio (cold)':<22}{timed(lambda: cold(radio), runs)}")
    print(f"{'tv (cold)':<22}{timed(lambda: cold(tv), runs)}")
    print(f"{'radio + tv (cold)':<22}{timed(both, runs)}")
    warm = timed(lambda: tv.render(release, context), runs)
    print(f"{'tv after radio (warm)':<22}{warm}")


if __name__ == "__main__":
    main()
