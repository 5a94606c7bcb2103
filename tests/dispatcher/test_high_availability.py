"""Two `publisher dispatcher` processes on one PostgreSQL database (high availability).

Both processes plan every delivery and race for it; the claim (one conditional
UPDATE) lets one win. The receiver counts what arrives by Idempotency-Key, so a
delivery sent twice or never shows. In the second test one process is killed with
SIGKILL in the middle of a burst: what it had under way is found by the other's
reaper and marked `unknown` for an editor (a webhook is not idempotent), never sent
again; nothing is lost. Runs when PUBLISHER_TEST_POSTGRES_URL is set (`.ci/run`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
import yaml
from conftest import BASE_CONFIG, WEBHOOK_SECRET
from sqlalchemy import func, select
from support import Reply, wait_until

from publisher.config import parse_config
from publisher.models import (
    PENDING_DELIVERY,
    AuditEvent,
    Delivery,
    DeliveryStatus,
    DispatcherHeartbeat,
    User,
    utcnow,
)
from publisher.services import scheduling
from tests.support import postgres_schema

pytestmark = pytest.mark.postgres

CHANNELS = [f"mitra_{n}" for n in range(10)]


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url


@pytest.fixture
def lease_seconds() -> float:
    """Longer than any send takes on a loaded test machine: no live sender is
    taken for dead (the kill test shortens it, to find the dead one sooner)."""
    return 30


@pytest.fixture
def config(tmp_path, database_url, receiver, lease_seconds):
    """Ten partner webhooks on one receiver, and nothing slow to render."""
    raw = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    raw["database_url"] = database_url
    raw["dispatcher"] = {
        "poll_seconds": 0.2,
        "lease_seconds": lease_seconds,
        "heartbeat_seconds": 1,
    }
    raw["channels"] = {
        name: {
            "adapter": "webhook",
            "url": receiver.url,
            "secret": WEBHOOK_SECRET,
            "allow_networks": ["127.0.0.0/8"],
            "timeout": [2, 10],
        }
        for name in CHANNELS
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return parse_config(raw, path)


def start_dispatchers(config, tmp_path, count=2) -> list[subprocess.Popen]:
    """`count` real `publisher dispatcher` processes on the test's config."""
    return [
        subprocess.Popen(
            [sys.executable, "-m", "publisher", "--config", str(config.path)]
            + ["dispatcher"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        for _ in range(count)
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM (a clean stop) to whatever still runs."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def schedule_burst(database, config, release_ids) -> None:
    """Every channel of every release, all due at the same moment, in one commit."""
    due = utcnow() + timedelta(seconds=1)
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        for release_id in release_ids:
            scheduling.schedule(
                session,
                config,
                editor,
                release_id,
                scheduling.SchedulePlan(
                    deliveries=[{"channel": c, "planned_at": due} for c in CHANNELS]
                ),
            )


def both_alive(database) -> bool:
    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(DispatcherHeartbeat)) >= 2
        )


def settled(database) -> bool:
    """No delivery waits or is under way any more."""
    with database.session() as session:
        return not session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status.in_([*PENDING_DELIVERY, DeliveryStatus.SENDING]))
        )


def outcomes(database) -> dict[str, str]:
    """Each delivery's status by its idempotency key."""
    with database.session() as session:
        return {d.idempotency_key: d.status for d in session.query(Delivery)}


def test_two_dispatchers_send_500_deliveries_once_each(
    tmp_path, config, database, approved_release, receiver
):
    releases = [approved_release(f"Rilis {n}") for n in range(50)]
    processes = start_dispatchers(config, tmp_path)
    try:
        assert wait_until(lambda: both_alive(database), timeout=30)
        schedule_burst(database, config, releases)
        assert receiver.wait_for(500, timeout=60)
        assert wait_until(lambda: settled(database), timeout=30)
    finally:
        stop(processes)
    arrived = Counter(r.headers["Idempotency-Key"] for r in receiver.received)
    status = outcomes(database)
    assert len(status) == 500
    assert set(arrived) == set(status)  # none lost
    assert max(arrived.values()) == 1  # none twice
    assert set(status.values()) == {DeliveryStatus.SENT}, Counter(status.values())
    with database.session() as session:
        senders = {
            e.detail["process"]
            for e in session.query(AuditEvent).filter_by(action="delivery.sending")
        }
    assert len(senders) == 2  # both processes won a share of the burst


@pytest.mark.parametrize("lease_seconds", [8])
def test_a_dispatcher_killed_mid_burst_loses_nothing_and_sends_nothing_twice(
    tmp_path, config, database, approved_release, receiver, client, accounts_
):
    receiver.default = Reply(delay=0.2)
    releases = [approved_release(f"Rilis {n}") for n in range(20)]
    processes = start_dispatchers(config, tmp_path)
    try:
        assert wait_until(lambda: both_alive(database), timeout=30)
        schedule_burst(database, config, releases)
        assert receiver.wait_for(60, timeout=60)  # the burst is under way …
        processes[0].send_signal(signal.SIGKILL)  # … and one sender dies
        processes[0].wait(timeout=10)
        assert wait_until(lambda: settled(database), timeout=60)
    finally:
        stop(processes)

    arrived = Counter(r.headers["Idempotency-Key"] for r in receiver.received)
    status = outcomes(database)
    assert len(status) == 200
    assert max(arrived.values()) == 1  # none twice
    assert set(status.values()) <= {DeliveryStatus.SENT, DeliveryStatus.UNKNOWN}
    sent = {key for key, s in status.items() if s == DeliveryStatus.SENT}
    unknown = {key for key, s in status.items() if s == DeliveryStatus.UNKNOWN}
    assert sent <= set(arrived)  # what says sent arrived
    assert set(arrived) <= sent | unknown  # what arrived is accounted for
    assert unknown  # the kill caught requests in flight: a person must check them

    # The editor sees each of them, with why, in the deliveries list.
    listed = client.get(
        "/api/v1/deliveries", headers=accounts_["editor"].headers
    ).get_json()["deliveries"]
    flagged = {d["id"] for d in listed if d["status"] == DeliveryStatus.UNKNOWN}
    with database.session() as session:
        expected = {
            d.id
            for d in session.query(Delivery).filter_by(status=DeliveryStatus.UNKNOWN)
        }
    assert flagged == expected
    codes = {
        d["error"]["code"] for d in listed if d["status"] == DeliveryStatus.UNKNOWN
    }
    assert codes == {"delivery.sender_stopped_check"}
