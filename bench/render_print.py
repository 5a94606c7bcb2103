"""Median render times of the print channel for a 600-word release: DOCX and PDF.

Goals (issue 4): DOCX ≤ 100 ms, PDF ≤ 500 ms. The release is the long fixture from
tests/channel_adapters/fixtures.py (about 600 words, two pictures, a logo).
Usage: .venv/bin/python bench/render_print.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from channel_adapters.print.adapter import PAGE_SIZES, PrintAdapter  # noqa: E402
from channel_adapters.print.blocks import word_total  # noqa: E402
from channel_adapters.print.docx import build_docx  # noqa: E402
from channel_adapters.print.layout import build_sheet  # noqa: E402
from channel_adapters.print.pdf import build_pdf  # noqa: E402
from tests.channel_adapters.fixtures import long_release, render_context  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `action` in milliseconds, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the median times of each part of a print rendition."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    release, context = long_release(), render_context()
    with tempfile.TemporaryDirectory() as folder:
        settings = PrintAdapter.validate_settings({})
        printer = PrintAdapter("koran", settings, Path(folder))
        sheet = build_sheet(release, context)
        page = printer.template(context, "siaran_pers.html")
        values = {"sheet": sheet, "page_size": PAGE_SIZES["A4"]}
        headings = (release.title, release.subtitle, release.lead)
        words = sum(len(text.split()) for text in headings) + word_total(sheet.blocks)
        preview = render_context(with_files=False)

        def layout(numbered: bool) -> str:
            """The PDF's HTML, as render makes it."""
            return page.render(values, page_numbers=numbered, for_pdf=True)

        results = {
            "text and HTML (preview)": median_ms(
                lambda: printer.render(release, preview), runs
            ),
            "DOCX": median_ms(
                lambda: build_docx(build_sheet(release, context), "A4", context.now),
                runs,
            ),
            "PDF": median_ms(lambda: build_pdf(layout), runs),
            "everything (render with files)": median_ms(
                lambda: printer.render(release, context), runs
            ),
        }
    goals = {"DOCX": 100, "PDF": 500}
    print(f"print rendition of a {words}-word release, median of {runs} runs")
    for name, ms in results.items():
        goal = f"  (goal ≤ {goals[name]} ms)" if name in goals else ""
        print(f"  {name:32} {ms:7.1f} ms{goal}")


if __name__ == "__main__":
    main()
