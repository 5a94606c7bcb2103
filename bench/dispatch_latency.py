"""How late does a delivery leave, compared with its planned time?

Schedules deliveries to a webhook receiver on 127.0.0.1 a few seconds ahead and
measures arrival minus planned time, in two set-ups:
- in-process: the API/web and the dispatcher share a process (`publisher run`), so a
  commit wakes the dispatcher at once;
- poll only: the delivery was planned by another process (`publisher web` beside
  `publisher dispatcher`), so only the database poll (poll_seconds) can find it.

Usage: .venv/bin/python bench/dispatch_latency.py [--count 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_config  # noqa: E402
from support import Receiver  # noqa: E402

from publisher.db import Database  # noqa: E402
from publisher.dispatcher import Dispatcher  # noqa: E402
from publisher.models import User, utcnow  # noqa: E402
from publisher.services import accounts, drafting, scheduling, workflow  # noqa: E402

SECRET = "rahasia-bench-yang-panjang"
PASSWORD = "Kata-sandi-bench-2026"


def measure(count: int, wake: bool) -> list[float]:
    """Lateness in milliseconds of `count` webhook deliveries."""
    with tempfile.TemporaryDirectory() as folder, Receiver() as receiver:
        config = make_config(
            Path(folder),
            situs_web={
                "adapter": "webhook",
                "url": receiver.url,
                "secret": SECRET,
                "allow_networks": ["127.0.0.0/8"],
            },
        )
        database = Database(config.database_url)
        database.upgrade()
        with database.session() as session:
            drafter = accounts.create_user(session, "penyusun", "drafter", PASSWORD)
            editor = accounts.create_user(session, "editor", "editor", PASSWORD)
            ids = []
            for n in range(count):
                release = drafting.create_release(
                    session,
                    drafter,
                    drafting.ReleaseContent(
                        title=f"Rilis {n}", lead="Ringkasan.", body="Isi."
                    ),
                )
                workflow.submit(session, drafter, release.id)
                workflow.approve(session, config, editor, release.id)
                ids.append(release.id)
        dispatcher = Dispatcher(config, database, wake_on_commit=wake)
        dispatcher.start()
        planned = {}
        try:
            for n, release_id in enumerate(ids):
                when = utcnow() + timedelta(seconds=2, milliseconds=137 * n)
                with database.session() as session:
                    editor = session.get(User, editor.id)
                    scheduling.schedule(
                        session,
                        config,
                        editor,
                        release_id,
                        scheduling.SchedulePlan(
                            deliveries=[{"channel": "situs_web", "planned_at": when}]
                        ),
                    )
                planned[f"Rilis {n}"] = when.timestamp()
            received = receiver.wait_for(count, timeout=30 + count)
        finally:
            dispatcher.shutdown()
            database.dispose()
        return [(r.at - planned[r.json()["release"]["title"]]) * 1000 for r in received]


def report(label: str, lateness: list[float]) -> None:
    """Print median, p95 and worst lateness."""
    ordered = sorted(lateness)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{label:12} n={len(ordered):3}  median {statistics.median(ordered):7.1f} ms"
        f"  p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms  min {ordered[0]:6.1f} ms"
    )


def main() -> None:
    """Run both set-ups and print a line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    report("in-process", measure(args.count, wake=True))
    report("poll only", measure(args.count, wake=False))


if __name__ == "__main__":
    main()
