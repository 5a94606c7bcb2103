"""Many deliveries at once, and a few at idle: per-channel lanes against the old pool.

Ten partner servers (one per channel) run in a separate process, each taking
`--delay` seconds (200 ms) to answer; each request is recorded with its arrival
time and Idempotency-Key. Two scenarios, each in three set-ups side by side:

- burst: `--burst` deliveries (1,000) across the ten channels, all planned for the
  same second. Reported: the first and the last arrival after the planned time
  (the goal: all within 5 s), median and p99, duplicates and missing ones;
- idle: `--idle` deliveries (100) spread evenly over `--spread` seconds (60).
  Reported: lateness median, p99 (the goal: ≤ 100 ms) and worst.

Set-ups:
- lanes: this version (a lane per channel, `--concurrency` each, max_workers 64);
- lanes-2p: the same in two `publisher dispatcher` processes (PostgreSQL only);
- previous: `dispatcher.per_channel: false, max_workers: 4`, the single pool of
  four threads shared by every channel that came before;
- ceiling: no publisher at all; a thread pool (as wide as the lanes together) posts
  the same number of requests straight to the servers at the planned time: what
  the servers and this machine allow.

Usage:
  .venv/bin/python bench/dispatch_scale.py                     # SQLite
  .venv/bin/python bench/dispatch_scale.py --postgres URL      # PostgreSQL
  .venv/bin/python bench/dispatch_scale.py --quick             # idle over 10 s
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import BASE_CONFIG  # noqa: E402
from support import Receiver, Reply  # noqa: E402

from publisher.config import Config, parse_config  # noqa: E402
from publisher.db import Database  # noqa: E402
from publisher.dispatcher import Dispatcher  # noqa: E402
from publisher.models import (  # noqa: E402
    Delivery,
    DeliveryStatus,
    DispatcherHeartbeat,
    User,
)
from publisher.services import (  # noqa: E402
    accounts,
    drafting,
    scheduling,
    workflow,
)

CHANNELS = [f"mitra_{n}" for n in range(10)]
SECRET = "rahasia-bench-yang-panjang"


# --- the partners' servers, in their own process ------------------------------------


def _serve(count: int, delay: float, ports, stop, results) -> None:
    """Run `count` receivers until `stop`; then send back (channel, key, at) rows."""
    receivers = [Receiver().start() for _ in range(count)]
    for receiver in receivers:
        receiver.default = Reply(delay=delay)
    ports.put([r.url for r in receivers])
    stop.wait()
    rows = [
        (n, r.headers.get("Idempotency-Key", ""), r.at)
        for n, receiver in enumerate(receivers)
        for r in receiver.received
    ]
    for receiver in receivers:
        receiver.stop()
    results.put(rows)


@contextmanager
def partners(delay: float):
    """Ten slow partner servers in a child process: their URLs, then what arrived."""
    context = multiprocessing.get_context("spawn")
    ports, results, stop = context.Queue(), context.Queue(), context.Event()
    child = context.Process(
        target=_serve, args=(len(CHANNELS), delay, ports, stop, results)
    )
    child.start()
    arrived: list[tuple[int, str, float]] = []
    try:
        yield ports.get(timeout=30), arrived
    finally:
        stop.set()
        arrived.extend(results.get(timeout=60))
        child.join(timeout=30)


# --- the publisher's side -----------------------------------------------------------


def make_config(folder: Path, database_url: str, urls, mode: str, conc: int) -> Config:
    """Ten webhook channels, one per partner server, in the given dispatcher mode."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["database_url"] = database_url
    raw["dispatcher"] = {"poll_seconds": 1, "heartbeat_seconds": 10}
    if mode == "previous":
        raw["dispatcher"].update(per_channel=False, max_workers=4)
    raw["channels"] = {
        name: {
            "adapter": "webhook",
            "url": url,
            "secret": SECRET,
            "allow_networks": ["127.0.0.0/8"],
            "concurrency": conc,
        }
        for name, url in zip(CHANNELS, urls, strict=True)
    }
    path = folder / f"config-{mode}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return parse_config(raw, path)


def approve_releases(database: Database, config: Config, count: int) -> list[int]:
    """`count` approved releases, each frozen for all ten channels."""
    with database.session() as session:
        drafter = session.query(User).filter_by(username="penyusun").one()
        editor = session.query(User).filter_by(username="editor").one()
        made = []
        for n in range(count):
            release = drafting.create_release(
                session,
                drafter,
                drafting.ReleaseContent(
                    title=f"Rilis {uuid.uuid4().hex[:8]} {n}",
                    lead="Ringkasan.",
                    body="Isi.",
                ),
            )
            workflow.submit(session, drafter, release.id)
            workflow.approve(session, config, editor, release.id)
            made.append(release.id)
    return made


def schedule(database, config, jobs: list[tuple[int, str, datetime]]) -> None:
    """Schedule (release, channel, planned_at) in one commit."""
    by_release: dict[int, list] = {}
    for release_id, channel, when in jobs:
        by_release.setdefault(release_id, []).append(
            {"channel": channel, "planned_at": when}
        )
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        for release_id, items in by_release.items():
            scheduling.schedule(
                session,
                config,
                editor,
                release_id,
                scheduling.SchedulePlan(deliveries=items),
            )


def keys_and_status(database, release_ids) -> dict[str, str]:
    """Idempotency key → status for these releases' deliveries."""
    with database.session() as session:
        rows = session.query(Delivery).filter(Delivery.release_id.in_(release_ids))
        return {d.idempotency_key: d.status for d in rows}


@contextmanager
def dispatchers(config: Config, database: Database, processes: int):
    """One dispatcher in this process, or `processes` real `publisher dispatcher`
    processes (high availability, PostgreSQL only); running and beating."""
    if not processes:
        worker = Dispatcher(config, database, name="bench")
        worker.start()
        try:
            yield
        finally:
            worker.shutdown()
        return
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "publisher", "--config", str(config.path)]
            + ["dispatcher"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=config.path.parent,
        )
        for _ in range(processes)
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with database.session() as session:
                beating = session.query(DispatcherHeartbeat).count()
            if beating >= processes:
                break
            time.sleep(0.2)
        yield
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=60)


def run_publisher(database, config, release_ids, planned_times, wait, processes):
    """Start the dispatcher(s), schedule, wait until all is sent: planned time (Unix
    seconds) per idempotency key."""
    with dispatchers(config, database, processes):
        times = planned_times()
        jobs = [
            (release_id, channel, times[(n, c)])
            for n, release_id in enumerate(release_ids)
            for c, channel in enumerate(CHANNELS)
            if (n, c) in times
        ]
        started = time.monotonic()
        schedule(database, config, jobs)
        took = time.monotonic() - started
        if datetime.now(UTC) > min(when for _, _, when in jobs):
            print(f"  warning: scheduling took {took:.1f} s, past the planned time")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            status = keys_and_status(database, release_ids)
            if all(s == DeliveryStatus.SENT for s in status.values()):
                break
            time.sleep(0.2)
    with database.session() as session:
        rows = session.query(Delivery).filter(Delivery.release_id.in_(release_ids))
        return {d.idempotency_key: d.planned_at.timestamp() for d in rows}


def run_ceiling(urls, plan_times, width: int) -> dict[str, float]:
    """The same requests straight from a thread pool at the planned times."""
    planned = {}
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=width)
    session.mount("http://", adapter)

    def post(key: str, url: str) -> None:
        session.post(url, json={"key": key}, headers={"Idempotency-Key": key})

    order = sorted(plan_times.items(), key=lambda item: item[1])
    with ThreadPoolExecutor(width) as pool:
        for (n, c), when in order:
            key = f"ceiling-{n}-{c}"
            planned[key] = when.timestamp()
            pause = when.timestamp() - time.time()
            if pause > 0:
                time.sleep(pause)
            pool.submit(post, key, urls[c])
    return planned


# --- the scenarios --------------------------------------------------------------------


def burst_times(count: int, at: datetime) -> dict[tuple[int, int], datetime]:
    """`count` deliveries over the ten channels, all at `at`."""
    return {(n // len(CHANNELS), n % len(CHANNELS)): at for n in range(count)}


def idle_times(count: int, start: datetime, spread: float):
    """`count` deliveries, one channel after another, evenly over `spread` s."""
    step = spread / count
    return {
        (n // len(CHANNELS), n % len(CHANNELS)): start + timedelta(seconds=n * step)
        for n in range(count)
    }


def measure(kind, mode, args, database_url, folder):
    """One scenario in one set-up: lateness (ms) per arrival, duplicates, missing."""
    count = args.burst if kind == "burst" else args.idle
    lead = 20.0 if kind == "burst" else 3.0

    def planned_times() -> dict[tuple[int, int], datetime]:
        start = datetime.now(UTC) + timedelta(seconds=lead)
        if kind == "burst":
            return burst_times(count, start)
        return idle_times(count, start, args.spread)

    with partners(args.delay) as (urls, arrived):
        if mode == "ceiling":
            planned = run_ceiling(urls, planned_times(), len(CHANNELS) * args.conc)
            time.sleep(args.delay + 1)
        else:
            config = make_config(folder, database_url, urls, mode, args.conc)
            database = Database(config.database_url)
            try:
                planned = run_publisher(
                    database,
                    config,
                    args.prepared[(kind, mode)],
                    planned_times,
                    wait=lead + args.spread + 300,
                    processes=2 if mode == "lanes-2p" else 0,
                )
            finally:
                database.dispose()
    seen = Counter(key for _, key, _ in arrived)
    lateness = sorted(
        (at - planned[key]) * 1000 for _, key, at in arrived if key in planned
    )
    duplicates = sum(n - 1 for n in seen.values() if n > 1)
    missing = len(set(planned) - set(seen))
    return lateness, duplicates, missing


def pct(ordered: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of an ordered list."""
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report(kind: str, mode: str, lateness, duplicates: int, missing: int) -> None:
    """One line of the table."""
    if not lateness:
        print(f"{kind:5} {mode:8} nothing arrived (missing {missing})")
        return
    print(
        f"{kind:5} {mode:8} n={len(lateness):4}  first {lateness[0] / 1000:6.2f} s"
        f"  p50 {statistics.median(lateness) / 1000:6.2f} s"
        f"  p99 {pct(lateness, 99) / 1000:6.3f} s"
        f"  last {lateness[-1] / 1000:6.2f} s  duplicates {duplicates}"
        f"  missing {missing}"
    )


def prepare(database_url: str, folder: Path, args) -> dict:
    """Migrate, add accounts and approve the releases every run will schedule."""
    urls = ["http://127.0.0.1:9/hook"] * len(CHANNELS)
    config = make_config(folder, database_url, urls, "lanes", args.conc)
    database = Database(config.database_url)
    database.upgrade()
    with database.session() as session:
        accounts.create_user(session, "penyusun", "drafter", "Kata-sandi-bench-2026")
        accounts.create_user(session, "editor", "editor", "Kata-sandi-bench-2026")
    prepared = {}
    started = time.monotonic()
    for kind in args.kinds:
        count = args.burst if kind == "burst" else args.idle
        for mode in args.modes:
            if mode != "ceiling":
                releases = -(-count // len(CHANNELS))
                prepared[(kind, mode)] = approve_releases(database, config, releases)
    database.dispose()
    print(f"  (approved releases in {time.monotonic() - started:.0f} s)")
    return prepared


@contextmanager
def fresh_database(postgres: str | None):
    """A SQLite file in a temporary folder, or a fresh PostgreSQL schema."""
    with tempfile.TemporaryDirectory() as folder:
        if not postgres:
            yield f"sqlite:///{folder}/publisher.db", Path(folder)
            return
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(postgres)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in postgres else "?"
        try:
            yield f"{postgres}{separator}options=-csearch_path%3D{schema}", Path(folder)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def main() -> None:
    """Run the chosen scenarios and set-ups; print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL, not SQLite")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--idle", type=int, default=100)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--concurrency", dest="conc", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="idle over 10 s")
    parser.add_argument("--kinds", default="burst,idle")
    parser.add_argument(
        "--modes",
        default="lanes,previous,ceiling",
        help="lanes, previous, ceiling, and lanes-2p (two processes; PostgreSQL)",
    )
    args = parser.parse_args()
    # "sweep skipped: maximum number of running instances" while a burst keeps
    # the database busy is expected here; the table is the output.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    if args.quick:
        args.spread = 10.0
    args.kinds = args.kinds.split(",")
    args.modes = args.modes.split(",")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{backend}: {len(CHANNELS)} channels, servers answer in "
        f"{args.delay * 1000:.0f} ms, concurrency {args.conc} per channel"
    )
    with fresh_database(args.postgres) as (database_url, folder):
        args.prepared = prepare(database_url, folder, args)
        for kind in args.kinds:
            for mode in args.modes:
                report(kind, mode, *measure(kind, mode, args, database_url, folder))


if __name__ == "__main__":
    main()
