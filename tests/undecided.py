"""Deliveries that wait for an editor, made the way production makes them: a
partner that hangs up (unknown) and a dispatcher that was down for 7 h (missed).

Test modules import these fixtures (`from undecided import unknown, missed, …`);
each needs a `situs_web` webhook channel at the `receiver`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import plan
from support import Reply

from publisher.dispatcher import Dispatcher
from publisher.models import Delivery, utcnow


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(minutes=1)

    def __call__(self):
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def worker(config, database, clock) -> Dispatcher:
    """A dispatcher that is not started: the test runs its jobs."""
    return Dispatcher(config, database, name="proses-uji", clock=clock)


def run_due(worker: Dispatcher) -> None:
    for delivery_id in worker.sweep():
        worker.run_delivery(delivery_id)


@pytest.fixture
def unknown(database, config, approved_release, receiver, worker, clock):
    """(release id, delivery id) of a delivery whose outcome is unknown: the
    partner took the request and hung up without an answer."""
    release_id = approved_release("Rilis dengan hasil belum pasti")
    [delivery_id] = plan(database, config, release_id, clock.now, "situs_web")
    receiver.replies.append(Reply(hang_up=True))
    run_due(worker)
    assert row(database, delivery_id).status == "unknown"
    return release_id, delivery_id


@pytest.fixture
def missed(database, config, approved_release, receiver, worker, clock):
    """(release id, delivery id) of a delivery the dispatcher reached 7 h late."""
    release_id = approved_release("Rilis yang terlewat")
    [delivery_id] = plan(database, config, release_id, clock.now, "situs_web")
    clock.now += timedelta(hours=7)
    run_due(worker)
    assert row(database, delivery_id).status == "missed"
    return release_id, delivery_id


def row(database, delivery_id: int) -> Delivery:
    with database.session() as session:
        found = session.get(Delivery, delivery_id)
        session.expunge(found)
        return found
