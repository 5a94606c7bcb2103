"""Median render times for a 600-word release: every text channel, DOCX and PDF.

Goals (issue 4): all text channels together ≤ 20 ms, DOCX ≤ 100 ms, PDF ≤ 500 ms.
Usage: .venv/bin/python bench/render.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from channel_adapters.base import Contact, Organization, ReleaseSnapshot, RenderContext
from channel_adapters.registry import ADAPTERS
from channel_adapters.templating import environment as channel_environment

PARAGRAPH = (
    "Dinas Komunikasi, Informatika dan Statistik Provinsi Bali menggelar sosialisasi "
    "keterbukaan informasi publik pada Selasa (29/11/2022) pukul 10.00 WITA di "
    "Denpasar, diikuti 120 peserta dari sembilan kabupaten/kota dengan anggaran "
    "Rp 1,2 miliar atau 12,5% dari pagu kegiatan."
)


def release(variant: int = 0) -> ReleaseSnapshot:
    """A realistic release of about 600 words; `variant` makes each one different."""
    words = PARAGRAPH.replace("120 peserta", f"{120 + variant} peserta").split()
    paragraphs = []
    while sum(len(p.split()) for p in paragraphs) < 600:
        paragraphs.append(" ".join(words))
    return ReleaseSnapshot(
        release_id=1,
        public_id="3f1c2a9e-0000-4000-8000-000000000001",
        revision=1,
        language="id",
        title=f"Diskominfos Bali Gelar Sosialisasi ke-{variant + 1}",
        lead="Diskominfos Bali mengajak KIM memperkuat literasi media.",
        body_markdown="\n\n".join(paragraphs),
        dateline_city="Denpasar",
        tags=("KIM", "PPID"),
        contact=Contact("I Made Dwi Prayana", "+62 361 123456", "humas@example.go.id"),
        number="001/HM/DISKOMINFOS/XI/2026",
        public_url="https://diskominfos.example.go.id/p/1",
        approved_at=datetime(2026, 11, 28, 2, 0, tzinfo=UTC),
    )


def median_ms(action, runs: int) -> float:
    """Median wall time of `action()` in milliseconds, after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    snap = release()
    org = Organization(
        name="Dinas Komunikasi, Informatika dan Statistik Provinsi Bali",
        short_name="Diskominfos Bali",
        city="Denpasar",
        about="Tentang Diskominfos Bali.",
        hashtags=("BaliProvinsi",),
    )
    env = channel_environment()
    now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    text = RenderContext(organization=org, templates=env, now=now, with_files=False)
    files = RenderContext(organization=org, templates=env, now=now, with_files=True)
    data_dir = Path(tempfile.mkdtemp())
    adapters = {
        name: cls(name, cls.Settings.model_construct(), data_dir)
        for name, cls in ADAPTERS.items()
        if name not in ("webhook", "email")
    }  # need a URL / an SMTP host
    words = len(snap.body_markdown.split())

    def all_text() -> None:
        for adapter in adapters.values():
            adapter.render(snap, text)

    print(f"release of {words} words; median of {args.runs} runs")
    print("cold: a different release every run, so no cache helps (the real case)")
    fresh = iter(range(1, 10**6))

    def all_text_cold() -> None:
        snap_n = release(next(fresh))
        for adapter in adapters.values():
            adapter.render(snap_n, text)

    took = median_ms(all_text_cold, args.runs)
    print(f"all {len(adapters)} text renditions, cold: {took:8.1f} ms")
    took = median_ms(all_text, args.runs)
    print(f"all {len(adapters)} text renditions, warm: {took:8.1f} ms")
    for name, adapter in sorted(adapters.items()):
        took = median_ms(
            lambda a=adapter: a.render(release(next(fresh)), text), args.runs
        )
        print(f"  {name:10} cold {took:8.2f} ms")
    if "print" in adapters:
        printer = adapters["print"]
        runs = max(3, args.runs // 3)
        took = median_ms(lambda: printer.render(release(next(fresh)), files), runs)
        print(f"print with files (PDF + DOCX + TXT): {took:8.1f} ms")


if __name__ == "__main__":
    main()
