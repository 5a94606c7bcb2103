"""PostgreSQL, the production database: migrations, time zones, and racing dispatchers.

Runs when PUBLISHER_TEST_POSTGRES_URL is set (`.ci/run` sets it), each test in a
schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from conftest import plan
from dispatcher.test_error_migration import check_round_trip
from support import Reply, wait_until

from publisher.dispatcher import Dispatcher
from publisher.models import Delivery, DeliveryStatus, utcnow
from tests.support import postgres_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url


@pytest.fixture
def extra_channels(webhook_channel):
    """The office website's webhook, pointed at the local receiver."""
    return {"situs_web": webhook_channel}


def test_times_come_back_aware_and_equal(database, config, approved_release):
    planned = utcnow() + timedelta(hours=3)
    plan(database, config, approved_release(), planned, "radio")
    with database.session() as session:
        delivery = session.query(Delivery).one()
        assert delivery.planned_at == planned
        assert delivery.planned_at.utcoffset() == timedelta(0)


def test_two_dispatchers_race_and_each_delivery_goes_out_once(
    database, config, approved_release, receiver
):
    ids = [approved_release(f"Rilis {n}") for n in range(8)]
    for release_id in ids:
        plan(
            database, config, release_id, utcnow(), "situs_web", "mitra_online", "radio"
        )
    workers = [Dispatcher(config, database, name=f"proses-{n}") for n in range(2)]
    for worker in workers:
        worker.start()
    try:

        def all_sent() -> bool:
            with database.session() as session:
                return {d.status for d in session.query(Delivery)} == {
                    DeliveryStatus.SENT
                }

        assert wait_until(all_sent, timeout=30)
        time.sleep(1)
    finally:
        for worker in workers:
            worker.shutdown()
    titles = sorted(r.json()["release"]["title"] for r in receiver.received)
    assert titles == sorted(f"Rilis {n}" for n in range(8))
    with database.session() as session:
        assert {d.attempts for d in session.query(Delivery)} == {1}


def test_hostile_input_is_a_4xx_on_postgresql(client, accounts_):
    """NUL in text, ids past the integer range and overflowing times were 500s."""
    drafter = accounts_["penyusun"]
    created = client.post(
        "/api/v1/releases",
        headers=drafter.headers,
        json={"title": "Judul\x00 rilis", "body": "Isi\x00", "tags": ["a\x00b"]},
    )
    assert created.status_code == 201, created.json
    assert created.json["content"]["title"] == "Judul rilis"
    for path in ("/api/v1/releases/2147483648", "/api/v1/releases/" + "9" * 25):
        assert client.get(path, headers=drafter.headers).status_code == 404
    late = client.patch(
        f"/api/v1/releases/{created.json['id']}",
        headers=drafter.headers,
        json={"embargo_at": "9999-12-31T23:00:00-14:00"},
    )
    assert late.status_code == 422
    assert late.json["fields"]["embargo_at"]["code"] == "field.datetime_range"


def test_delivery_errors_migrate_to_codes_and_back(database, config, approved_release):
    """Migration 0005 on PostgreSQL: a JSON column, data converted both ways."""
    check_round_trip(database, config, approved_release())


def test_a_receivers_reply_with_nul_bytes_is_stored(
    database, config, approved_release, receiver
):
    """A NUL in a partner's error reply left the delivery in `sending` on PostgreSQL."""
    receiver.default = Reply(400, {"error": "judul\u0000 ditolak\u001b"})
    [delivery_id] = plan(database, config, approved_release(), utcnow(), "situs_web")
    Dispatcher(config, database).run_delivery(delivery_id)
    with database.session() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery.status == DeliveryStatus.FAILED
        assert "\x00" not in str(delivery.error)
        assert "judul ditolak" in str(delivery.error["params"])


def test_a_missed_delivery_waits_for_a_decision_on_postgresql(
    database, config, approved_release, receiver, client, accounts_
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

        def status() -> str:
            with database.session() as session:
                return session.get(Delivery, delivery_id).status

        assert wait_until(lambda: status() == DeliveryStatus.MISSED)
    finally:
        worker.shutdown()
    assert receiver.received == []
    editor = accounts_["editor"].headers
    waiting = client.get("/api/v1/deliveries/needs-decision", headers=editor).json
    assert [d["id"] for d in waiting["deliveries"]] == [delivery_id]
    response = client.post(
        f"/api/v1/deliveries/{delivery_id}/mark-sent",
        headers=editor,
        json={"reason": "Diunggah manual", "remote_url": "https://mitra.example/1"},
    )
    assert response.json["status"] == "sent"
    assert status() == DeliveryStatus.SENT
