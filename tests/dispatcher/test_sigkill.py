"""A dispatcher killed with SIGKILL in the middle of a send: nothing goes out twice.

`publisher dispatcher` runs as a real process. The partner's receiver is slow, so
the kill lands while the webhook request is in flight. A second dispatcher takes
over: the webhook (not idempotent) goes to `unknown` for a person to check, never
resent; the radio script (idempotent, written to the outbox) is sent once more and
arrives; nothing is lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml
from conftest import plan
from support import Reply, wait_until

from publisher.config import parse_config
from publisher.dispatcher import Dispatcher
from publisher.models import Delivery, DeliveryStatus, utcnow


@pytest.fixture
def extra_channels(webhook_channel):
    """The office website's webhook, pointed at the local receiver."""
    return {"situs_web": webhook_channel}


def test_a_killed_dispatcher_never_sends_twice(
    tmp_path, config, database, approved_release, receiver
):
    receiver.default = Reply(delay=4.0)  # the kill lands while this one waits
    raw = yaml.safe_load(config.path.read_text(encoding="utf-8"))
    raw["dispatcher"] = {
        "poll_seconds": 0.2,
        "lease_seconds": 2,
        "heartbeat_seconds": 1,
    }
    path = tmp_path / "killed.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    config = parse_config(raw, path)

    plan(database, config, approved_release(), utcnow(), "situs_web")

    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "--config", str(path), "dispatcher"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert receiver.wait_for(1, timeout=30)  # the request is in flight …
    finally:
        process.send_signal(signal.SIGKILL)  # … and its sender dies
        process.wait(timeout=10)

    def status() -> str:
        with database.session() as session:
            return session.query(Delivery).one().status

    assert status() == DeliveryStatus.SENDING  # what the dead process left
    successor = Dispatcher(config, database, name="pengganti")
    successor.start()
    try:
        assert wait_until(lambda: status() == DeliveryStatus.UNKNOWN, timeout=20)
        time.sleep(1)  # time enough for a wrong resend to show
    finally:
        successor.shutdown()
    assert len(receiver.received) == 1  # sent once, never again
    with database.session() as session:
        delivery = session.query(Delivery).one()
        assert delivery.error["code"] == "delivery.sender_stopped_check"
