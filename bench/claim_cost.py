"""What one delivery costs the dispatcher, serially: claim, send, record.

`--count` deliveries (200) to ten webhook channels whose partner servers (in a
separate process) answer at once; each is claimed, sent and recorded one after the
other in this process, exactly as a dispatcher job does (`claims.claim`, the
adapter's `deliver`, `claims.record`, each in its own committed session). Printed
per phase: the median and mean wall time, the mean CPU time of this thread
(less disturbed by other work on the machine) and the SQL statements per delivery.

Run it with another checkout's venv to compare versions on the same machine at the
same moment (the script imports whichever `publisher` that venv has installed):

  .venv/bin/python bench/claim_cost.py                        # SQLite
  .venv/bin/python bench/claim_cost.py --postgres URL         # PostgreSQL
  /work/main/.venv/bin/python bench/claim_cost.py             # main's code
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from dispatch_scale import (  # noqa: E402
    CHANNELS,
    approve_releases,
    fresh_database,
    make_config,
    partners,
    schedule,
)

from publisher.db import Database  # noqa: E402
from publisher.dispatcher.claims import claim, record  # noqa: E402
from publisher.models import Delivery, DeliveryStatus  # noqa: E402
from publisher.services import accounts  # noqa: E402

PHASES = ("claim", "send", "record")


class Statements:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


def run(database_url: str, folder: Path, count: int) -> dict[str, list]:
    """Claim, send and record `count` due deliveries one by one; time each phase."""
    with partners(0.0) as (urls, arrived):
        config = make_config(folder, database_url, urls, "lanes", 4)
        database = Database(config.database_url)
        database.upgrade()
        with database.session() as session:
            for name, role in (("penyusun", "drafter"), ("editor", "editor")):
                accounts.create_user(session, name, role, "Kata-sandi-bench-2026")
        releases = approve_releases(database, config, -(-count // len(CHANNELS)))
        soon = datetime.now(UTC) + timedelta(seconds=1)
        jobs = [(r, c, soon) for r in releases for c in CHANNELS][:count]
        schedule(database, config, jobs)
        with database.session() as session:
            ids = list(
                session.scalars(
                    Delivery.__table__.select()
                    .with_only_columns(Delivery.id)
                    .order_by(Delivery.id)
                )
            )
        time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.1)
        statements = Statements(database.engine)
        times: dict[str, list[float]] = {p: [] for p in PHASES}
        cpus: dict[str, list[float]] = {p: [] for p in PHASES}
        sql: dict[str, int] = dict.fromkeys(PHASES, 0)
        sent = 0
        for delivery_id in ids:
            before, started, cpu = (
                statements.count,
                time.perf_counter(),
                time.thread_time(),
            )
            with database.session() as session:
                claimed = claim(
                    session, config, delivery_id, owner="bench", now=datetime.now(UTC)
                )
            times["claim"].append(time.perf_counter() - started)
            cpus["claim"].append(time.thread_time() - cpu)
            sql["claim"] += statements.count - before
            assert claimed is not None, f"delivery {delivery_id} was not claimed"
            before, started, cpu = (
                statements.count,
                time.perf_counter(),
                time.thread_time(),
            )
            outcome = config.adapter(claimed.channel).deliver(
                claimed.rendition, claimed.idempotency_key
            )
            times["send"].append(time.perf_counter() - started)
            cpus["send"].append(time.thread_time() - cpu)
            sql["send"] += statements.count - before
            before, started, cpu = (
                statements.count,
                time.perf_counter(),
                time.thread_time(),
            )
            with database.session() as session:
                transition = record(
                    session,
                    config,
                    delivery_id,
                    outcome,
                    owner="bench",
                    now=datetime.now(UTC),
                )
            times["record"].append(time.perf_counter() - started)
            cpus["record"].append(time.thread_time() - cpu)
            sql["record"] += statements.count - before
            sent += transition is not None and transition.status == DeliveryStatus.SENT
        database.dispose()
    assert sent == len(ids), f"only {sent} of {len(ids)} were recorded as sent"
    assert len(arrived) == len(ids), f"{len(arrived)} arrived of {len(ids)}"
    return {
        "times": times,
        "cpu": cpus,
        "sql": {p: n / len(ids) for p, n in sql.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL instead of SQLite")
    args = parser.parse_args()
    import publisher

    print(f"code: {Path(publisher.__file__).parent.parent}")
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}, {args.count}")
    with fresh_database(args.postgres) as (database_url, folder):
        result = run(database_url, folder, args.count)
    total = cpu_total = 0.0
    print(f"{'phase':8} {'median':>9} {'mean':>9} {'CPU':>9} {'SQL':>6}")
    for phase in PHASES:
        values = result["times"][phase]
        mean = statistics.fmean(values)
        cpu = statistics.fmean(result["cpu"][phase])
        total, cpu_total = total + mean, cpu_total + cpu
        print(
            f"{phase:8} {statistics.median(values) * 1000:7.2f}ms "
            f"{mean * 1000:7.2f}ms {cpu * 1000:7.2f}ms {result['sql'][phase]:6.1f}"
        )
    print(f"{'total':8} {'':>9} {total * 1000:7.2f}ms {cpu_total * 1000:7.2f}ms")


if __name__ == "__main__":
    main()
