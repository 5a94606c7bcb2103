"""The audit trail is a hash chain: any edit behind the app's back is named."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from conftest import make_config

from publisher import audit
from publisher.cli import main
from publisher.db import Database
from publisher.models import AuditEvent
from tests.support import postgres_schema


def run(config, *args: str):
    """Invoke `publisher --config <test config> ARGS`."""
    return CliRunner().invoke(main, ["--config", str(config.path), *args])


def test_every_event_is_chained_and_verify_says_ok(config, database, approved_release):
    approved_release()
    approved_release("Rilis kedua")
    with database.session() as session:
        events = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.chain_seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].prev_hash == audit.GENESIS
        assert all(
            b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False)
        )
    result = run(config, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"audit chain OK: {len(events)} events" in result.output


def test_an_edit_behind_the_apps_back_is_named(config, database, approved_release):
    approved_release()
    with database.session() as session:
        victim = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    with database.engine.begin() as connection:  # as someone with SQL access would
        connection.execute(
            sa.text("UPDATE audit_events SET actor_label = 'orang_lain' WHERE id = :i"),
            {"i": victim.id},
        )
    result = run(config, "audit", "verify")
    assert result.exit_code == 1
    assert f"event id {victim.id} " in result.output
    assert victim.at.isoformat(timespec="seconds") in result.output
    assert "no longer match its hash" in result.output


def test_a_removed_event_and_a_removed_tail_are_named(
    config, database, approved_release
):
    approved_release()
    with database.session() as session:
        ids = session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    with database.engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM audit_events WHERE id = :i"), {"i": ids[1]}
        )
    result = run(config, "audit", "verify")
    assert result.exit_code == 1
    assert f"event id {ids[2]} " in result.output and "missing" in result.output

    with database.engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM audit_events WHERE id >= :i"), {"i": ids[1]}
        )
    result = run(config, "audit", "verify")
    assert result.exit_code == 1
    assert "the newest were removed" in result.output


def test_a_rolled_back_event_leaves_no_gap(database, approved_release):
    approved_release()
    with pytest.raises(RuntimeError), database.session() as session:
        audit.record(session, None, "test.noise")
        session.flush()
        raise RuntimeError("abandon")
    approved_release("Sesudahnya")
    with database.session() as session:
        assert audit.verify(session).ok


@pytest.fixture
def postgres_url():
    """A fresh schema in the PostgreSQL test database."""
    with postgres_schema() as url:
        yield url


@pytest.mark.postgres
def test_concurrent_writers_on_postgresql_do_not_fork_the_chain(tmp_path, postgres_url):
    database = Database(make_config(tmp_path, postgres_url).database_url)
    database.upgrade()
    try:
        barrier = threading.Barrier(6)

        def writer(n: int) -> None:
            barrier.wait()
            for i in range(15):
                with database.session() as session:
                    audit.record(session, None, "test.concurrent", writer=n, i=i)
                    audit.record(session, None, "test.concurrent", writer=n, i=-i)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with database.session() as session:
            verdict = audit.verify(session)
        assert verdict.ok, verdict.broken
        assert verdict.count == 6 * 15 * 2
    finally:
        database.dispose()


def test_the_migration_chains_existing_events_in_id_order(config):
    from alembic import command

    from publisher.db import alembic_config

    database = Database(config.database_url)
    with database.engine.begin() as connection:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0004")
        for n in range(3):
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (at, actor_label, action, detail) "
                    "VALUES (:at, 'dispatcher', 'old.event', :detail)"
                ),
                {
                    "at": f"2026-11-0{n + 1} 08:00:00.000000",
                    "detail": json.dumps({"n": n}),
                },
            )
    database.upgrade()
    try:
        with database.session() as session:
            verdict = audit.verify(session)
            assert verdict.ok and verdict.count == 3
            audit.record(session, None, "new.event")
        with database.session() as session:
            assert audit.verify(session).count == 4
    finally:
        database.dispose()
