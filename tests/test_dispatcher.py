"""The dispatcher: on time, exactly once, across restarts, with honest outcomes."""

from __future__ import annotations

import hashlib
import hmac
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from conftest import WEBHOOK_SECRET
from support import Reply, wait_until

from publisher.dispatcher import Dispatcher
from publisher.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    Release,
    ReleaseStatus,
    User,
    utcnow,
)
from publisher.services import drafting, scheduling


@pytest.fixture
def extra_channels(webhook_channel):
    """The webhook channel, with a 1 s read timeout for the timeout test."""
    return {"situs_web": {**webhook_channel, "timeout": [2, 1]}}


def plan(database, config, release_id, when, *channels):
    """Schedule `channels` of a release at `when` as the editor."""
    with database.session() as session:
        editor = session.query(User).filter_by(username="editor").one()
        scheduling.schedule(
            session,
            config,
            editor,
            release_id,
            scheduling.SchedulePlan(
                deliveries=[{"channel": c, "planned_at": when} for c in channels]
            ),
        )


def deliveries(database, release_id):
    """The release's deliveries by channel."""
    with database.session() as session:
        rows = session.query(Delivery).filter_by(release_id=release_id).all()
        return {d.channel: d for d in rows}


@contextmanager
def running(config, database, **options):
    """A started dispatcher, shut down afterwards."""
    worker = Dispatcher(config, database, **options)
    worker.start()
    try:
        yield worker
    finally:
        worker.shutdown()


def wait_status(database, release_id, channel, status, timeout=10.0) -> bool:
    """Wait until the release's delivery to `channel` has `status`."""
    return wait_until(
        lambda: deliveries(database, release_id)[channel].status == status, timeout
    )


def force_due(database, release_id, seconds_ago=5):
    """Pretend the planned time passed while no dispatcher ran."""
    with database.session() as session:
        for d in session.query(Delivery).filter_by(release_id=release_id):
            d.planned_at = utcnow() - timedelta(seconds=seconds_ago)


def test_deliveries_due_while_stopped_are_sent_once_by_two_starting_dispatchers(
    database, config, approved_release, receiver
):
    ids = [approved_release(f"Rilis {n}") for n in range(3)]
    for release_id in ids:
        plan(
            database,
            config,
            release_id,
            utcnow() + timedelta(seconds=30),
            "situs_web",
            "mitra_online",
        )
        force_due(database, release_id)

    first = Dispatcher(config, database, name="proses-a")
    second = Dispatcher(config, database, name="proses-b")
    first.start()
    second.start()
    try:
        assert wait_until(
            lambda: all(
                d.status == DeliveryStatus.SENT
                for release_id in ids
                for d in deliveries(database, release_id).values()
            )
        )
        time.sleep(1.5)  # both have swept several times since
    finally:
        first.shutdown()
        second.shutdown()

    titles = sorted(r.json()["release"]["title"] for r in receiver.received)
    assert titles == ["Rilis 0", "Rilis 1", "Rilis 2"]
    for release_id in ids:
        for delivery in deliveries(database, release_id).values():
            assert delivery.attempts == 1
    with database.session() as session:
        assert {r.status for r in session.query(Release)} == {ReleaseStatus.PUBLISHED}


def test_webhook_is_signed_and_carries_a_stable_idempotency_key(
    database, config, approved_release, receiver
):
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        request = receiver.wait_for(1)[0]
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    assert request.headers["X-Publisher-Signature"] == f"sha256={expected}"
    delivery = deliveries(database, release_id)["situs_web"]
    assert request.headers["Idempotency-Key"] == delivery.idempotency_key
    assert delivery.remote_id == "remote-1"


def test_server_error_is_retried_with_backoff_then_sent(
    database, config, approved_release, receiver
):
    receiver.replies.append(Reply(status=503, body={"error": "maintenance"}))
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.RETRYING)
        delivery = deliveries(database, release_id)["situs_web"]
        wait = (delivery.next_attempt_at - utcnow()).total_seconds()
        assert 20 < wait <= 30  # first backoff step is retry_base_seconds (30 s)
        assert "503" in str(delivery.error)
        # Bring the retry forward instead of waiting half a minute.
        with database.session() as session:
            session.get(Delivery, delivery.id).next_attempt_at = utcnow()
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.SENT)
    assert len(receiver.received) == 2
    assert receiver.received[0].body == receiver.received[1].body  # the frozen bytes
    assert deliveries(database, release_id)["situs_web"].attempts == 2


def test_refusal_fails_at_once_with_the_partners_message(
    database, config, approved_release, receiver
):
    receiver.default = Reply(status=422, body={"message": "judul terlalu panjang"})
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.FAILED)
    delivery = deliveries(database, release_id)["situs_web"]
    assert "judul terlalu panjang" in str(delivery.error)
    assert len(receiver.received) == 1


def test_timeout_after_sending_is_unknown_and_never_resent(
    database, config, approved_release, receiver
):
    receiver.default = Reply(delay=2.5)  # longer than the 1 s read timeout
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.UNKNOWN)
        time.sleep(1.5)
    assert len(receiver.received) == 1


def test_a_dead_senders_lease_is_recovered_by_what_is_safe(
    database, config, approved_release, receiver
):
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web", "mitra_online")
    with database.session() as session:  # a process claimed both, then died
        for d in session.query(Delivery).filter_by(release_id=release_id):
            d.status = DeliveryStatus.SENDING
            d.lease_owner = "mati:1"
            d.lease_expires_at = utcnow() - timedelta(seconds=1)
            d.attempts = 1
    with running(config, database):
        assert wait_status(database, release_id, "mitra_online", DeliveryStatus.SENT)
    webhook = deliveries(database, release_id)["situs_web"]
    assert (
        webhook.status == DeliveryStatus.UNKNOWN
    )  # may have been posted: a human checks
    assert "mati:1" in str(webhook.error)
    assert receiver.received == []


def test_edit_after_approval_cancels_waiting_deliveries(
    database, config, approved_release, receiver
):
    release_id = approved_release()
    plan(database, config, release_id, utcnow() + timedelta(seconds=1), "situs_web")
    with database.session() as session:
        drafter = session.query(User).filter_by(username="penyusun").one()
        drafting.update_release(
            session,
            drafter,
            release_id,
            drafting.parse_content({"title": "Judul baru"}, partial=True),
        )
    with running(config, database):
        time.sleep(2)
    assert (
        deliveries(database, release_id)["situs_web"].status == DeliveryStatus.CANCELLED
    )
    assert receiver.received == []


def test_a_delivery_planned_by_another_process_is_sent_on_time(
    database, config, approved_release, receiver
):
    """No in-process signal: only the database poll can find this delivery."""
    release_id = approved_release()
    with running(config, database, wake_on_commit=False):
        planned = utcnow() + timedelta(seconds=2)
        plan(database, config, release_id, planned, "situs_web")
        request = receiver.wait_for(1)[0]
    lateness = request.at - planned.timestamp()
    assert 0 <= lateness < config.dispatcher.poll_seconds + 1


def test_every_step_is_in_the_audit_trail(database, config, approved_release, receiver):
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        receiver.wait_for(1)
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.SENT)
    with database.session() as session:
        actions = [
            (e.actor_label, e.action)
            for e in session.query(AuditEvent)
            .filter_by(release_id=release_id)
            .order_by(AuditEvent.id)
        ]
    assert actions == [
        ("penyusun", "release.created"),
        ("penyusun", "release.submitted"),
        ("editor", "release.approved"),
        ("editor", "delivery.scheduled"),
        ("dispatcher", "delivery.sending"),
        ("dispatcher", "delivery.sent"),
        ("dispatcher", "release.published"),
    ]


def test_retry_after_is_honoured_up_to_the_configured_cap(
    database, config, approved_release, receiver
):
    receiver.replies.append(Reply(status=429, headers={"Retry-After": "999999"}))
    release_id = approved_release()
    plan(database, config, release_id, utcnow(), "situs_web")
    with running(config, database):
        assert wait_status(database, release_id, "situs_web", DeliveryStatus.RETRYING)
    delivery = deliveries(database, release_id)["situs_web"]
    wait = (delivery.next_attempt_at - utcnow()).total_seconds()
    assert (
        config.dispatcher.retry_max_seconds - 60
        < wait
        <= config.dispatcher.retry_max_seconds
    )
