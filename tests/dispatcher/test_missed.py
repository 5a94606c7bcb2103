"""A delivery that comes due later than its channel's `max_lateness` (the dispatcher
was down) is not sent stale: it becomes "missed" and waits for an editor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import plan
from support import wait_until

from publisher.dispatcher import Dispatcher
from publisher.models import AuditEvent, Delivery, DeliveryStatus, utcnow


@pytest.fixture
def extra_channels(webhook_channel):
    """The webhook channel at the local receiver, with the default 6 h limit, and
    one that allows only 30 minutes."""
    return {
        "situs_web": webhook_channel,
        "situs_cepat": {**webhook_channel, "max_lateness": "30m"},
    }


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(minutes=1)

    def __call__(self):
        return self.now


def delivery(database, delivery_id: int) -> Delivery:
    with database.session() as session:
        row = session.get(Delivery, delivery_id)
        session.expunge(row)
        return row


def actions(database, delivery_id: int) -> list[str]:
    with database.session() as session:
        return [
            e.action
            for e in session.query(AuditEvent)
            .filter_by(delivery_id=delivery_id)
            .order_by(AuditEvent.id)
        ]


def test_seven_hours_late_is_missed_and_nothing_is_sent(
    database, config, approved_release, receiver
):
    clock = FakeClock()
    worker = Dispatcher(config, database, name="proses-uji", clock=clock)
    [late] = plan(
        database,
        config,
        approved_release(),
        clock.now + timedelta(seconds=30),
        "situs_web",
    )
    clock.now += timedelta(hours=7)  # the dispatcher was down all this while
    assert worker.sweep() == [late]
    worker.run_delivery(late)

    assert receiver.received == []
    row = delivery(database, late)
    assert row.status == DeliveryStatus.MISSED
    assert row.attempts == 0  # nothing was attempted
    assert row.error["code"] == "delivery.missed"
    assert row.error["params"]["late_duration"] == 7 * 3600 - 30
    assert row.error["params"]["max_lateness_duration"] == 6 * 3600
    assert actions(database, late)[-1] == "delivery.missed"
    # Missed stays missed until an editor decides: later sweeps leave it alone.
    assert worker.sweep() == []


def test_each_channel_has_its_own_limit(database, config, approved_release, receiver):
    clock = FakeClock()
    worker = Dispatcher(config, database, name="proses-uji", clock=clock)
    [default, strict] = plan(
        database, config, approved_release(), clock.now, "situs_web", "situs_cepat"
    )
    clock.now += timedelta(minutes=45)
    for delivery_id in worker.sweep():
        worker.run_delivery(delivery_id)
    assert delivery(database, default).status == DeliveryStatus.SENT
    assert delivery(database, strict).status == DeliveryStatus.MISSED
    assert len(receiver.received) == 1


def test_a_started_dispatcher_does_not_send_what_was_due_seven_hours_ago(
    database, config, approved_release, receiver
):
    [delivery_id] = plan(
        database,
        config,
        approved_release(),
        utcnow() + timedelta(minutes=5),
        "situs_web",
    )
    with database.session() as session:  # it came due while no dispatcher ran
        session.get(Delivery, delivery_id).planned_at = utcnow() - timedelta(hours=7)

    worker = Dispatcher(config, database)
    worker.start()
    try:
        assert wait_until(
            lambda: delivery(database, delivery_id).status == DeliveryStatus.MISSED
        )
    finally:
        worker.shutdown()
    assert receiver.received == []
