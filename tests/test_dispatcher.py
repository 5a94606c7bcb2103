"""The dispatcher: on time, exactly once, across restarts, with honest outcomes.

Most tests drive a dispatcher that is never started: a fake clock says what time it
is, and the test calls `sweep()` and `run_delivery()` as APScheduler would, so
backoff, leases and embargoes are exact and nothing sleeps. Two smoke tests run
the real scheduler: one delivery through APScheduler at its planned time, and two
dispatchers starting after deliveries came due while none ran.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from conftest import WEBHOOK_SECRET, plan
from support import Reply, wait_until

from channel_adapters.http.webhook import WebhookAdapter
from publisher.dispatcher import Dispatcher
from publisher.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    Release,
    ReleaseStatus,
    Revision,
    User,
    utcnow,
)
from publisher.services import drafting


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def extra_channels(webhook_channel):
    """The webhook channel, with a short read timeout for the timeout test."""
    return {"situs_web": {**webhook_channel, "timeout": [2, 0.3]}}


@pytest.fixture
def clock() -> FakeClock:
    """A minute ahead of the real time: the scheduling service stores a time that
    is already past as its own (real) now, so "now" here must still lie ahead."""
    return FakeClock(utcnow() + timedelta(minutes=1))


@pytest.fixture
def dispatcher(config, database, clock) -> Dispatcher:
    """A dispatcher that is not started: the test is its scheduler."""
    return Dispatcher(config, database, name="proses-uji", clock=clock)


def run_due(worker: Dispatcher) -> dict[int, str | None]:
    """One sweep and the jobs it would plan, run at the clock's time."""
    return {i: worker.run_delivery(i) for i in worker.sweep()}


def deliveries(database, release_id):
    """The release's deliveries by channel."""
    with database.session() as session:
        rows = session.query(Delivery).filter_by(release_id=release_id).all()
        return {d.channel: d for d in rows}


def actions(database, release_id):
    """The release's audit trail as (actor, action) pairs."""
    with database.session() as session:
        return [
            (e.actor_label, e.action)
            for e in session.query(AuditEvent)
            .filter_by(release_id=release_id)
            .order_by(AuditEvent.id)
        ]


@contextmanager
def running(config, database, **options):
    """A started dispatcher, shut down afterwards."""
    worker = Dispatcher(config, database, **options)
    worker.start()
    try:
        yield worker
    finally:
        worker.shutdown()


# --- on time, once -------------------------------------------------------------------


def test_a_delivery_leaves_at_its_planned_time_once_and_is_audited(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now + timedelta(seconds=60), "situs_web")
    delivery_id = deliveries(database, release_id)["situs_web"].id
    clock.advance(59)
    assert run_due(dispatcher) == {delivery_id: None}  # planned, not yet due
    assert receiver.received == []
    clock.advance(1)
    assert run_due(dispatcher) == {delivery_id: DeliveryStatus.SENT}
    assert run_due(dispatcher) == {}
    assert dispatcher.run_delivery(delivery_id) is None  # a late job does nothing
    assert len(receiver.received) == 1
    delivery = deliveries(database, release_id)["situs_web"]
    assert (delivery.attempts, delivery.remote_id, delivery.error) == (
        1,
        "remote-1",
        None,
    )
    assert delivery.sent_at == clock.now
    with database.session() as session:
        assert session.get(Release, release_id).status == ReleaseStatus.PUBLISHED
    assert actions(database, release_id) == [
        ("penyusun", "release.created"),
        ("penyusun", "release.submitted"),
        ("editor", "release.approved"),
        ("editor", "delivery.scheduled"),
        ("dispatcher", "delivery.sending"),
        ("dispatcher", "delivery.sent"),
        ("dispatcher", "release.published"),
    ]


def test_the_sweep_plans_only_what_is_due_within_the_lookahead(
    database, config, approved_release, dispatcher, clock
):
    lookahead = config.dispatcher.lookahead_seconds
    release_id = approved_release()
    plan(database, config, release_id, clock.now + timedelta(hours=1), "situs_web")
    assert dispatcher.sweep() == []
    clock.advance(3600 - lookahead)
    assert dispatcher.sweep() == [deliveries(database, release_id)["situs_web"].id]


def test_two_dispatchers_send_each_delivery_once(
    database, config, approved_release, receiver, clock
):
    first = Dispatcher(config, database, name="proses-a", clock=clock)
    second = Dispatcher(config, database, name="proses-b", clock=clock)
    ids = [approved_release(f"Rilis {n}") for n in range(3)]
    for release_id in ids:
        plan(database, config, release_id, clock.now, "situs_web", "mitra_online")
    due = first.sweep()
    assert second.sweep() == due
    for delivery_id in due:  # both planned every row; whoever claims first wins
        assert first.run_delivery(delivery_id) == DeliveryStatus.SENT
        assert second.run_delivery(delivery_id) is None
    titles = sorted(r.json()["release"]["title"] for r in receiver.received)
    assert titles == ["Rilis 0", "Rilis 1", "Rilis 2"]
    for release_id in ids:
        assert {d.attempts for d in deliveries(database, release_id).values()} == {1}


def test_webhook_is_signed_and_carries_a_stable_idempotency_key(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    run_due(dispatcher)
    request = receiver.received[0]
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    assert request.headers["X-Publisher-Signature"] == f"sha256={expected}"
    delivery = deliveries(database, release_id)["situs_web"]
    assert request.headers["Idempotency-Key"] == delivery.idempotency_key


# --- failures ------------------------------------------------------------------------


def test_server_error_is_retried_with_backoff_then_sent(
    database, config, approved_release, receiver, dispatcher, clock
):
    receiver.replies.append(Reply(status=503, body={"error": "maintenance"}))
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.RETRYING]
    delivery = deliveries(database, release_id)["situs_web"]
    first_step = config.dispatcher.retry_base_seconds
    assert delivery.next_attempt_at == clock.now + timedelta(seconds=first_step)
    assert "503" in str(delivery.error["params"])  # the adapter's notice, as given
    clock.advance(first_step - 1)
    assert receiver.received[1:] == [] and not any(run_due(dispatcher).values())
    clock.advance(1)
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.SENT]
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body  # the frozen bytes
    delivery = deliveries(database, release_id)["situs_web"]
    assert (delivery.attempts, delivery.error) == (2, None)


def test_retryable_errors_give_up_after_max_attempts_keeping_the_cause(
    database, config, approved_release, receiver, dispatcher, clock
):
    receiver.default = Reply(status=503, body={"error": "maintenance"})
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    waits = []
    for _ in range(config.dispatcher.max_attempts):
        before = clock.now
        run_due(dispatcher)
        delivery = deliveries(database, release_id)["situs_web"]
        if delivery.status == DeliveryStatus.RETRYING:
            waits.append((delivery.next_attempt_at - before).total_seconds())
            clock.now = delivery.next_attempt_at
    assert waits == [30, 60, 120, 240, 480, 960, 1920]  # max_attempts 8: 7 waits
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == config.dispatcher.max_attempts
    assert "503" in str(delivery.error["params"])
    clock.advance(86400)
    assert run_due(dispatcher) == {}
    assert len(receiver.received) == config.dispatcher.max_attempts


def test_retry_after_is_honoured_up_to_the_configured_cap(
    database, config, approved_release, receiver, dispatcher, clock
):
    receiver.replies.append(Reply(status=429, headers={"Retry-After": "999999"}))
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    run_due(dispatcher)
    delivery = deliveries(database, release_id)["situs_web"]
    cap = timedelta(seconds=config.dispatcher.retry_max_seconds)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.next_attempt_at == clock.now + cap


def test_refusal_fails_at_once_with_the_partners_message(
    database, config, approved_release, receiver, dispatcher, clock
):
    receiver.default = Reply(status=422, body={"message": "judul terlalu panjang"})
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.FAILED]
    delivery = deliveries(database, release_id)["situs_web"]
    assert "judul terlalu panjang" in str(delivery.error["params"])
    assert len(receiver.received) == 1


def test_timeout_after_sending_is_unknown_and_never_resent(
    database, config, approved_release, receiver, dispatcher, clock
):
    receiver.default = Reply(delay=1.0)  # longer than the 0.3 s read timeout
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.UNKNOWN]
    clock.advance(86400)
    assert run_due(dispatcher) == {}
    assert len(receiver.received) == 1


def test_an_adapter_crash_is_an_internal_error_not_a_refusal(
    database, config, approved_release, receiver, dispatcher, clock, monkeypatch, caplog
):
    def broken(self, rendition, key):
        raise KeyError("payload")

    monkeypatch.setattr(WebhookAdapter, "deliver", broken)
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    with caplog.at_level(logging.ERROR, logger="publisher.dispatcher"):
        assert list(run_due(dispatcher).values()) == [DeliveryStatus.FAILED]
    delivery = deliveries(database, release_id)["situs_web"]
    assert delivery.error == {
        "code": "delivery.internal_error",
        "params": {"adapter": "webhook", "error": "KeyError"},
    }
    crash = next(r for r in caplog.records if "crashed" in r.getMessage())
    assert crash.exc_info and crash.exc_info[0] is KeyError  # the traceback is logged


# --- guards and leases ---------------------------------------------------------------


def test_a_dead_senders_lease_is_recovered_by_what_is_safe(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web", "mitra_online")
    with database.session() as session:  # a process claimed both, then died
        for d in session.query(Delivery).filter_by(release_id=release_id):
            d.status = DeliveryStatus.SENDING
            d.lease_owner = "mati:1"
            d.lease_expires_at = clock.now + timedelta(seconds=10)
            d.attempts = 1
    assert run_due(dispatcher) == {}  # the lease still runs
    clock.advance(11)
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.SENT]
    rows = deliveries(database, release_id)
    assert rows["mitra_online"].attempts == 2  # rss is idempotent: sent again
    webhook = rows["situs_web"]
    assert webhook.status == DeliveryStatus.UNKNOWN  # may have been posted: a human
    assert webhook.error == {
        "code": "delivery.sender_stopped_check",
        "params": {"process": "mati:1"},
    }
    assert receiver.received == []


def test_edit_after_approval_cancels_waiting_deliveries(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now + timedelta(seconds=1), "situs_web")
    with database.session() as session:
        drafter = session.query(User).filter_by(username="penyusun").one()
        drafting.update_release(
            session,
            drafter,
            release_id,
            drafting.parse_content({"title": "Judul baru"}, partial=True),
        )
    clock.advance(2)
    assert run_due(dispatcher) == {}
    delivery = deliveries(database, release_id)["situs_web"]
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.error == {"code": "delivery.cancelled_by_edit", "params": {}}
    assert receiver.received == []


def test_a_delivery_is_held_until_the_embargo_without_counting_an_attempt(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    embargo = clock.now + timedelta(minutes=5)
    with database.session() as session:  # the embargo moved after scheduling
        session.query(Revision).filter_by(
            release_id=release_id
        ).one().embargo_at = embargo
    assert list(run_due(dispatcher).values()) == [None]
    delivery = deliveries(database, release_id)["situs_web"]
    assert (delivery.status, delivery.next_attempt_at, delivery.attempts) == (
        DeliveryStatus.SCHEDULED,
        embargo,
        0,
    )
    assert ("dispatcher", "delivery.held_for_embargo") in actions(database, release_id)
    clock.now = embargo
    assert list(run_due(dispatcher).values()) == [DeliveryStatus.SENT]
    assert deliveries(database, release_id)["situs_web"].attempts == 1
    assert len(receiver.received) == 1


def test_a_cancelled_release_is_not_sent(
    database, config, approved_release, receiver, dispatcher, clock
):
    release_id = approved_release()
    plan(database, config, release_id, clock.now, "situs_web")
    with database.session() as session:  # withdrawn behind the service's back
        session.get(Release, release_id).status = ReleaseStatus.WITHDRAWN
    run_due(dispatcher)
    delivery = deliveries(database, release_id)["situs_web"]
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.error == {"code": "delivery.not_approved", "params": {}}
    assert receiver.received == []


# --- real time: APScheduler as the clock (smoke tests) --------------------------------


def test_a_delivery_planned_by_another_process_is_sent_on_time(
    database, config, approved_release, receiver
):
    """No in-process signal: only the database poll and APScheduler's job find it."""
    release_id = approved_release()
    with running(config, database, wake_on_commit=False):
        planned = utcnow() + timedelta(seconds=2)
        plan(database, config, release_id, planned, "situs_web")
        request = receiver.wait_for(1)[0]
    lateness = request.at - planned.timestamp()
    assert 0 <= lateness < config.dispatcher.poll_seconds + 1


def test_deliveries_due_while_stopped_are_sent_once_by_two_starting_dispatchers(
    database, config, approved_release, receiver
):
    ids = [approved_release(f"Rilis {n}") for n in range(3)]
    for release_id in ids:
        plan(database, config, release_id, utcnow(), "situs_web", "mitra_online")
    with database.session() as session:  # they came due while no dispatcher ran
        for d in session.query(Delivery):
            d.planned_at = utcnow() - timedelta(seconds=5)

    def all_sent() -> bool:
        return all(
            d.status == DeliveryStatus.SENT
            for release_id in ids
            for d in deliveries(database, release_id).values()
        )

    with running(config, database, name="proses-a"):
        with running(config, database, name="proses-b"):
            assert wait_until(all_sent)
    # Both have stopped, jobs in flight included: nothing more can arrive.
    titles = sorted(r.json()["release"]["title"] for r in receiver.received)
    assert titles == ["Rilis 0", "Rilis 1", "Rilis 2"]
    with database.session() as session:
        assert {d.attempts for d in session.query(Delivery)} == {1}
        assert {r.status for r in session.query(Release)} == {ReleaseStatus.PUBLISHED}
